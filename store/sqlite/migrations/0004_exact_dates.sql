-- RenalWatch SQLite schema, version 4: every date from 0001 to 9999 is
-- stored exactly, with the precision the source gave (issue 8, item 1).
-- Versions 1 to 3 stored times as Unix nanoseconds in one INTEGER, which
-- holds only 1677-09-21 to 2262-04-11: a birth date of 1600-01-01 came back
-- as 2184-07-20, and a zero time (0001-01-01) was taken as unknown. Rows
-- written by those versions hold what they held; dates outside that range
-- were already wrong in them and cannot be recovered here.
--
-- - patients.birth_date, patients.deceased_date and items.time become TEXT
--   in one fixed-width form, 'YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ' (UTC), which
--   sorts as time does; NULL when unknown.
-- - observations.time becomes whole Unix seconds (INTEGER, any year) and
--   observations.time_ns the nanoseconds within that second (0 to
--   999,999,999); time_prec is the precision the source gave, with the
--   fixed codes 0 day, 1 month, 2 year, 3 instant, and NULL for rows
--   written by versions 1 to 3, which did not record it (read as the
--   record's default, day; importing the same value with a precision fills
--   it in). The measurement index includes time_ns.
--
-- Below, floor(t / 1e9) is written (t - ((t % 1e9) + 1e9) % 1e9) / 1e9 and
-- the nanoseconds ((t % 1e9) + 1e9) % 1e9: exact for times before 1970
-- too (SQLite's / and % truncate toward zero).

CREATE TABLE patients_v4 (
    patient_id      TEXT    NOT NULL PRIMARY KEY,
    birth_date      TEXT,                        -- NULL when unknown
    sex             TEXT    NOT NULL,            -- female, male, other, unknown
    prov            TEXT    NOT NULL,            -- provenance, JSON
    hash            BLOB    NOT NULL,            -- record.Patient.ContentHash
    birth_precision TEXT    NOT NULL DEFAULT 'day', -- day, month, year
    deceased        INTEGER NOT NULL DEFAULT 0,  -- 1 when recorded as dead
    deceased_date   TEXT,                        -- NULL when unknown
    version         INTEGER NOT NULL DEFAULT 1
) WITHOUT ROWID;

INSERT INTO patients_v4 (patient_id, birth_date, sex, prov, hash, birth_precision, deceased, deceased_date, version)
    SELECT patient_id,
           CASE WHEN birth_date IS NULL THEN NULL ELSE
               strftime('%Y-%m-%dT%H:%M:%S', (birth_date - ((birth_date % 1000000000) + 1000000000) % 1000000000) / 1000000000, 'unixepoch')
               || '.' || printf('%09d', ((birth_date % 1000000000) + 1000000000) % 1000000000) || 'Z' END,
           sex, prov, hash, birth_precision, deceased,
           CASE WHEN deceased_date IS NULL THEN NULL ELSE
               strftime('%Y-%m-%dT%H:%M:%S', (deceased_date - ((deceased_date % 1000000000) + 1000000000) % 1000000000) / 1000000000, 'unixepoch')
               || '.' || printf('%09d', ((deceased_date % 1000000000) + 1000000000) % 1000000000) || 'Z' END,
           version
    FROM patients;
DROP TABLE patients;
ALTER TABLE patients_v4 RENAME TO patients;

CREATE TABLE items_v4 (
    patient_id TEXT    NOT NULL,
    id         TEXT    NOT NULL,
    kind       TEXT    NOT NULL,  -- condition, finding, biopsy, therapy, replacement
    time       TEXT,              -- onset, time or start; NULL when unknown
    doc        TEXT    NOT NULL,  -- the item, JSON (its times in RFC 3339, exact)
    hash       BLOB    NOT NULL,
    version    INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (patient_id, id)
) WITHOUT ROWID;

INSERT INTO items_v4 (patient_id, id, kind, time, doc, hash, version)
    SELECT patient_id, id, kind,
           CASE WHEN time IS NULL THEN NULL ELSE
               strftime('%Y-%m-%dT%H:%M:%S', (time - ((time % 1000000000) + 1000000000) % 1000000000) / 1000000000, 'unixepoch')
               || '.' || printf('%09d', ((time % 1000000000) + 1000000000) % 1000000000) || 'Z' END,
           doc, hash, version
    FROM items;
DROP TABLE items;
ALTER TABLE items_v4 RENAME TO items;
CREATE UNIQUE INDEX items_id ON items (id);

CREATE TABLE observations_v4 (
    patient_id TEXT    NOT NULL,
    id         TEXT    NOT NULL,
    analyte    INTEGER NOT NULL,  -- analytes.code: analyte and unit
    time       INTEGER NOT NULL,  -- Unix seconds, UTC
    time_ns    INTEGER NOT NULL,  -- nanoseconds within the second, 0 to 999999999
    time_prec  INTEGER,           -- 0 day, 1 month, 2 year, 3 instant; NULL: not recorded (versions 1 to 3)
    value      REAL    NOT NULL,  -- in the unit of analytes.code
    value_key  REAL    NOT NULL,  -- value rounded to 10 significant digits, for the duplicate check
    comparator INTEGER NOT NULL,  -- 0 '', 1 '<', 2 '<=', 3 '>', 4 '>='
    notes      TEXT,              -- JSON array, NULL when none
    -- provenance: source system, resource type, resource id, code system,
    -- code, display, original unit, original value, joined by U+001F
    prov       TEXT    NOT NULL
);

-- Rowids are kept (the importer relies on them only growing).
INSERT INTO observations_v4 (rowid, patient_id, id, analyte, time, time_ns, time_prec, value, value_key, comparator, notes, prov)
    SELECT rowid, patient_id, id, analyte,
           (time - ((time % 1000000000) + 1000000000) % 1000000000) / 1000000000,
           ((time % 1000000000) + 1000000000) % 1000000000,
           NULL, value, value_key, comparator, notes, prov
    FROM observations ORDER BY rowid;
DROP TABLE observations;
ALTER TABLE observations_v4 RENAME TO observations;

-- IDs are unique across patients: the same ID under two patients is a conflict.
CREATE UNIQUE INDEX observations_id ON observations (id);
-- The same measurement under another ID is a duplicate; this index also
-- serves timeline queries by patient.
CREATE UNIQUE INDEX observations_measurement ON observations (patient_id, analyte, time, time_ns, value_key, comparator);
