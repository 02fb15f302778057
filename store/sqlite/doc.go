// Package sqlite is the default RenalWatch store: one SQLite file through
// modernc.org/sqlite (pure Go, no cgo), in WAL mode with a busy timeout,
// one writer connection and a small pool of readers. The schema is created
// and upgraded by the embedded migrations/NNNN_name.sql files, applied in
// order by a small runner that records them in schema_migrations, all in
// one transaction (open.go, migrate.go).
//
// Opening checks the file before anything is written, on a read-only
// connection that sets no pragma: a RenalWatch store carries
// ApplicationID (PRAGMA application_id) and its schema version (PRAGMA
// user_version); a file of another application, or of a newer schema, is
// refused untouched. The path is always a file name, escaped into a
// SQLite URI, never a URI itself. New files are created 0600.
//
// A writer waits up to Options.Wait for another writer's lock (lock.go).
//
// Imports run in one IMMEDIATE transaction per call; observations go in
// with one prepared multi-row INSERT … ON CONFLICT DO NOTHING per chunk.
// When a chunk's INSERT adds every row (a new file), nothing more is read;
// otherwise the rows it added are found by rowid (above the max(rowid)
// read at the start, advanced by each INSERT's count) and the others are
// looked up with one query by id and one by measurement per chunk to tell
// unchanged, duplicate and conflicting observations apart; an observation
// that meets a stored one with its id is compared with the stored row
// column by column. (RETURNING costs an ephemeral table per statement:
// about a fifth of the import time.) The INSERT is prepared and run on
// the driver connection itself (sql.Conn.Raw), so that database/sql does
// not convert its 9,216 arguments per chunk. The next chunk's arguments
// (packed provenance, codes) are built in a goroutine of its own while
// SQLite stores the current chunk; the transaction itself stays on one
// connection and one goroutine.
//
// Schema version 3 keeps observation rows and index entries small: the
// analyte and its unit are one integer code (table analytes), the
// comparator a fixed integer code, and there is no content hash column.
//
// synchronous=NORMAL: in WAL mode a crash or kill of the process never
// loses or half-applies a committed transaction; a power failure may lose
// the last transactions, never corrupt the file.
package sqlite
