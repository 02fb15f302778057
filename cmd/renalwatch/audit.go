package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/user"
	"strings"
	"text/tabwriter"
	"time"

	"renalwatch/internal/labtext"
	"renalwatch/store"
)

const auditExample = `  renalwatch audit --db renalwatch.db --patient ln-class-iv-g4 --since 2026-01-01
  renalwatch audit --db postgres://renalwatch@db.example.org/renalwatch --json`

// auditRow is one audit entry as 'audit --json' prints it.
type auditRow struct {
	Time      time.Time `json:"time"`
	Who       string    `json:"who"`
	Action    string    `json:"action"`
	PatientID string    `json:"patient_id"`
	Outcome   string    `json:"outcome"`
}

// runAudit implements "renalwatch audit [--db PATH|URL] [--patient ID]
// [--since DATE] [--json]": the store's audit trail, oldest first.
func runAudit(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("audit", "audit [--db PATH|URL] [--patient ID] [--since YYYY-MM-DD] [--json]", auditExample, stderr)
	dbPath := fs.String("db", "renalwatch.db", "SQLite database `PATH`, or a PostgreSQL URL postgres://USER@HOST/DB")
	patient := fs.String("patient", "", "only the entries about patient `ID`")
	since := fs.String("since", "", "only the entries from the start of `DATE` (YYYY-MM-DD, UTC)")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parseFlags(fs, args, stdout)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return badInputf("audit takes no arguments, got %q", strings.Join(pos, " "))
	}
	q := store.AuditQuery{PatientID: *patient}
	if *since != "" {
		if q.Since, err = time.Parse(time.DateOnly, *since); err != nil {
			return badInputf("audit: --since %q is not a date; write YYYY-MM-DD, for example 2026-01-01", *since)
		}
	}
	db, err := openStore(ctx, *dbPath, false)
	if err != nil {
		return err
	}
	defer db.Close()
	a, ok := db.(store.Auditor)
	if !ok {
		return fmt.Errorf("audit: the store at %s keeps no audit trail", safeText(dbName(*dbPath)))
	}
	entries, err := a.AuditLog(ctx, q)
	if err != nil {
		return err
	}
	rows := make([]auditRow, 0, len(entries))
	for _, e := range entries {
		rows = append(rows, auditRow{e.Time.UTC(), e.Who, e.Action, e.PatientID, e.Outcome})
	}
	if *asJSON {
		return writeJSON(stdout, rows)
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "TIME (UTC)\tWHO\tACTION\tPATIENT\tOUTCOME")
	for _, r := range rows {
		pid := r.PatientID
		if pid == "" {
			pid = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.Time.Format("2006-01-02 15:04:05"), safeText(r.Who), safeText(r.Action), safeText(pid), safeText(r.Outcome))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(rows) == 1 {
		fmt.Fprintln(stdout, "\n1 entry.")
	} else {
		fmt.Fprintf(stdout, "\n%d entries.\n", len(rows))
	}
	return nil
}

// cliUser names who ran a command in the audit trail: "cli:" (the
// channel) and the operating system's login name, else $USER, else "cli"
// alone.
func cliUser() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return "cli:" + u.Username
	}
	if name := os.Getenv("USER"); name != "" {
		return "cli:" + name
	}
	return "cli"
}

// AuditOutcome is the outcome of an import's audit row: its counts and
// the number of rows its files' transactions wrote for the patients whose
// records they changed (one per patient and file, with the same time and
// who: store.ImportAudit), the same for
// 'renalwatch import' and an upload to the server (which calls it through
// server.ImportFunc's summary): "ok: 1 file, read 4, …, per-patient rows 2".
// An import that stored nothing (StoredNothing: the command exits 2, the
// upload is a 422) is "nothing imported: 1 file, read 0, …", not "ok"
// (trial 10 F5: a header-only CSV's row read "ok").
func (sum importSummary) AuditOutcome() string {
	if sum.StoredNothing() {
		return "nothing imported: " + sum.auditCounts()
	}
	return "ok: " + sum.auditCounts()
}

// auditCounts words what an import stored, for its audit row.
func (sum importSummary) auditCounts() string {
	t := sum.Totals
	rows := 0
	for _, f := range sum.Files {
		rows += f.auditRows
	}
	return fmt.Sprintf("%s, read %d, imported %d, unchanged %d, duplicates %d%s, rejected %d, unmapped %d, per-patient rows %d",
		labtext.Count(len(sum.Files), "file"), t.Read, t.Imported, t.Unchanged, t.Duplicates, withdrawn(t), t.Rejected, t.Unmapped, rows)
}

// auditWriteTimeout bounds the write of an import's own audit row once the
// import was interrupted: the row is written all the same (its context
// is detached from the cancellation), but a store that does not answer
// must not hold the command forever.
const auditWriteTimeout = 10 * time.Second

// auditImport writes the audit row of one 'renalwatch import' run (its
// counts; no file name, which may name a patient), at the time and by the
// who of audit, which link it to the rows of the patients whose records
// each file's transaction changed (importReader). An import whose row
// cannot be written is stored all the same (it was committed) and the
// command fails saying so. The row is written even when the run was
// interrupted (Ctrl-C: ctx cancelled) or stopped by an error, with what
// the files committed before it stored, "interrupted: 2 files, read …"
// (trial 9 F-f: written with the cancelled context, the row of exactly a
// partial import was lost while its per-patient rows were kept).
func auditImport(ctx context.Context, db store.Store, sum *importSummary, audit *store.ImportAudit, failed error) error {
	a, ok := db.(store.Auditor)
	if !ok || len(sum.Files) == 0 { // nothing was stored
		return nil
	}
	outcome := sum.AuditOutcome()
	switch {
	case failed != nil && (ctx.Err() != nil || errors.Is(failed, context.Canceled)):
		outcome = "interrupted: stored before the interruption: " + sum.auditCounts()
	case failed != nil:
		outcome = "stopped by an error: stored before it: " + sum.auditCounts()
	}
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), auditWriteTimeout)
	defer cancel()
	if err := a.Audit(wctx, store.AuditEntry{Time: audit.Time, Who: audit.Who, Action: "import", Outcome: outcome}); err != nil {
		return fmt.Errorf("import: the records were stored, but the audit trail could not be written: %w", err)
	}
	return nil
}
