package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"renalwatch/store"
	"renalwatch/store/postgres"
	"renalwatch/store/sqlite"
)

// openAudited opens the store at path for a command that reads patients'
// records from it ('report', 'patients'): the store must exist, and it is
// opened for writing, because the read is written to its audit trail
// first (auditRead). A write waits for another writer (an import) as
// 'import' does, saying so on stderr when it is a terminal.
func openAudited(ctx context.Context, path string, stderr io.Writer) (store.Store, error) {
	if postgres.IsURL(path) {
		return openPostgres(ctx, path, true)
	}
	if err := checkDBFlag(path); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0) // opened, not written: can the read be audited?
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return openStore(ctx, path, false) // its error names the file and says how to make one
	case errors.Is(err, fs.ErrPermission):
		return nil, unauditable(path, "the file is read-only for you")
	case err == nil:
		f.Close()
	}
	db, err := openWriter(ctx, path, sqlite.DefaultWait, stderr)
	if errors.Is(err, sqlite.ErrFolderReadOnly) {
		// Exit 1 as for a read-only file, not 2: the input is right, the
		// permissions are not (trial 9 F-b).
		return nil, unauditable(path, "its folder "+safeText(filepath.Dir(path))+" is not writable for you, and writing the audit row needs the -wal and -shm files beside the store")
	}
	return db, err
}

// unauditable is the refusal (exit 1) of a read whose audit row cannot be
// written, for why. It says what to ask for, never a way round the trail
// (trial 9 F-a: "read a copy of the file" would put the row in the copy).
func unauditable(path, why string) error {
	return fmt.Errorf("--db %s: %s, and this command writes every read of a patient's record to the store's audit trail before it shows anything "+
		"(README, \"The audit trail\"); a read that cannot be audited is not granted, so nothing was read: ask the store's owner for write access", safeText(path), why)
}

// auditRead writes the audit row of a command's read from db (who: cliUser;
// patient "" for a read of every patient) before anything is shown: a read
// that cannot be audited is refused, as the server refuses it.
func auditRead(ctx context.Context, db store.Store, action, patient, outcome string) error {
	a, ok := db.(store.Auditor)
	if !ok {
		return nil
	}
	err := a.Audit(ctx, store.AuditEntry{Time: now(), Who: cliUser(), Action: action, PatientID: patient, Outcome: outcome})
	if err != nil {
		return fmt.Errorf("%s: the read could not be written to the audit trail, so nothing is shown: %w", action, err)
	}
	return nil
}

// readAction names a 'report' of format in the audit trail: "read report"
// (text), "read report --json", "--fhir", "--format csv".
func readAction(format string) string {
	switch format {
	case "text", "":
		return "read report"
	case "json", "fhir":
		return "read report --" + format
	}
	return "read report --format " + format
}

// readOutcome is the outcome of a read that returned err, in the server's
// words (server.outcomeOf): "ok", "not found", "error".
func readOutcome(err error) string {
	switch {
	case err == nil:
		return "ok"
	case errors.Is(err, store.ErrNotFound):
		return "not found"
	}
	return "error"
}
