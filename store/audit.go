package store

import (
	"context"
	"time"
)

// AuditEntry is one row of the audit trail: who did what to whose record,
// and how it ended. The audit trail is the one place that says who saw
// whom; logs never name a patient.
type AuditEntry struct {
	Time      time.Time // when, UTC
	Who       string    // the name of the token (or "cli", "demo")
	Action    string    // "read patient", "read assessment", "import", "cds", …
	PatientID string    // the patient concerned; empty for an import of a file
	Outcome   string    // "ok", "denied", "not found", "error", or a summary
}

// AuditQuery selects audit entries; zero fields select everything.
type AuditQuery struct {
	PatientID string
	Since     time.Time // entries at or after
}

// Auditor is a store that keeps an append-only audit trail in the same
// database as the records: store/sqlite and store/postgres both are one.
// Rows can be added, never changed or deleted (the database refuses it).
type Auditor interface {
	// Audit appends one entry. A caller that cannot audit an access must
	// not grant it.
	Audit(ctx context.Context, e AuditEntry) error
	// AuditLog lists the entries q selects, oldest first.
	AuditLog(ctx context.Context, q AuditQuery) ([]AuditEntry, error)
}

// ChangeCounter is a store that counts the imports that changed it, in
// every process that shares it: a cache of what the store holds (the
// server's patient list) stays valid while the count stays the same, even
// when another server or 'renalwatch import' wrote in between.
type ChangeCounter interface {
	Changes(ctx context.Context) (int64, error)
}

// CallAuditor is a store that writes the audit row of a CDS Hooks call and
// the cards the call issued in one transaction (store/sqlite and
// store/postgres both are one): one commit per call instead of two, and
// never the cards without their audit row or the row without its cards.
type CallAuditor interface {
	// AuditIssued appends e to the audit trail (as Auditor.Audit) and
	// records cs (as FeedbackStore.IssueCard: a UUID already stored is
	// kept as it was), both or neither. A card without UUID refuses the
	// whole write with ErrInvalid.
	AuditIssued(ctx context.Context, e AuditEntry, cs ...IssuedCard) error
}
