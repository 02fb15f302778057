package server

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"renalwatch/fhir/cdshooks"
	"renalwatch/store"
)

// Trial #13: a CDS call refused with 400 because its context.patientId is
// not a FHIR id ("Patient/123", "bad id!") records no patient id in the
// audit, and the row says why; a call refused for another reason keeps
// the valid patient id it named.
func TestCDSAuditInvalidPatientID(t *testing.T) {
	for _, tc := range []struct {
		patientID, wantPatient, wantOutcome string
	}{
		{"Patient/123", "", "refused (Bad Request): context.patientId is not a FHIR id (such as a reference Patient/{id}); no patient recorded"},
		{"bad id!", "", "refused (Bad Request): context.patientId is not a FHIR id (such as a reference Patient/{id}); no patient recorded"},
		{"ln-class-iv-g4", "ln-class-iv-g4", "ok"},
	} {
		db := openDemo(t).(callStore)
		s, _ := newTestServer(t, Config{Store: db, CDS: &cdshooks.Config{Demo: true}})
		call := strings.Replace(cdsCall(t), `"patientId":"ln-class-iv-g4"`, `"patientId":"`+tc.patientID+`"`, 1)
		res := do(t, s, "POST", "/cds-services/"+cdshooks.DefaultServiceID, strings.NewReader(call), map[string]string{"Content-Type": "application/json"})
		readAll(t, res)
		if tc.wantOutcome != "ok" && res.StatusCode != http.StatusBadRequest {
			t.Fatalf("%q: status %d, want 400", tc.patientID, res.StatusCode)
		}
		rows, err := db.AuditLog(context.Background(), store.AuditQuery{})
		if err != nil || len(rows) != 1 {
			t.Fatalf("%q: audit rows %+v, %v; want one", tc.patientID, rows, err)
		}
		if rows[0].PatientID != tc.wantPatient || rows[0].Outcome != tc.wantOutcome {
			t.Errorf("%q: audit patient %q, outcome %q; want %q, %q", tc.patientID, rows[0].PatientID, rows[0].Outcome, tc.wantPatient, tc.wantOutcome)
		}
	}
}
