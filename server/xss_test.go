package server

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"renalwatch/record"
	"renalwatch/store"
	"renalwatch/units"
)

// TestNoMarkupInjection: text from records (ids, drug names) cannot close
// the chart data's script element or add markup to a page.
func TestNoMarkupInjection(t *testing.T) {
	db := openDemo(t)
	id := `x</script><script>alert(1)</script>`
	name := `<img src=x onerror=alert(2)>`
	day := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	cr, err := units.Creatinine.Normalize("", units.Q(1.1, units.MgPerDL))
	if err != nil {
		t.Fatal(err)
	}
	b := record.Batch{
		Patients:     []record.Patient{{ID: id, Sex: record.Female, BirthDate: time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)}},
		Observations: []record.Observation{{ID: "o1", PatientID: id, Analyte: units.Creatinine, Value: cr, Time: day}},
		Therapies:    []record.Therapy{{ID: "t1", PatientID: id, Class: record.OtherTherapy, Name: name, Start: day}},
	}
	if res, err := db.Import(context.Background(), &b, store.ImportOptions{Strict: true}); err != nil || len(res.Rejected) > 0 {
		t.Fatalf("%v %v", err, res)
	}
	s, _ := newTestServer(t, Config{Store: db})
	for _, target := range []string{"/?as_of=" + testAsOf, "/patients/" + url.PathEscape(id) + "?as_of=" + testAsOf} {
		resp := do(t, s, "GET", target, nil, nil)
		body := string(readAll(t, resp))
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d", target, resp.StatusCode)
		}
		if strings.HasPrefix(target, "/patients/") && (!strings.Contains(body, "&lt;img src=x") || !strings.Contains(body, `\u003cimg src=x`)) {
			t.Errorf("the therapy name is not shown escaped in the table and the chart data")
		}
		for _, bad := range []string{"<script>alert", "<img src=x", "</script><script>"} {
			if strings.Contains(body, bad) {
				t.Errorf("%s: page contains %q", target, bad)
			}
		}
	}
}
