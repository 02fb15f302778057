package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"renalwatch/store"
)

var _ store.Auditor = (*DB)(nil)

// Audit appends one entry to the audit trail (migration 0002).
func (db *DB) Audit(ctx context.Context, e store.AuditEntry) error {
	if e.Time.IsZero() {
		e.Time = time.Now()
	}
	_, err := db.pool.Exec(ctx, `INSERT INTO audit (patient_id, time, who, action, outcome) VALUES ($1, $2, $3, $4, $5)`,
		e.PatientID, e.Time.UTC().Format(textTimeLayout), e.Who, e.Action, e.Outcome)
	if err != nil {
		return fmt.Errorf("audit: %w", db.err(err))
	}
	return nil
}

var _ store.CallAuditor = (*DB)(nil)

// AuditIssued implements store.CallAuditor: the audit row and the issued
// cards (table cds_card) in one batch, which runs as one implicit
// transaction.
func (db *DB) AuditIssued(ctx context.Context, e store.AuditEntry, cs ...store.IssuedCard) error {
	if err := store.CheckIssued(cs); err != nil {
		return err
	}
	if e.Time.IsZero() {
		e.Time = time.Now()
	}
	var b pgx.Batch
	b.Queue(`INSERT INTO audit (patient_id, time, who, action, outcome) VALUES ($1, $2, $3, $4, $5)`,
		e.PatientID, e.Time.UTC().Format(textTimeLayout), e.Who, e.Action, e.Outcome)
	queueCards(&b, cs)
	if err := db.pool.SendBatch(ctx, &b).Close(); err != nil {
		return fmt.Errorf("audit: %w", db.err(err))
	}
	return nil
}

// AuditLog lists the audit entries q selects, oldest first.
func (db *DB) AuditLog(ctx context.Context, q store.AuditQuery) ([]store.AuditEntry, error) {
	since := ""
	if !q.Since.IsZero() {
		since = q.Since.UTC().Format(textTimeLayout)
	}
	rows, _ := db.pool.Query(ctx, `SELECT time, who, action, patient_id, outcome FROM audit
		WHERE ($1 = '' OR patient_id = $1) AND time >= $2 ORDER BY seq`, q.PatientID, since)
	var (
		out []store.AuditEntry
		e   store.AuditEntry
		at  string
	)
	_, err := pgx.ForEachRow(rows, []any{&at, &e.Who, &e.Action, &e.PatientID, &e.Outcome}, func() error {
		t, err := fromTextTime(&at)
		if err != nil {
			return err
		}
		e.Time = t
		out = append(out, e)
		return nil
	})
	return out, db.err(err)
}

// auditPatients writes the import's audit rows of its patients
// (store.ImportAudit) in its transaction, with one INSERT.
func (im *importer) auditPatients() error {
	es := im.AuditEntries()
	if len(es) == 0 {
		return nil
	}
	pids, times, whos, actions, outcomes := make([]string, len(es)), make([]string, len(es)), make([]string, len(es)), make([]string, len(es)), make([]string, len(es))
	for i, e := range es {
		pids[i], times[i], whos[i], actions[i], outcomes[i] = e.PatientID, e.Time.UTC().Format(textTimeLayout), e.Who, e.Action, e.Outcome
	}
	if _, err := im.tx.Exec(im.ctx, `INSERT INTO audit (patient_id, time, who, action, outcome)
		SELECT p, t, w, act, o FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) WITH ORDINALITY AS a(p, t, w, act, o, n) ORDER BY n`,
		pids, times, whos, actions, outcomes); err != nil {
		return err
	}
	im.res.AuditRows = len(es)
	return nil
}
