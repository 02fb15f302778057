package server

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"renalwatch/assess"
	"renalwatch/record"
	"renalwatch/store"
	"renalwatch/units"
)

// A creatinine its source retracted (trial 3 #2) is listed under "Not
// used" on the patient page, in the report's words (textfmt.NotUsed), and
// no longer drawn.
func TestPatientPageNotUsed(t *testing.T) {
	db, cr := demoCreatinine(t)
	ctx := context.Background()
	o := cr[len(cr)-2] // one before the latest: the page's eGFR stays from the latest
	if res, err := db.Import(ctx, &record.Batch{Retractions: []record.Retraction{retraction(o)}}, store.ImportOptions{}); err != nil || res.Retractions != 1 {
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

// The eGFRs RenalWatch computed in an earlier report and read back
// (assess.ComputedEarlier) are listed on the page by group, in the report's
// words (textfmt.NotUsedLines): one line for those whose creatinine is in
// the record, and, apart and first, those whose creatinine is not, each
// date with its value. A retracted creatinine keeps its own line. The old
// page had one line per eGFR, burying the retraction.
func TestPatientPageNotUsedGrouped(t *testing.T) {
	db, cr := demoCreatinine(t)
	ctx := context.Background()
	gone := cr[len(cr)-2] // retracted: its date's RenalWatch eGFR has no creatinine
	earlier := func(id string, at time.Time, v float64) record.Observation {
		o := record.Observation{ID: id, PatientID: gone.PatientID, Analyte: units.EGFR, Value: units.Q(v, units.MLPerMinBSA), Time: at}
		o.SetProvenance(record.Provenance{ResourceType: "Observation", ResourceID: id, Unit: "mL/min/{1.73_m2}",
			Code: record.Coding{System: assess.ComputedEGFRSystem, Code: "ckd-epi-2021"}})
		return o
	}
	b := record.Batch{Retractions: []record.Retraction{retraction(gone)}}
	for i, o := range cr[:3] {
		b.Observations = append(b.Observations, earlier("e"+strconv.Itoa(i), o.Time, 80+float64(i)))
	}
	b.Observations = append(b.Observations, earlier("e8", gone.Time, 30.4), earlier("e9", gone.Time.AddDate(0, 0, -1), 31.2))
	if _, err := db.Import(ctx, &b, store.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	s, _ := newTestServer(t, Config{Store: db})
	body := string(readAll(t, do(t, s, "GET", "/patients/ln-class-iv-g4?as_of="+testAsOf, nil, nil)))
	date := func(t time.Time) string { return t.UTC().Format("2006-01-02") }
	eq := " eGFRs computed by RenalWatch with CKD-EPI 2021 creatinine (race-free) in an earlier report, "
	for _, want := range []string{
		"(" + gone.ID + "): retracted by the source (status entered-in-error): kept in the store, not used in this assessment",
		"2" + eq + date(gone.Time.AddDate(0, 0, -1)) + " to " + date(gone.Time) + ": not laboratory results: not used; the creatinine they were computed from is not in the record (import the laboratory&#39;s creatinine to have those dates assessed): 31 mL/min/1.73 m² on " + date(gone.Time.AddDate(0, 0, -1)) + ", 30 on " + date(gone.Time),
		"3" + eq + date(cr[0].Time) + " to " + date(cr[2].Time) + ": not laboratory results: not used; each date&#39;s eGFR is computed afresh from its creatinine in the record",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("patient page lacks %q", want)
		}
	}
	if n := strings.Count(body, "in an earlier report"); n != 2 {
		t.Errorf("%d mentions of an earlier report on the page: want the 2 group lines", n)
	}
}

// demoCreatinine returns the demonstration store and the creatinines of
// ln-class-iv-g4, in time order.
func demoCreatinine(t *testing.T) (store.Store, []record.Observation) {
	t.Helper()
	db := openDemo(t)
	tl, err := db.Timeline(context.Background(), "ln-class-iv-g4")
	if err != nil {
		t.Fatal(err)
	}
	return db, tl.Values(units.Creatinine)
}

// retraction is the source's entered-in-error of observation o.
func retraction(o record.Observation) record.Retraction {
	return record.Retraction{ID: record.RetractionID(record.RetractObservation, o.ID), PatientID: o.PatientID, Kind: record.RetractObservation,
		Target: o.ID, Status: "status entered-in-error"}
}
