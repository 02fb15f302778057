// Package postgres is the shared RenalWatch store: one PostgreSQL
// database through github.com/jackc/pgx/v5 (pgxpool), for many servers
// and importers at once. It implements store.Store and passes the
// store/storetest conformance suite, as store/sqlite does.
//
// The schema is created and upgraded by the embedded
// migrations/NNNN_name.sql files, applied in order in one transaction
// under an advisory lock and recorded in schema_migrations. The table
// renalwatch_meta marks the database as RenalWatch's: a database that
// holds other tables and not that one is refused untouched, and so is a
// schema newer than this build knows.
//
// Every per-patient table leads with patient_id (see the migrations), so
// that it can be partitioned by patient.
//
// Imports: one transaction per import, which first takes an advisory lock
// (imports run one after another; readers never wait). Observations go
// in by chunks: COPY into a temporary staging table, then one
// INSERT … SELECT … ON CONFLICT DO NOTHING into observations.
//
// The connection string's password never appears in an error or in
// String: errors are scrubbed of it (scrub) and the URL is shown redacted.
package postgres
