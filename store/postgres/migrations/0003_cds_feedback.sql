-- RenalWatch PostgreSQL schema, version 3: the CDS Hooks cards returned,
-- the feedback EHRs sent on them, and the ids of CDS clients' JWTs until
-- they expire (store.FeedbackStore, store.ReplayStore), as SQLite
-- migration 0005, so that every server sharing the database counts the
-- same feedback and refuses a JWT replayed to another server.

CREATE TABLE cds_card (
    uuid       text NOT NULL PRIMARY KEY,
    service_id text NOT NULL,
    alert_code text NOT NULL,
    issued     text NOT NULL
);

CREATE TABLE cds_feedback (
    service_id        text  NOT NULL,
    card              text  NOT NULL,
    outcome           text  NOT NULL CHECK (outcome IN ('accepted', 'overridden')),
    outcome_timestamp text  NOT NULL,
    body              bytea NOT NULL,
    PRIMARY KEY (service_id, card, outcome, outcome_timestamp)
);

-- key is bytea: the cdshooks package joins iss and jti with a NUL byte,
-- which a PostgreSQL text value cannot hold.
CREATE TABLE cds_jti (
    key   bytea NOT NULL PRIMARY KEY,
    until text NOT NULL
);
CREATE INDEX cds_jti_until ON cds_jti (until);
