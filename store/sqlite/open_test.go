package sqlite_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"renalwatch/record"
	"renalwatch/store"
	"renalwatch/store/sqlite"
)

func onePatient(id string) *record.Batch {
	return &record.Batch{Patients: []record.Patient{{ID: id, Sex: record.Female, Provenance: record.Provenance{ResourceType: "Patient", ResourceID: id}}}}
}

func importOne(t *testing.T, db *sqlite.DB, id string) {
	t.Helper()
	res, err := db.Import(context.Background(), onePatient(id), store.ImportOptions{})
	if err != nil || res.Imported != 1 {
		t.Fatalf("import %s: %+v, %v", id, res, err)
	}
}

// Regression (issue 8 item 2): the path is a file name, never a URI. Each
// of these once opened an in-memory database ("imported 1", nothing
// stored) or another file; now each writes exactly the named file.
func TestOpenPathIsAFileName(t *testing.T) {
	for _, name := range []string{":memory:", "g.db?mode=memory&x=", "a?b.db", "e%41f.db", "h#frag.db", "sp ace.db", "file:x.db", "ünï.db", "q.db?_pragma=journal_mode(delete)&vfs=memdb"} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			t.Chdir(dir)
			db, err := sqlite.Open(context.Background(), name)
			if err != nil {
				t.Fatal(err)
			}
			importOne(t, db, "p1")
			if err := db.Close(); err != nil {
				t.Fatal(err)
			}
			ents, _ := os.ReadDir(dir)
			var names []string
			for _, e := range ents {
				names = append(names, e.Name())
			}
			if len(names) != 1 || names[0] != name {
				t.Fatalf("files in the folder: %q; want only %q", names, name)
			}
			db, err = sqlite.OpenWith(context.Background(), name, sqlite.Options{ReadOnly: true})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if _, err := db.Patient(context.Background(), "p1"); err != nil {
				t.Fatalf("reopened %q: %v", name, err)
			}
		})
	}
}

func TestOpenPathMessages(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "f.txt")
	os.WriteFile(file, []byte("x"), 0o600)
	empty := filepath.Join(dir, "empty.db")
	os.WriteFile(empty, nil, 0o600)
	for _, c := range []struct {
		path     string
		readOnly bool
		want     string
		is       error
	}{
		{"", false, "empty path", sqlite.ErrPath},
		{dir, false, dir + ": is a folder, not a database file", sqlite.ErrPath},
		{filepath.Join(dir, "x", "y.db"), false, ": folder " + filepath.Join(dir, "x") + " does not exist", sqlite.ErrPath},
		{filepath.Join(file, "y.db"), false, file + " is not a folder", sqlite.ErrPath},
		{filepath.Join(dir, "none.db"), true, "no database there", sqlite.ErrNotExist},
		{file, false, "not a SQLite database", nil},
		{empty, true, "the file is empty: no RenalWatch store yet", sqlite.ErrNotExist},
	} {
		_, err := sqlite.OpenWith(context.Background(), c.path, sqlite.Options{ReadOnly: c.readOnly})
		if err == nil || !strings.Contains(err.Error(), c.want) || (c.is != nil && !errors.Is(err, c.is)) {
			t.Errorf("open %q: %v; want %q (%v)", c.path, err, c.want, c.is)
		}
		if err != nil && strings.Contains(err.Error(), "SQLITE_") {
			t.Errorf("open %q: %v; want words, not SQLite codes", c.path, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "none.db")); err == nil {
		t.Error("a read-only open created the file")
	}
	if b, _ := os.ReadFile(file); string(b) != "x" {
		t.Errorf("the text file now holds %d bytes", len(b))
	}
}

func digest(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

func rawExec(t *testing.T, path string, q string) {
	t.Helper()
	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(q); err != nil {
		t.Fatal(err)
	}
}

func rawInt(t *testing.T, path, q string) int64 {
	t.Helper()
	raw, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var n int64
	if err := raw.QueryRow(q).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// Regression (issue 8 item 3): another application's SQLite file is
// refused before anything is written: no tables added, journal mode and
// bytes unchanged.
func TestOpenRefusesForeignFile(t *testing.T) {
	for name, q := range map[string]string{
		"tables":         `CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes VALUES (1, 'hello')`,
		"application_id": `PRAGMA application_id = 1234`,
		"patients only":  `CREATE TABLE patients (patient_id TEXT)`,
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "other.db")
			rawExec(t, path, q+`; CREATE TABLE IF NOT EXISTS t2 (x)`)
			before := digest(t, path)
			_, err := sqlite.Open(context.Background(), path)
			if !errors.Is(err, sqlite.ErrForeign) || !strings.Contains(err.Error(), "not a RenalWatch store") {
				t.Fatalf("open: %v; want ErrForeign", err)
			}
			if digest(t, path) != before {
				t.Error("the foreign file changed")
			}
			if mode := rawInt(t, path, `SELECT journal_mode = 'delete' FROM pragma_journal_mode`); mode != 1 {
				t.Error("journal mode changed")
			}
			for _, s := range []string{"-wal", "-shm"} {
				if _, err := os.Stat(path + s); err == nil {
					t.Errorf("%s left behind", s)
				}
			}
		})
	}
}

