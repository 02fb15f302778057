-- RenalWatch SQLite schema, version 5: the CDS Hooks cards the server
-- returned and the feedback EHRs sent on them (CDS Hooks 2.0.1 § Feedback),
-- so that the counts per alert code survive a restart.
--
-- cds_card: one row per card UUID (the first issue is kept).
-- cds_feedback: one row per (service, card, outcome, outcome timestamp):
-- the same report sent again is stored once (INSERT OR IGNORE). body is
-- the feedback item as JSON. Times are the fixed-width UTC text of the
-- other tables.

CREATE TABLE cds_card (
	uuid       TEXT NOT NULL PRIMARY KEY,
	service_id TEXT NOT NULL,
	alert_code TEXT NOT NULL,
	issued     TEXT NOT NULL
);

CREATE TABLE cds_feedback (
	service_id        TEXT NOT NULL,
	card              TEXT NOT NULL,
	outcome           TEXT NOT NULL CHECK (outcome IN ('accepted', 'overridden')),
	outcome_timestamp TEXT NOT NULL,
	body              BLOB NOT NULL,
	PRIMARY KEY (service_id, card, outcome, outcome_timestamp)
);

-- cds_jti: ids of CDS clients' JWTs (iss + jti) until they expire
-- (store.ReplayStore). Expired rows are replaced by the next use of the key
-- and purged by time.
CREATE TABLE cds_jti (
	key   TEXT NOT NULL PRIMARY KEY,
	until TEXT NOT NULL
);
CREATE INDEX cds_jti_until ON cds_jti (until);
