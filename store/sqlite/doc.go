// Package sqlite is the default RenalWatch store: one SQLite file through
// modernc.org/sqlite (pure Go, no cgo), in WAL mode with a busy timeout,
// one writer connection and a small pool of readers. The schema is created
// and upgraded by the embedded migrations/NNNN_name.sql files, applied in
// order by a small runner that records them in schema_migrations.
//
// Imports run in one IMMEDIATE transaction per call; observations go in
// with one prepared multi-row INSERT … ON CONFLICT DO NOTHING per chunk.
// When a chunk's INSERT adds every row (a new file), nothing more is read;
// otherwise the rows it added are found by rowid (above the max(rowid)
// taken before it) and the others are looked up with one query by id and
// one by measurement per chunk to tell unchanged, duplicate and
// conflicting observations apart. (RETURNING costs an
// ephemeral table per statement: about a fifth of the import time.)
// The next chunk's arguments (content hash, packed provenance) are built
// in a goroutine of its own while SQLite stores the current chunk; the
// transaction itself stays on one connection and one goroutine.
//
// synchronous=NORMAL: in WAL mode a crash or kill of the process never
// loses or half-applies a committed transaction; a power failure may lose
// the last transactions, never corrupt the file.
package sqlite
