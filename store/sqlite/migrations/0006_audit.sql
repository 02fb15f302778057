-- RenalWatch SQLite schema, version 6: the audit trail (issue 13). (Version
-- 5 is the CDS feedback table.) Every read of a patient's record through
-- the server, every import and every CDS call appends one row: when, who
-- (the token's name), what, which patient, and the outcome. Rows are
-- append-only: the triggers below refuse UPDATE and DELETE, so that no
-- program using this file through SQL can rewrite who saw whom.

CREATE TABLE audit (
    patient_id TEXT    NOT NULL,  -- '' when no one patient is concerned (an import)
    seq        INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    time       TEXT    NOT NULL,  -- 'YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ', UTC
    who        TEXT    NOT NULL,
    action     TEXT    NOT NULL,
    outcome    TEXT    NOT NULL
);
CREATE INDEX audit_patient ON audit (patient_id, time);
CREATE INDEX audit_time ON audit (time);

CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
    SELECT RAISE(ABORT, 'audit rows are append-only');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
    SELECT RAISE(ABORT, 'audit rows are append-only');
END;

-- changes counts committed imports that stored something (any process):
-- a server's patient-list cache is valid while it reads the same number.
CREATE TABLE store_changes (
    one     INTEGER NOT NULL PRIMARY KEY CHECK (one = 1),
    changes INTEGER NOT NULL
);
INSERT INTO store_changes (one, changes) VALUES (1, 0);