// Regression (issue 8 item 3): a store of a newer schema is refused
// unchanged, for writing and for reading.
func TestOpenRefusesNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new.db")
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	importOne(t, db, "p1")
	db.Close()
	known := rawInt(t, path, `PRAGMA user_version`)
	if known < 3 {
		t.Fatalf("user_version %d; want the newest migration", known)
	}
	rawExec(t, path, `INSERT INTO schema_migrations VALUES (99, '0099_future.sql'); PRAGMA user_version = 99`)
	before := digest(t, path)
	for _, ro := range []bool{false, true} {
		_, err = sqlite.OpenWith(context.Background(), path, sqlite.Options{ReadOnly: ro})
		want := fmt.Sprintf("made by a newer RenalWatch (schema 99, this one knows up to %d)", known)
		if !errors.Is(err, sqlite.ErrNewerSchema) || !strings.Contains(err.Error(), want) {
			t.Fatalf("open (read-only %v): %v; want %q", ro, err, want)
		}
	}
	if digest(t, path) != before {
		t.Error("the newer store changed")
	}
}

// A new store is marked; a store of an older RenalWatch that had no
// application_id opens and is marked, its records kept.
func TestOpenMarksStores(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	importOne(t, db, "p1")
	db.Close()
	if id := rawInt(t, path, `PRAGMA application_id`); id != sqlite.ApplicationID {
		t.Fatalf("application_id %#x; want %#x", id, sqlite.ApplicationID)
	}
	rawExec(t, path, `PRAGMA application_id = 0; PRAGMA user_version = 0`)
	db, err = sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatalf("open an unmarked RenalWatch store: %v", err)
	}
	if _, err := db.Patient(context.Background(), "p1"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if id := rawInt(t, path, `PRAGMA application_id`); id != sqlite.ApplicationID {
		t.Fatalf("application_id %#x after reopening; want it marked", id)
	}
}

// An older schema is upgraded in one transaction: when a migration fails,
// none of the earlier ones stays applied.
func TestUpgradeIsOneTransaction(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v1.db")
	v1, err := os.ReadFile(filepath.Join("migrations", "0001_init.sql"))
	if err != nil {
		t.Fatal(err)
	}
	// analytes makes migration 0003 fail after 0002 succeeded.
	rawExec(t, path, `CREATE TABLE schema_migrations (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL);
		INSERT INTO schema_migrations VALUES (1, '0001_init.sql');`+string(v1)+`; CREATE TABLE analytes (x)`)
	if _, err := sqlite.Open(context.Background(), path); err == nil || !strings.Contains(err.Error(), "0003") {
		t.Fatalf("open: %v; want migration 0003 to fail", err)
	}
	if v := rawInt(t, path, `SELECT max(version) FROM schema_migrations`); v != 1 {
		t.Errorf("schema version %d after a failed upgrade; want 1 (all or nothing)", v)
	}
	if id := rawInt(t, path, `PRAGMA application_id`); id != 0 {
		t.Errorf("application_id %#x after a failed upgrade; want none", id)
	}
}

// Regression (issue 8 item 7): a new store and its -wal and -shm are
// private (0600); an existing file keeps its mode.
func TestOpenFileModes(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "m.db")
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	importOne(t, db, "p1")
	for _, s := range []string{"", "-wal", "-shm"} {
		fi, err := os.Stat(path + s)
		if err != nil {
			t.Fatal(err)
		}
		if m := fi.Mode().Perm(); m != 0o600 {
			t.Errorf("%s: mode %o; want 600", filepath.Base(path+s), m)
		}
	}
	db.Close()
	for _, mode := range []os.FileMode{0o640, 0o644} {
		if err := os.Chmod(path, mode); err != nil {
			t.Fatal(err)
		}
		db, err := sqlite.Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		importOne(t, db, fmt.Sprintf("p%o", mode))
		db.Close()
		if fi, _ := os.Stat(path); fi.Mode().Perm() != mode {
			t.Errorf("an existing %o file is now %o", mode, fi.Mode().Perm())
		}
	}
}

// A store opened read-only reads and refuses to write; the file does not
// change.
func TestOpenReadOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ro.db")
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	importOne(t, db, "p1")
	db.Close()
	before := digest(t, path)
	db, err = sqlite.OpenWith(context.Background(), path, sqlite.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Patient(context.Background(), "p1"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Import(context.Background(), onePatient("p2"), store.ImportOptions{}); !errors.Is(err, sqlite.ErrReadOnly) {
		t.Errorf("import into a read-only store: %v; want ErrReadOnly", err)
	}
	db.Close()
	if !bytes.Equal(before[:], func() []byte { d := digest(t, path); return d[:] }()) {
		t.Error("the file changed")
	}
}

// In a folder the user cannot write, a store opens read-only (and only so).
func TestOpenReadOnlyFolder(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root may write to any folder")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "ro.db")
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	importOne(t, db, "p1")
	db.Close()
	os.Chmod(dir, 0o555)
	defer os.Chmod(dir, 0o755)
	db, err = sqlite.OpenWith(context.Background(), path, sqlite.Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("read-only open in a read-only folder: %v", err)
	}
	if _, err := db.Patient(context.Background(), "p1"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := sqlite.Open(context.Background(), path); err == nil || !strings.Contains(err.Error(), "is not writable") {
		t.Errorf("writer in a read-only folder: %v; want a plain message", err)
	}
}

// A store of an older schema opened for reading is upgraded first (in one
// transaction), then read.
func TestOpenReadOnlyUpgradesOlderStore(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v1.db")
	v1, err := os.ReadFile(filepath.Join("migrations", "0001_init.sql"))
	if err != nil {
		t.Fatal(err)
	}
	rawExec(t, path, `CREATE TABLE schema_migrations (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL);
		INSERT INTO schema_migrations VALUES (1, '0001_init.sql');`+string(v1))
	db, err := sqlite.OpenWith(context.Background(), path, sqlite.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Patients(context.Background()); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if v, id := rawInt(t, path, `PRAGMA user_version`), rawInt(t, path, `PRAGMA application_id`); v < 3 || id != sqlite.ApplicationID {
		t.Errorf("after a read-only open: user_version %d, application_id %#x; want the store upgraded and marked", v, id)
	}
}
