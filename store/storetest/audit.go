package storetest

import (
	"testing"
	"time"

	"renalwatch/store"
)

// RunAudit tests a store's audit trail: entries come back oldest first,
// selected by patient and time, and the database refuses to change or
// delete them (tamper(sql) runs one statement on the store's database and
// returns its error).
func RunAudit(t *testing.T, a store.Auditor, tamper func(sql string) error) {
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 123456789, time.UTC)
	entries := []store.AuditEntry{
		{Time: t0, Who: "alice", Action: "read assessment", PatientID: "p1", Outcome: "ok"},
		{Time: t0.Add(time.Hour), Who: "bob", Action: "import", Outcome: "ok: 12 imported"},
		{Time: t0.Add(2 * time.Hour), Who: "alice", Action: "read patient", PatientID: "p2", Outcome: "not found"},
		{Time: t0.Add(3 * time.Hour), Who: "carol", Action: "read assessment", PatientID: "p1", Outcome: "denied"},
	}
	for _, e := range entries {
		if err := a.Audit(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	all, err := a.AuditLog(ctx, store.AuditQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != len(entries) {
		t.Fatalf("%d entries, want %d", len(all), len(entries))
	}
	for i := range all {
		if !all[i].Time.Equal(entries[i].Time) || all[i].Who != entries[i].Who || all[i].Action != entries[i].Action ||
			all[i].PatientID != entries[i].PatientID || all[i].Outcome != entries[i].Outcome {
			t.Errorf("entry %d = %+v, want %+v", i, all[i], entries[i])
		}
	}
	p1, err := a.AuditLog(ctx, store.AuditQuery{PatientID: "p1", Since: t0.Add(time.Minute)})
	if err != nil || len(p1) != 1 || p1[0].Who != "carol" {
		t.Errorf("p1 since 09:01: %+v, %v; want carol's only", p1, err)
	}
	for _, q := range []string{`UPDATE audit SET who = 'mallory'`, `DELETE FROM audit`} {
		if err := tamper(q); err == nil {
			t.Errorf("%s: the database accepted it", q)
		}
	}
	if after, _ := a.AuditLog(ctx, store.AuditQuery{}); len(after) != len(entries) || after[0].Who != "alice" {
		t.Errorf("after the refused changes: %+v", after)
	}
}
