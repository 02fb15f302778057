package storetest

import (
	"testing"
	"time"

	"renalwatch/record"
	"renalwatch/store"
)

// An audited import (store.ImportOptions.Audit) writes one audit row per
// patient whose record it changed, naming the patient and the counts, in
// its own transaction: none for what was already stored, and none when
// strict mode rolls it back.
func testImportAudit(t *testing.T, s store.Store) {
	a, ok := s.(store.Auditor)
	if !ok {
		t.Skip("the store keeps no audit trail")
	}
	at := time.Date(2026, 3, 1, 9, 0, 0, 5, time.UTC)
	opt := store.ImportOptions{Audit: &store.ImportAudit{Time: at, Who: "cli:alice"}}
	res := mustImport(t, s, fullBatch(), opt)
	if res.AuditRows != 2 {
		t.Errorf("AuditRows = %d, want 2 (p1, p2)", res.AuditRows)
	}
	want := map[string]string{
		"p1": "ok: new patient, 4 observations, 1 condition, 2 findings, 1 biopsy, 1 therapy record",
		"p2": "ok: new patient, 1 observation, 1 kidney replacement record",
	}
	for pid, outcome := range want {
		rows, err := a.AuditLog(ctx, store.AuditQuery{PatientID: pid})
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 1 || rows[0].Action != "import" || rows[0].Who != "cli:alice" || !rows[0].Time.Equal(at) || rows[0].Outcome != outcome {
			t.Errorf("audit of %s: %+v; want one import row by cli:alice at %s, %q", pid, rows, at, outcome)
		}
	}
	// The same batch again changes nothing: no row.
	if res := mustImport(t, s, fullBatch(), opt); res.AuditRows != 0 {
		t.Errorf("the same batch again wrote %d audit rows", res.AuditRows)
	}
	// A new result, a retraction and new details of p1.
	p1 := fullBatch().Patients[0]
	p1.BirthDate = day("1979-05-17")
	b := &record.Batch{Patients: []record.Patient{p1}, Observations: []record.Observation{creat("Observation/c4", "p1", "2021-01-01", 1.6)},
		Retractions: []record.Retraction{{ID: record.RetractionID(record.RetractObservation, "Observation/c2"), PatientID: "p1",
			Kind: record.RetractObservation, Target: "Observation/c2", Status: "status entered-in-error", Provenance: prov("Observation/c2")}}}
	if res := mustImport(t, s, b, opt); res.AuditRows != 1 {
		t.Errorf("AuditRows = %d, want 1 (p1)", res.AuditRows)
	}
	rows, _ := a.AuditLog(ctx, store.AuditQuery{PatientID: "p1"})
	if len(rows) != 2 || rows[1].Outcome != "ok: 1 observation, 1 retraction, details birth date 1980-05-17 → 1979-05-17" {
		t.Errorf("audit of p1 after the second import: %+v", rows)
	}
	// Strict mode rolls back a batch with a rejection, and its rows.
	bad := &record.Batch{Observations: []record.Observation{creat("Observation/c5", "p2", "2021-02-01", 1.0), creat("Observation/x", "nobody", "2021-01-01", 1.0)}}
	strict := opt
	strict.Strict = true
	if res := mustImport(t, s, bad, strict); !res.RolledBack || res.AuditRows != 0 {
		t.Errorf("strict import with a rejection: rolled back %v, %d audit rows", res.RolledBack, res.AuditRows)
	}
	if rows, _ := a.AuditLog(ctx, store.AuditQuery{PatientID: "p2"}); len(rows) != 1 {
		t.Errorf("audit of p2 after a strict import rolled back: %+v", rows)
	}
	// Without Audit, an import writes no row.
	if res := mustImport(t, s, &record.Batch{Observations: []record.Observation{creat("Observation/c6", "p2", "2021-03-01", 1.0)}}, store.ImportOptions{}); res.AuditRows != 0 {
		t.Errorf("an import without Audit wrote %d rows", res.AuditRows)
	}
	if rows, _ := a.AuditLog(ctx, store.AuditQuery{}); len(rows) != 3 {
		t.Errorf("audit trail: %d rows, want 3: %+v", len(rows), rows)
	}
}
