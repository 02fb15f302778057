-- RenalWatch SQLite schema, version 1.
-- Every per-patient table leads with patient_id, so that a server backend
-- can partition by patient. Times are Unix nanoseconds, UTC.

CREATE TABLE patients (
    patient_id TEXT    NOT NULL PRIMARY KEY,
    birth_date INTEGER,            -- NULL when unknown
    sex        TEXT    NOT NULL,   -- female, male, other, unknown
    prov       TEXT    NOT NULL,   -- provenance, JSON
    hash       BLOB    NOT NULL    -- record.Patient.ContentHash
) WITHOUT ROWID;

-- A rowid table: imports append, and the two unique indexes below carry
-- the keys. patient_id leads the row and the measurement index.
CREATE TABLE observations (
    patient_id TEXT    NOT NULL,
    id         TEXT    NOT NULL,
    analyte    TEXT    NOT NULL,  -- units.Analyte.String()
    time       INTEGER NOT NULL,
    value      REAL    NOT NULL,  -- in unit, the analyte's canonical unit
    value_key  REAL    NOT NULL,  -- value rounded to 10 significant digits, for the duplicate check
    unit       TEXT    NOT NULL,
    comparator TEXT    NOT NULL,  -- '' for a measured value
    notes      TEXT,              -- JSON array, NULL when none
    -- provenance: source system, resource type, resource id, code system,
    -- code, display, original unit, original value, joined by U+001F
    prov       TEXT    NOT NULL,
    hash       BLOB    NOT NULL
);

-- IDs are unique across patients: the same ID under two patients is a conflict.
CREATE UNIQUE INDEX observations_id ON observations (id);
-- The same measurement under another ID is a duplicate (equal to 10
-- significant digits, so that 106.08 umol/L and 1.2 mg/dL match); this
-- index also serves timeline queries by analyte and time.
CREATE UNIQUE INDEX observations_measurement ON observations (patient_id, analyte, time, value_key, comparator);

-- Conditions, findings, biopsies, therapies and kidney replacement events.
CREATE TABLE items (
    patient_id TEXT    NOT NULL,
    id         TEXT    NOT NULL,
    kind       TEXT    NOT NULL,  -- condition, finding, biopsy, therapy, replacement
    time       INTEGER,           -- onset, time or start; NULL when unknown
    doc        TEXT    NOT NULL,  -- the item, JSON
    hash       BLOB    NOT NULL,
    PRIMARY KEY (patient_id, id)
) WITHOUT ROWID;

CREATE UNIQUE INDEX items_id ON items (id);
