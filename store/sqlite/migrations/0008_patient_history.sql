-- RenalWatch SQLite schema, version 8: patient updates. A Patient sent
-- again under a stored id with other details (birth date or its
-- precision, sex, deceased, date of death) replaces the stored details:
-- a FHIR Patient is the patient's current state, re-sent when the patient
-- dies or a registration error is corrected. The details it replaces are
-- kept here, one row per replacement, so that nothing is lost and a report
-- can say what changed. Rows are only added.

-- patients.updated is the source's meta.lastUpdated of the stored details
-- (NULL when not given): a Patient whose lastUpdated is older than it is
-- not applied (record.Patient.Updated).
ALTER TABLE patients ADD COLUMN updated TEXT;

CREATE TABLE patient_history (
    patient_id      TEXT    NOT NULL,
    seq             INTEGER NOT NULL,  -- 1, 2, … per patient, in the order of the replacements
    replaced_at     TEXT    NOT NULL,  -- when the import replaced them, 'YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ' (UTC)
    replaced_by     TEXT    NOT NULL,  -- the file the new details were read from; '' when unknown
    -- the details replaced, as in patients:
    birth_date      TEXT,
    birth_precision TEXT    NOT NULL,
    sex             TEXT    NOT NULL,
    deceased        INTEGER NOT NULL,
    deceased_date   TEXT,
    prov            TEXT    NOT NULL,
    hash            BLOB    NOT NULL,
    updated         TEXT,              -- meta.lastUpdated of the details replaced; NULL when not given
    PRIMARY KEY (patient_id, seq)
) WITHOUT ROWID;

CREATE TRIGGER patient_history_no_update BEFORE UPDATE ON patient_history
BEGIN
    SELECT RAISE(ABORT, 'patient history rows are append-only');
END;
CREATE TRIGGER patient_history_no_delete BEFORE DELETE ON patient_history
BEGIN
    SELECT RAISE(ABORT, 'patient history rows are append-only');
END;
