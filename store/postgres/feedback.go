package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"renalwatch/store"
)

var (
	_ store.FeedbackStore = (*DB)(nil)
	_ store.ReplayStore   = (*DB)(nil)
)

// IssueCard implements store.FeedbackStore (table cds_card, migration
// 0003): the first issue of a UUID is kept.
func (db *DB) IssueCard(ctx context.Context, cs ...store.IssuedCard) error {
	if err := store.CheckIssued(cs); err != nil || len(cs) == 0 {
		return err
	}
	var b pgx.Batch
	queueCards(&b, cs)
	// A batch sent outside a transaction runs as one implicit transaction.
	return db.err(db.pool.SendBatch(ctx, &b).Close())
}

// queueCards adds the inserts of issued cards to b; a UUID already stored
// keeps its first row.
func queueCards(b *pgx.Batch, cs []store.IssuedCard) {
	for _, c := range cs {
		b.Queue(`INSERT INTO cds_card (uuid, service_id, alert_code, issued) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
			c.UUID, c.ServiceID, c.AlertCode, textTime(c.Issued))
	}
}

// RecordFeedback implements store.FeedbackStore (table cds_feedback): the
// same report stored again is one row, the first body kept.
func (db *DB) RecordFeedback(ctx context.Context, f store.CardFeedback) error {
	if f.Card == "" || (f.Outcome != "accepted" && f.Outcome != "overridden") {
		return fmt.Errorf("record feedback: %w: card %q, outcome %q", store.ErrInvalid, f.Card, f.Outcome)
	}
	body := f.Body
	if body == nil {
		body = []byte{}
	}
	_, err := db.pool.Exec(ctx, `INSERT INTO cds_feedback (service_id, card, outcome, outcome_timestamp, body) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT DO NOTHING`, f.ServiceID, f.Card, f.Outcome, f.OutcomeTimestamp, body)
	return db.err(err)
}

// FeedbackCounts implements store.FeedbackStore: distinct cards per alert
// code and outcome, by code.
func (db *DB) FeedbackCounts(ctx context.Context) ([]store.FeedbackCount, error) {
	rows, _ := db.pool.Query(ctx, `
		SELECT coalesce(c.alert_code, $1::text) COLLATE "C" AS code,
			count(DISTINCT CASE WHEN f.outcome = 'accepted' THEN f.card END),
			count(DISTINCT CASE WHEN f.outcome = 'overridden' THEN f.card END)
		FROM cds_feedback f LEFT JOIN cds_card c ON c.uuid = f.card
		GROUP BY 1 ORDER BY 1`, store.UnknownAlertCode)
	out := []store.FeedbackCount{}
	var c store.FeedbackCount
	_, err := pgx.ForEachRow(rows, []any{&c.AlertCode, &c.Accepted, &c.Overridden}, func() error {
		out = append(out, c)
		return nil
	})
	return out, db.err(err)
}

// SeenJTI implements store.ReplayStore (table cds_jti) in one statement:
// the key is inserted, or an expired row of it renewed; no row back means
// it is recorded and not expired (seen). The primary key makes two calls
// with one key at once, on any server, see it once. Expired rows of other
// keys are purged on the way.
func (db *DB) SeenJTI(ctx context.Context, key string, until, now time.Time) (bool, error) {
	if key == "" {
		return false, fmt.Errorf("seen jti: %w: empty key", store.ErrInvalid)
	}
	n, k := *textTime(now), []byte(key) // bytea: the key holds a NUL byte (iss, NUL, jti)
	if _, err := db.pool.Exec(ctx, `DELETE FROM cds_jti WHERE until <= $1 AND key <> $2`, n, k); err != nil {
		return false, db.err(err)
	}
	tag, err := db.pool.Exec(ctx, `INSERT INTO cds_jti (key, until) VALUES ($1, $2)
		ON CONFLICT (key) DO UPDATE SET until = EXCLUDED.until WHERE cds_jti.until <= $3`, k, *textTime(until), n)
	if err != nil {
		return false, db.err(err)
	}
	return tag.RowsAffected() == 0, nil
}
