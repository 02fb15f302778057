package server

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"renalwatch/fhir/cdshooks"
	"renalwatch/store"
)

// unsendable is a connection whose answer cannot be sent: the write
// lands in a buffer, and flushing it fails as a connection past its write
// deadline does.
type unsendable struct{ *httptest.ResponseRecorder }

func (unsendable) FlushError() error {
	return fmt.Errorf("write tcp 127.0.0.1:18110->127.0.0.1:5000: %w", os.ErrDeadlineExceeded)
}

// TestUndeliveredAnswerAudited (F15, trial 10): a CDS call whose answer
// could not be sent (the server's 2-minute write timeout passed; the EHR
// got an empty reply) was logged 200 and audited "ok" alone. Now a second
// audit row says the answer was not delivered and why, and the access log
// record is an error saying so; the network error (addresses) is not
// recorded. A delivered answer keeps its one row.
func TestUndeliveredAnswerAudited(t *testing.T) {
	db := openDemo(t).(callStore)
	s, logs := newTestServer(t, Config{Store: db, CDS: &cdshooks.Config{Demo: true}})
	r := httptest.NewRequest("POST", "/cds-services/"+cdshooks.DefaultServiceID, strings.NewReader(cdsCall(t)))
	r.Header.Set("Content-Type", "application/json")
	w := unsendable{httptest.NewRecorder()}
	s.ServeHTTP(w, r)
	rows, err := db.AuditLog(context.Background(), store.AuditQuery{})
	if err != nil || len(rows) != 2 {
		t.Fatalf("audit rows %+v, %v; want the call's and its delivery failure", rows, err)
	}
	var outcomes []string
	for _, row := range rows {
		outcomes = append(outcomes, row.Outcome)
		if row.PatientID != "ln-class-iv-g4" || row.Action != "cds call "+cdshooks.DefaultServiceID {
			t.Errorf("row %+v: want the call's action and patient", row)
		}
	}
	joined := strings.Join(outcomes, " | ")
	if !strings.Contains(joined, "error: the answer was not delivered, the server's write timeout had passed (its outcome: ok)") {
		t.Errorf("outcomes %q: no delivery failure", joined)
	}
	log := logs.String()
	if !strings.Contains(log, `"undelivered":"the server's write timeout had passed"`) || strings.Contains(log, "127.0.0.1:5000") {
		t.Errorf("access log does not say the answer was not delivered, or names the address:\n%s", log)
	}

	// Delivered: one row, "ok".
	db2 := openDemo(t).(callStore)
	s2, _ := newTestServer(t, Config{Store: db2, CDS: &cdshooks.Config{Demo: true}})
	res := do(t, s2, "POST", "/cds-services/"+cdshooks.DefaultServiceID, strings.NewReader(cdsCall(t)), map[string]string{"Content-Type": "application/json"})
	if res.StatusCode != http.StatusOK {
		t.Fatal(res.Status)
	}
	if rows, err := db2.AuditLog(context.Background(), store.AuditQuery{}); err != nil || len(rows) != 1 || rows[0].Outcome != "ok" {
		t.Errorf("delivered: rows %+v, %v", rows, err)
	}
}
