package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"renalwatch/store"
)

var _ store.FeedbackStore = (*DB)(nil)

// The statements of the small writes made per request: a CDS Hooks
// call's audit row and cards, a JWT id, a feedback report.
const (
	sqlAudit    = `INSERT INTO audit (patient_id, time, who, action, outcome) VALUES (?, ?, ?, ?, ?)`
	sqlCard     = `INSERT OR IGNORE INTO cds_card (uuid, service_id, alert_code, issued) VALUES (?, ?, ?, ?)`
	sqlFeedback = `INSERT OR IGNORE INTO cds_feedback (service_id, card, outcome, outcome_timestamp, body) VALUES (?, ?, ?, ?, ?)`
	sqlJTI      = `INSERT INTO cds_jti (key, until) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET until = excluded.until WHERE cds_jti.until <= ?`
	sqlJTIPurge = `DELETE FROM cds_jti WHERE until <= ?`
)

// writeStmts are prepared once on the writer connection (prepareWrites):
// SQLite compiles a statement in about the time it takes to run one of
// these, so preparing each on every call doubled their cost.
var writeStmts = []string{sqlAudit, sqlCard, sqlFeedback, sqlJTI, sqlJTIPurge}

// prepareWrites prepares writeStmts on the writer connection.
func (db *DB) prepareWrites(ctx context.Context) error {
	db.stmts = make(map[string]*sql.Stmt, len(writeStmts))
	for _, q := range writeStmts {
		st, err := db.w.PrepareContext(ctx, q)
		if err != nil {
			return err
		}
		db.stmts[q] = st
	}
	return nil
}

// IssueCard implements store.FeedbackStore (table cds_card, migration 0005).
func (db *DB) IssueCard(ctx context.Context, cs ...store.IssuedCard) error {
	if err := store.CheckIssued(cs); err != nil || len(cs) == 0 {
		return err
	}
	return db.write(ctx, func(exec func(string, ...any) (sql.Result, error)) error {
		return insertCards(exec, cs)
	})
}

// insertCards writes issued cards in the transaction of exec; a UUID
// already stored keeps its first row.
func insertCards(exec func(string, ...any) (sql.Result, error), cs []store.IssuedCard) error {
	for _, c := range cs {
		if _, err := exec(sqlCard, c.UUID, c.ServiceID, c.AlertCode, textTime(c.Issued)); err != nil {
			return err
		}
	}
	return nil
}

// RecordFeedback implements store.FeedbackStore (table cds_feedback).
func (db *DB) RecordFeedback(ctx context.Context, f store.CardFeedback) error {
	if f.Card == "" || (f.Outcome != "accepted" && f.Outcome != "overridden") {
		return fmt.Errorf("record feedback: %w: card %q, outcome %q", store.ErrInvalid, f.Card, f.Outcome)
	}
	body := f.Body
	if body == nil {
		body = []byte{}
	}
	return db.write(ctx, func(exec func(string, ...any) (sql.Result, error)) error {
		_, err := exec(sqlFeedback, f.ServiceID, f.Card, f.Outcome, f.OutcomeTimestamp, body)
		return err
	})
}

// FeedbackCounts implements store.FeedbackStore: distinct cards per alert
// code and outcome.
func (db *DB) FeedbackCounts(ctx context.Context) ([]store.FeedbackCount, error) {
	rows, err := db.r.QueryContext(ctx, `
		SELECT coalesce(c.alert_code, ?) AS code,
			count(DISTINCT CASE WHEN f.outcome = 'accepted' THEN f.card END),
			count(DISTINCT CASE WHEN f.outcome = 'overridden' THEN f.card END)
		FROM cds_feedback f LEFT JOIN cds_card c ON c.uuid = f.card
		GROUP BY code ORDER BY code`, store.UnknownAlertCode)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []store.FeedbackCount{}
	for rows.Next() {
		var c store.FeedbackCount
		if err := rows.Scan(&c.AlertCode, &c.Accepted, &c.Overridden); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

var _ store.ReplayStore = (*DB)(nil)

// SeenJTI implements store.ReplayStore (table cds_jti) in one write
// transaction, whose writer lock makes the check and the record atomic:
// the key is inserted, or an expired row of it renewed (sqlJTI); no row
// changed means it is recorded and not expired (seen). Expired rows of
// other keys are purged on the way, at most once a minute of now (they
// never count as seen, so purging them only keeps the table small).
func (db *DB) SeenJTI(ctx context.Context, key string, until, now time.Time) (bool, error) {
	if key == "" {
		return false, fmt.Errorf("seen jti: %w: empty key", store.ErrInvalid)
	}
	seen := false
	last, sec := db.jtiPurged.Load(), now.Unix()
	purge := sec-last >= jtiPurgeEvery || sec < last
	err := db.write(ctx, func(exec func(string, ...any) (sql.Result, error)) error {
		if purge {
			if _, err := exec(sqlJTIPurge, textTime(now)); err != nil {
				return err
			}
		}
		res, err := exec(sqlJTI, key, textTime(until), textTime(now))
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		seen = n == 0
		return err
	})
	if err == nil && purge {
		db.jtiPurged.CompareAndSwap(last, sec)
	}
	return seen, err
}

// jtiPurgeEvery is how often (seconds) SeenJTI purges expired JWT ids.
const jtiPurgeEvery = 60
