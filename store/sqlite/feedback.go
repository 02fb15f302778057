package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"renalwatch/store"
)

var _ store.FeedbackStore = (*DB)(nil)

// write runs f in one write transaction.
func (db *DB) write(ctx context.Context, f func(exec func(q string, args ...any) (sql.Result, error)) error) error {
	conn, err := db.w.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	tx, err := db.begin(ctx, conn)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := f(func(q string, args ...any) (sql.Result, error) {
		return tx.ExecContext(ctx, q, args...)
	}); err != nil {
		return err
	}
	return tx.Commit()
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
		if _, err := exec(`INSERT OR IGNORE INTO cds_card (uuid, service_id, alert_code, issued) VALUES (?, ?, ?, ?)`,
			c.UUID, c.ServiceID, c.AlertCode, textTime(c.Issued)); err != nil {
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
		_, err := exec(`INSERT OR IGNORE INTO cds_feedback (service_id, card, outcome, outcome_timestamp, body) VALUES (?, ?, ?, ?, ?)`,
			f.ServiceID, f.Card, f.Outcome, f.OutcomeTimestamp, body)
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
// transaction: the SQLite writer lock makes the check and the insert
// atomic. Expired rows are purged on the way.
func (db *DB) SeenJTI(ctx context.Context, key string, until, now time.Time) (bool, error) {
	if key == "" {
		return false, fmt.Errorf("seen jti: %w: empty key", store.ErrInvalid)
	}
	seen := false
	err := db.write(ctx, func(exec func(string, ...any) (sql.Result, error)) error {
		if _, err := exec(`DELETE FROM cds_jti WHERE until <= ?`, textTime(now)); err != nil {
			return err
		}
		res, err := exec(`INSERT OR IGNORE INTO cds_jti (key, until) VALUES (?, ?)`, key, textTime(until))
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		seen = n == 0
		return err
	})
	return seen, err
}
