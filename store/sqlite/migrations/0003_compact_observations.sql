-- RenalWatch SQLite schema, version 3: smaller observation rows and index
-- entries, for import throughput (issue 4).
--
-- - The analyte and its unit become one small integer code, defined by the
--   analytes table below (not by the Go enum: codes are assigned here, in
--   the order first seen, so reordering units.Analyte never changes what a
--   stored row means). A row's unit is its code's unit.
-- - The comparator becomes an integer with the fixed meaning
--   0 '' (measured), 1 '<', 2 '<=', 3 '>', 4 '>='.
-- - The content hash column is dropped: an observation that meets a stored
--   one with the same id is compared with the stored row itself, column by
--   column (importer.classifySkipped), which is what the hash stood for.

CREATE TABLE analytes (
    code INTEGER NOT NULL PRIMARY KEY,
    name TEXT    NOT NULL,  -- units.Analyte.String()
    unit TEXT    NOT NULL,  -- the unit values of this code are stored in
    UNIQUE (name, unit)
);

INSERT INTO analytes (name, unit)
    SELECT DISTINCT analyte, unit FROM observations ORDER BY analyte, unit;

CREATE TABLE observations_v3 (
    patient_id TEXT    NOT NULL,
    id         TEXT    NOT NULL,
    analyte    INTEGER NOT NULL,  -- analytes.code: analyte and unit
    time       INTEGER NOT NULL,
    value      REAL    NOT NULL,  -- in the unit of analytes.code
    value_key  REAL    NOT NULL,  -- value rounded to 10 significant digits, for the duplicate check
    comparator INTEGER NOT NULL,  -- 0 '', 1 '<', 2 '<=', 3 '>', 4 '>='
    notes      TEXT,              -- JSON array, NULL when none
    -- provenance: source system, resource type, resource id, code system,
    -- code, display, original unit, original value, joined by U+001F
    prov       TEXT    NOT NULL
);

-- Rowids are kept: they only grow, which the importer relies on to tell
-- the rows an INSERT added (docs/caveats.md, ## Store). A comparator other
-- than the five above fails the migration (NOT NULL) rather than guess.
INSERT INTO observations_v3 (rowid, patient_id, id, analyte, time, value, value_key, comparator, notes, prov)
    SELECT o.rowid, o.patient_id, o.id, a.code, o.time, o.value, o.value_key,
           CASE o.comparator WHEN '' THEN 0 WHEN '<' THEN 1 WHEN '<=' THEN 2 WHEN '>' THEN 3 WHEN '>=' THEN 4 END,
           o.notes, o.prov
    FROM observations o JOIN analytes a ON a.name = o.analyte AND a.unit = o.unit
    ORDER BY o.rowid;

DROP TABLE observations;
ALTER TABLE observations_v3 RENAME TO observations;

-- IDs are unique across patients: the same ID under two patients is a conflict.
CREATE UNIQUE INDEX observations_id ON observations (id);
-- The same measurement under another ID is a duplicate (equal to 10
-- significant digits, so that 106.08 umol/L and 1.2 mg/dL match); this
-- index also serves timeline queries by patient.
CREATE UNIQUE INDEX observations_measurement ON observations (patient_id, analyte, time, value_key, comparator);
