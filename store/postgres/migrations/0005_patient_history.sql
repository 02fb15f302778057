-- RenalWatch PostgreSQL schema, version 5: patient updates, as SQLite
-- migration 0008. A Patient sent again under a stored id with other
-- details (birth date or its precision, sex, deceased, date of death)
-- replaces the stored details: a FHIR Patient is the patient's current
-- state, re-sent when the patient dies or a registration error is
-- corrected. The details it replaces are kept here, one row per
-- replacement, so that nothing is lost and a report can say what changed.
-- Imports now also need UPDATE on patients and INSERT on patient_history.

-- patients.updated is the source's meta.lastUpdated of the stored details
-- (NULL when not given): a Patient whose lastUpdated is older than it is
-- not applied (record.Patient.Updated).
ALTER TABLE patients ADD COLUMN updated text;

CREATE TABLE patient_history (
    patient_id      text    NOT NULL,
    seq             integer NOT NULL,  -- 1, 2, … per patient, in the order of the replacements
    replaced_at     text    NOT NULL,  -- when the import replaced them, 'YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ' (UTC)
    replaced_by     text    NOT NULL,  -- the file the new details were read from; '' when unknown
    -- the details replaced, as in patients:
    birth_date      text,
    birth_precision text    NOT NULL,
    sex             text    NOT NULL,
    deceased        boolean NOT NULL,
    deceased_date   text,
    prov            text    NOT NULL,
    hash            bytea   NOT NULL,
    updated         text,              -- meta.lastUpdated of the details replaced; NULL when not given
    PRIMARY KEY (patient_id, seq)
);

REVOKE UPDATE, DELETE, TRUNCATE ON patient_history FROM PUBLIC;
CREATE FUNCTION patient_history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'patient history rows are append-only';
END $$;
CREATE TRIGGER patient_history_no_update BEFORE UPDATE OR DELETE ON patient_history
    FOR EACH ROW EXECUTE FUNCTION patient_history_append_only();
