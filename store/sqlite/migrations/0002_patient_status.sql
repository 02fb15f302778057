-- RenalWatch SQLite schema, version 2: what the source says about a
-- patient's birth date precision and death, and a condition's verification
-- status (review 2, items 7, 13, 16).
--
-- version is the schema version whose importer wrote the row. Rows written
-- by version 1 could not hold the new fields; when the same item is
-- imported again and differs from the stored row only by them, the importer
-- fills them in instead of reporting a conflict (see importer.patients and
-- importer.item).

ALTER TABLE patients ADD COLUMN birth_precision TEXT NOT NULL DEFAULT 'day'; -- day, month, year
ALTER TABLE patients ADD COLUMN deceased INTEGER NOT NULL DEFAULT 0;         -- 1 when recorded as dead
ALTER TABLE patients ADD COLUMN deceased_date INTEGER;                       -- NULL when unknown
ALTER TABLE patients ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
-- items.doc of a condition gains a Verification member; old documents lack it.
ALTER TABLE items ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
