package server

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"renalwatch/record"
	"renalwatch/store"
)

// TestPatientPageKRTAndCoursesAfterDeath (trial-web #1, #2): a patient
// who died with no alert left (nothing is judged after death) still shows
// the dialysis and the transplant in the Kidney block, in the report's
// words, and no therapy course reads as ongoing after death: a course open
// at death ends "(death)", one followed by a gap reads "end not recorded".
func TestPatientPageKRTAndCoursesAfterDeath(t *testing.T) {
	db := openDemo(t)
	id := "died-1994"
	d := func(s string) time.Time { v, _ := time.Parse(time.DateOnly, s); return v }
	b := record.Batch{
		Patients: []record.Patient{{ID: id, Sex: record.Female, BirthDate: d("1927-03-01"), Deceased: true, DeceasedDate: d("1994-11-12")}},
		Replacements: []record.Replacement{
			{ID: "hd", PatientID: id, Kind: record.Hemodialysis, Start: d("1985-09-15"), End: d("1990-10-27")},
			{ID: "tx", PatientID: id, Kind: record.KidneyTransplant, Start: d("1990-10-28")},
		},
		Therapies: []record.Therapy{
			{ID: "ace", PatientID: id, Class: record.RAASBlockade, Name: "lisinopril", Start: d("1969-06-01")},
			// two records of one drug more than 93 days apart: the first
			// course stopped some time after its record, end unknown
			{ID: "epo1", PatientID: id, Class: record.OtherTherapy, Name: "epoetin alfa", Start: d("1986-01-01")},
			{ID: "epo2", PatientID: id, Class: record.OtherTherapy, Name: "epoetin alfa", Start: d("1988-01-01")},
		},
	}
	if res, err := db.Import(context.Background(), &b, store.ImportOptions{Strict: true}); err != nil || len(res.Rejected) > 0 {
		t.Fatalf("%v %v", err, res)
	}
	s, _ := newTestServer(t, Config{Store: db})
	resp := do(t, s, "GET", "/patients/"+id+"?as_of="+testAsOf, nil, nil)
	body := string(readAll(t, resp))
	if resp.StatusCode != 200 {
		t.Fatalf("%d", resp.StatusCode)
	}
	for _, want := range []string{
		`<dt>KRT</dt><dd class="krt">haemodialysis from <span class="nw">1985-09-15</span> to <span class="nw">1990-10-27</span></dd>`,
		`<dt>KRT</dt><dd class="krt">kidney transplant on <span class="nw">1990-10-28</span></dd>`,
		`<td><span class="nw">1969-06-01</span> to <span class="nw">1994-11-12</span> (death)</td><td>lisinopril (RAAS blockade)</td>`,
		`<td><span class="nw">1986-01-01</span> to end not recorded</td><td>epoetin alfa</td>`,
		`<td><span class="nw">1988-01-01</span> to <span class="nw">1994-11-12</span> (death)</td><td>epoetin alfa</td>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	if strings.Contains(body, "ongoing") || strings.Contains(body, ">open<") {
		t.Error("a course reads as ongoing or open after death")
	}
	m := regexp.MustCompile(`(?s)<script type="application/json" id="chart-data">(.*?)</script>`).FindStringSubmatch(body)
	var c chartData
	if m == nil || json.Unmarshal([]byte(m[1]), &c) != nil {
		t.Fatal("no chart data")
	}
	states := map[string]int{}
	for _, b := range c.Therapies {
		states[b.State]++
		if b.End == nil {
			t.Errorf("bar %s %s drawn to the end of the axis after death", b.Name, b.From)
		}
	}
	if states["ended"] != 2 || states["end not recorded"] != 1 || states["ongoing"] != 0 {
		t.Errorf("bar states %v", states)
	}
}
