-- RenalWatch PostgreSQL schema, version 2: the audit trail (issue 13), as
-- SQLite migration 0006. Every read of a patient's record through the
-- server, every import and every CDS call appends one row. Rows are
-- append-only: UPDATE and DELETE are revoked from every role but the
-- owner, and a trigger refuses them for the owner too (only a superuser
-- who disables the trigger could rewrite the trail). Run servers as a role
-- that does not own the tables, e.g.
--   GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA public TO renalwatch_server;
--   GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO renalwatch_server;
-- (imports also need UPDATE on store_changes).

CREATE TABLE audit (
    patient_id text   NOT NULL,  -- '' when no one patient is concerned (an import)
    seq        bigint GENERATED ALWAYS AS IDENTITY,
    time       text   NOT NULL,  -- 'YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ', UTC
    who        text   NOT NULL,
    action     text   NOT NULL,
    outcome    text   NOT NULL,
    PRIMARY KEY (patient_id, seq)
);
CREATE INDEX audit_time ON audit (time);

REVOKE UPDATE, DELETE, TRUNCATE ON audit FROM PUBLIC;

CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit rows are append-only';
END $$;
CREATE TRIGGER audit_no_update BEFORE UPDATE OR DELETE ON audit
    FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
    FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
