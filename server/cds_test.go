package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"renalwatch/fhir/cdshooks"
	"renalwatch/store"
)

// cdsCall is a patient-view call for ln-class-iv-g4 whose prefetch holds
// the patient's demonstration Bundle (demo/data, synthetic): its Patient,
// and the Bundle under observations; the other keys null (no such data).
func cdsCall(t *testing.T) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "demo", "data", "ln-class-iv-g4.json"))
	if err != nil {
		t.Fatal(err)
	}
	var b struct {
		Entry []struct {
			Resource json.RawMessage `json:"resource"`
		} `json:"entry"`
	}
	if err := json.Unmarshal(raw, &b); err != nil {
		t.Fatal(err)
	}
	// The demo record (a collection Bundle) as the searchset a FHIR
	// server answers the observations search with.
	raw = bytes.Replace(raw, []byte(`"type": "collection"`), []byte(`"type": "searchset"`), 1)
	var patient json.RawMessage
	for _, e := range b.Entry {
		if strings.Contains(string(e.Resource), `"resourceType":"Patient"`) || strings.Contains(string(e.Resource), `"resourceType": "Patient"`) {
			patient = e.Resource
		}
	}
	if patient == nil {
		t.Fatal("no Patient in the demo Bundle")
	}
	call, err := json.Marshal(map[string]any{
		"hook": "patient-view", "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
		"context": map[string]string{"userId": "Practitioner/example", "patientId": "ln-class-iv-g4"},
		"prefetch": map[string]json.RawMessage{"patient": patient, "observations": raw, "conditions": json.RawMessage("null"),
			"medicationRequests": json.RawMessage("null"), "medicationStatements": json.RawMessage("null"), "procedures": json.RawMessage("null")},
	})
	if err != nil {
		t.Fatal(err)
	}
	return string(call)
}

// callStore is the SQLite store seen through the interfaces the server
// uses for a CDS call.
type callStore interface {
	store.Store
	store.Auditor
	store.FeedbackStore
	store.CallAuditor
}

// failingCallAudit is a store whose CDS call audit (row and cards in one
// transaction) cannot be written.
type failingCallAudit struct{ callStore }

func (failingCallAudit) AuditIssued(context.Context, store.AuditEntry, ...store.IssuedCard) error {
	return errors.New("disk full")
}

// A CDS call's audit row and the cards it issued are written together
// (store.CallAuditor) before the answer: feedback on a card returned
// finds its alert code. When that write fails, the call is answered 500
// without its cards.
func TestCDSCallAuditedWithCards(t *testing.T) {
	db := openDemo(t).(callStore)
	s, _ := newTestServer(t, Config{Store: db, CDS: &cdshooks.Config{Demo: true}})
	res := do(t, s, "POST", "/cds-services/"+cdshooks.DefaultServiceID, strings.NewReader(cdsCall(t)), map[string]string{"Content-Type": "application/json"})
	body := readAll(t, res)
	var resp cdshooks.Response
	if res.StatusCode != 200 || json.Unmarshal(body, &resp) != nil || len(resp.Cards) == 0 {
		t.Fatalf("call: %d %s; want 200 with cards", res.StatusCode, body)
	}
	rows, err := db.AuditLog(context.Background(), store.AuditQuery{})
	if err != nil || len(rows) != 1 || rows[0].Action != "cds call "+cdshooks.DefaultServiceID || rows[0].PatientID != "ln-class-iv-g4" || rows[0].Outcome != "ok" {
		t.Fatalf("audit rows %+v, %v; want the call's", rows, err)
	}
	for _, c := range resp.Cards {
		if err := db.RecordFeedback(context.Background(), store.CardFeedback{ServiceID: cdshooks.DefaultServiceID, Card: c.UUID,
			Outcome: "overridden", OutcomeTimestamp: "2026-11-01T12:00:00Z", Body: []byte(`{}`)}); err != nil {
			t.Fatal(err)
		}
	}
	counts, err := db.FeedbackCounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range counts {
		if c.AlertCode == store.UnknownAlertCode {
			t.Errorf("feedback on a returned card counted as unknown: %+v", counts)
		}
		n += c.Overridden
	}
	if n != len(resp.Cards) {
		t.Errorf("feedback counts %+v, want %d cards", counts, len(resp.Cards))
	}

	s, _ = newTestServer(t, Config{Store: failingCallAudit{db}, CDS: &cdshooks.Config{Demo: true}})
	res = do(t, s, "POST", "/cds-services/"+cdshooks.DefaultServiceID, strings.NewReader(cdsCall(t)), map[string]string{"Content-Type": "application/json"})
	body = readAll(t, res)
	if res.StatusCode != http.StatusInternalServerError || strings.Contains(string(body), "cards") {
		t.Errorf("call whose audit cannot be written: %d %s; want 500 without cards", res.StatusCode, body)
	}
}
