package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"renalwatch/store"
)

var _ store.Auditor = (*DB)(nil)

// Audit appends one entry to the audit trail (migration 0006), on the
// writer connection: it waits for an import as any write does.
func (db *DB) Audit(ctx context.Context, e store.AuditEntry) error {
	if e.Time.IsZero() {
		e.Time = time.Now()
	}
	err := db.write(ctx, func(exec func(string, ...any) (sql.Result, error)) error {
		_, err := exec(sqlAudit, e.PatientID, e.Time.UTC().Format(textTimeLayout), e.Who, e.Action, e.Outcome)
		return err
	})
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}

var _ store.CallAuditor = (*DB)(nil)

// AuditIssued implements store.CallAuditor: the audit row and the issued
// cards (table cds_card) in one write transaction.
func (db *DB) AuditIssued(ctx context.Context, e store.AuditEntry, cs ...store.IssuedCard) error {
	if err := store.CheckIssued(cs); err != nil {
		return err
	}
	if e.Time.IsZero() {
		e.Time = time.Now()
	}
	err := db.write(ctx, func(exec func(string, ...any) (sql.Result, error)) error {
		if _, err := exec(sqlAudit, e.PatientID, e.Time.UTC().Format(textTimeLayout), e.Who, e.Action, e.Outcome); err != nil {
			return err
		}
		return insertCards(exec, cs)
	})
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}

// AuditLog lists the audit entries q selects, oldest first.
func (db *DB) AuditLog(ctx context.Context, q store.AuditQuery) ([]store.AuditEntry, error) {
	since := ""
	if !q.Since.IsZero() {
		since = q.Since.UTC().Format(textTimeLayout)
	}
	var out []store.AuditEntry
	err := eachRow(ctx, db.r, `SELECT time, who, action, patient_id, outcome FROM audit
		WHERE (? = '' OR patient_id = ?) AND time >= ? ORDER BY seq`, func(r *sql.Rows) error {
		var (
			e  store.AuditEntry
			at sql.NullString
		)
		if err := r.Scan(&at, &e.Who, &e.Action, &e.PatientID, &e.Outcome); err != nil {
			return err
		}
		t, err := fromTextTime(at)
		if err != nil {
			return err
		}
		e.Time = t
		out = append(out, e)
		return nil
	}, q.PatientID, q.PatientID, since)
	return out, err
}

var _ store.ChangeCounter = (*DB)(nil)

// Changes returns the number of committed imports that stored something,
// by any program (store.ChangeCounter).
func (db *DB) Changes(ctx context.Context) (int64, error) {
	var n int64
	err := db.r.QueryRowContext(ctx, `SELECT changes FROM store_changes`).Scan(&n)
	return n, err
}

// auditRowsAtOnce is how many audit rows one INSERT of auditPatients
// writes (5 parameters each, well below SQLite's limit of 32,766).
const auditRowsAtOnce = 1000

// auditPatients writes the import's audit rows of its patients
// (store.ImportAudit) in its transaction, auditRowsAtOnce rows an INSERT.
func (im *importer) auditPatients() error {
	es := im.AuditEntries()
	for start := 0; start < len(es); start += auditRowsAtOnce {
		part := es[start:min(start+auditRowsAtOnce, len(es))]
		args := make([]any, 0, 5*len(part))
		for _, e := range part {
			args = append(args, e.PatientID, e.Time.UTC().Format(textTimeLayout), e.Who, e.Action, e.Outcome)
		}
		q := `INSERT INTO audit (patient_id, time, who, action, outcome) VALUES (?, ?, ?, ?, ?)` + strings.Repeat(`, (?, ?, ?, ?, ?)`, len(part)-1)
		if _, err := im.tx.ExecContext(im.ctx, q, args...); err != nil {
			return err
		}
	}
	im.res.AuditRows = len(es)
	return nil
}
