package server

import (
	"context"
	"strings"
	"testing"
	"time"

	"renalwatch/record"
	"renalwatch/store"
	"renalwatch/units"
)

// A creatinine its source retracted (trial 3 #2) is listed under "Not
// used" on the patient page, in the report's words (textfmt.NotUsed), and
// no longer drawn.
func TestPatientPageNotUsed(t *testing.T) {
	db := openDemo(t)
	ctx := context.Background()
	tl, err := db.Timeline(ctx, "ln-class-iv-g4")
	if err != nil {
		t.Fatal(err)
	}
	cr := tl.Values(units.Creatinine)
	o := cr[len(cr)-2] // one before the latest: the page's eGFR stays from the latest
	r := record.Retraction{ID: record.RetractionID(record.RetractObservation, o.ID), PatientID: o.PatientID, Kind: record.RetractObservation,
		Target: o.ID, Status: "status entered-in-error"}
	if res, err := db.Import(ctx, &record.Batch{Retractions: []record.Retraction{r}}, store.ImportOptions{}); err != nil || res.Retractions != 1 {
		t.Fatalf("import of the retraction: %v %+v", err, res)
	}
	s, _ := newTestServer(t, Config{Store: db})
	body := string(readAll(t, do(t, s, "GET", "/patients/ln-class-iv-g4?as_of="+testAsOf, nil, nil)))
	want := `<h2 id="h-notused">Not used</h2>`
	line := "on " + o.Time.UTC().Format("2006-01-02") + " (" + o.ID + "): retracted by the source (status entered-in-error): kept in the store, not used in this assessment"
	if !strings.Contains(body, want) || !strings.Contains(body, line) {
		t.Errorf("patient page lacks the Not used list with %q", line)
	}
	if strings.Contains(body, `"date":"`+o.Time.UTC().Format("2006-01-02")+`","value"`) {
		t.Errorf("the retracted creatinine's eGFR is still drawn")
	}
}

// A patient whose details a later import replaced (here, a date of death)
// is shown with the death, and the page says what changed.
func TestPatientPageUpdated(t *testing.T) {
	db := openDemo(t)
	ctx := context.Background()
	p, err := db.Patient(ctx, "ln-class-iv-g4")
	if err != nil {
		t.Fatal(err)
	}
	p.Deceased, p.DeceasedDate, p.Provenance.File = true, day(t, "2026-10-01"), "death.ndjson"
	if res, err := db.Import(ctx, &record.Batch{Patients: []record.Patient{p}}, store.ImportOptions{}); err != nil || res.Updated != 1 {
		t.Fatalf("import of the death: %v %+v", err, res)
	}
	s, _ := newTestServer(t, Config{Store: db})
	body := string(readAll(t, do(t, s, "GET", "/patients/ln-class-iv-g4?as_of="+testAsOf, nil, nil)))
	for _, want := range []string{"Patient details updated on import of death.ndjson at ",
		"deceased was no (now yes), date of death was unknown (now " + p.DeceasedDate.Format("2006-01-02") + ")"} {
		if !strings.Contains(body, want) {
			t.Errorf("patient page lacks %q", want)
		}
	}
}

func day(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
