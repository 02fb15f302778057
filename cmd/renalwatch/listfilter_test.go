package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"renalwatch/assess"
	"renalwatch/demo"
	"renalwatch/internal/golden"
	"renalwatch/internal/worklist"
	"renalwatch/record"
	"renalwatch/store/sqlite"
	"renalwatch/units"
)

// demoDB imports the five demo patients into a new store.
func demoDB(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "demo.db")
	if code, _, errs := runCmd(t, "demo", "--db", db); code != 0 {
		t.Fatalf("demo exit %d: %s", code, errs)
	}
	return db
}

// TestPatientsListGolden: --sort, --filter and --format on the demo
// patients as of the demo date, and the errors for bad keys, operators and
// values (exit 2 listing what is accepted).
func TestPatientsListGolden(t *testing.T) {
	demoNow(t)
	db := demoDB(t)
	p := func(args ...string) []string {
		return append([]string{"patients", "--db", db, "--as-of", demoAsOf}, args...)
	}
	cases := []goldenCase{
		{"sort-kfre-desc", p("--sort", "-kfre"), 0},
		{"sort-stage", p("--sort", "stage"), 0},
		{"sort-egfr-last-seen", p("--sort", "egfr,-last-seen", "--format", "csv"), 0},
		{"filter-stage-g3a", p("--filter", "stage>=G3a", "--sort", "-risk"), 0},
		// Regression: the suffix the table shows (G2T) is accepted.
		{"filter-stage-g2t", p("--filter", "stage=G2T"), 0},
		{"filter-stage-g2-not-t", p("--filter", "stage<=G2", "--filter", "stage!=G2T", "--format", "csv"), 0},
		{"filter-alert", p("--filter", "alert=renal-flare", "--format", "json"), 0},
		{"filter-risk-kfre", p("--filter", "risk=very high,kfre5y>=5%"), 0},
		{"filter-none-match", p("--filter", "overdue", "--filter", "egfr<15"), 0},
		{"filter-not-alert", p("--filter", "alert!=albuminuria-referral", "--format", "csv"), 0},
		{"filter-alive", p("--filter", "alive,kfre5y>=1%", "--sort", "-kfre"), 0},
		{"err-sort-key", p("--sort", "age"), 2},
		{"err-filter-bare-value", p("--filter", "overdue=yes"), 2},
		{"err-filter-key", p("--filter", "colour=red"), 2},
		{"err-filter-op", p("--filter", "stage=>G4"), 2},
		{"err-filter-stage", p("--filter", "stage>=G3"), 2},
		{"err-filter-alert", p("--filter", "alert=renal-flares"), 2},
		{"err-filter-kfre", p("--filter", "kfre5y>=5"), 2},
		{"err-filter-bare", p("--filter", "risk"), 2},
		{"err-format", p("--format", "xml"), 2},
		{"err-json-csv", p("--json", "--format", "csv"), 2},
	}
	for i := range cases {
		t.Run(cases[i].name, func(t *testing.T) {
			code, out, errs := runCmd(t, cases[i].args...)
			if code != cases[i].code {
				t.Fatalf("exit %d: %s", code, errs)
			}
			if code == 2 && (out != "" || errs == "") {
				t.Errorf("bad input: stdout %q, stderr %q", out, errs)
			}
			got := fmt.Sprintf("$ renalwatch patients --db DB --as-of %s %s\nexit %d\n--- stdout\n%s--- stderr\n%s", demoAsOf, strings.Join(cases[i].args[5:], " "), code, out, errs)
			golden.Assert(t, "patients/"+cases[i].name+".golden", []byte(got))
		})
	}

	// Outcomes, not only transcripts: the filter keeps exactly the rows
	// that satisfy it, and -kfre puts the highest risk first.
	code, out, _ := runCmd(t, p("--json", "--sort", "-kfre")...)
	var all patientsList
	if code != 0 || json.Unmarshal([]byte(out), &all) != nil {
		t.Fatalf("patients --json: exit %d", code)
	}
	var risks []float64
	for _, r := range all.Patients {
		if r.KFRE != nil {
			risks = append(risks, r.KFRE.Risk5y)
		}
	}
	if len(risks) < 2 || !slices.IsSortedFunc(risks, func(a, b float64) int { return int(b*1e6 - a*1e6) }) || all.Patients[len(risks)].KFRE != nil {
		t.Errorf("--sort -kfre: risks %v, then the patients without a KFRE", risks)
	}
	_, out, _ = runCmd(t, p("--json", "--filter", "stage>=G3a")...)
	var some patientsList
	if err := json.Unmarshal([]byte(out), &some); err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, r := range all.Patients {
		if r.Stage != nil && slices.Index(worklist.StageOrder, r.Stage.G) >= slices.Index(worklist.StageOrder, "G3a") {
			want = append(want, r.ID)
		}
	}
	var got []string
	for _, r := range some.Patients {
		got = append(got, r.ID)
	}
	slices.Sort(want)
	slices.Sort(got)
	if len(want) == 0 || !slices.Equal(got, want) || !slices.Equal(some.Filter, []string{"stage>=G3a"}) {
		t.Errorf("stage>=G3a kept %v, want %v (filter %v)", got, want, some.Filter)
	}
}

// TestSortMissingLast: a patient without the value comes last whichever
// the direction; ties are broken by id.
func TestSortMissingLast(t *testing.T) {
	egfr := func(v float64) *patientEGFR { return &patientEGFR{Value: v} }
	rows := []patientRow{{ID: "none"}, {ID: "b", EGFR: egfr(40)}, {ID: "a", EGFR: egfr(40)}, {ID: "low", EGFR: egfr(12)}}
	ids := func() []string {
		var s []string
		for _, r := range rows {
			s = append(s, r.ID)
		}
		return s
	}
	sortRows(rows, []worklist.SortKey{{Name: "egfr"}})
	if got := ids(); !slices.Equal(got, []string{"low", "a", "b", "none"}) {
		t.Errorf("egfr: %v", got)
	}
	sortRows(rows, []worklist.SortKey{{Name: "egfr", Desc: true}})
	if got := ids(); !slices.Equal(got, []string{"a", "b", "low", "none"}) {
		t.Errorf("-egfr: %v", got)
	}
}

// TestReportCSVRoundTrip: "report --format csv" of each demo patient,
// imported into a new store (after a patients CSV with the patient),
// gives back the same observations: id, analyte, value, comparator, time
// and source system.
func TestReportCSVRoundTrip(t *testing.T) {
	demoNow(t)
	db := demoDB(t)
	for _, id := range demo.IDs() {
		t.Run(id, func(t *testing.T) {
			code, out, errs := runCmd(t, "report", id, "--db", db, "--format", "csv")
			if code != 0 {
				t.Fatalf("report --format csv: exit %d: %s", code, errs)
			}
			if id == "ln-class-iv-g4" {
				golden.Assert(t, "report/ln-iv.csv", []byte(out))
			}
			orig := timeline(t, db, id)
			if n := strings.Count(out, "\n") - 1; n != len(orig.Observations()) || n == 0 {
				t.Fatalf("%d rows for %d observations", n, len(orig.Observations()))
			}
			dir := t.TempDir()
			people := filepath.Join(dir, "patients.csv")
			labs := filepath.Join(dir, "labs.csv")
			p := orig.Patient
			writeFile(t, people, fmt.Sprintf("patient_id,birth_date,sex\n%s,%s,%s\n", p.ID, p.BirthDate.Format(time.DateOnly), p.Sex))
			writeFile(t, labs, out)
			fresh := filepath.Join(dir, "fresh.db")
			if code, out, errs := runCmd(t, "import", "--db", fresh, labs, people); code != 0 {
				t.Fatalf("import exit %d: %s%s", code, out, errs)
			}
			back := timeline(t, fresh, id)
			type obs struct {
				ID, Analyte, Comparator, System string
				Value                           float64
				Unit                            string
				Time                            time.Time
			}
			key := func(os []record.Observation) []obs {
				var s []obs
				for _, o := range os {
					s = append(s, obs{o.ID, o.Analyte.String(), string(o.Comparator), o.Provenance().System, o.Value.Value, string(o.Value.Unit), o.Time.UTC()})
				}
				slices.SortFunc(s, func(a, b obs) int { return strings.Compare(a.ID, b.ID) })
				return s
			}
			if a, b := key(orig.Observations()), key(back.Observations()); !slices.Equal(a, b) {
				t.Errorf("observations differ after the round trip:\n%v\n%v", a, b)
			}
			// And the export of the re-imported store is the same file.
			if _, again, _ := runCmd(t, "report", id, "--db", fresh, "--format", "csv"); again != out {
				t.Errorf("second export differs:\n%s", again)
			}
			// Trial #8/#33: the export keeps each value in its unit of
			// report, so the CSV-imported store shows the same units as
			// the original report, and its own export imported into it
			// again is unchanged (not "duplicate id with different
			// content").
			_, origLabs, _ := runCmd(t, "report", id, "--db", db)
			_, freshLabs, _ := runCmd(t, "report", id, "--db", fresh)
			for _, l := range strings.Split(freshLabs, "\n") {
				if strings.HasPrefix(strings.TrimSpace(l), "UPCR") && !strings.Contains(origLabs, strings.TrimSpace(l)) {
					t.Errorf("after the round trip the report reads %q, not as in the original report", strings.TrimSpace(l))
				}
			}
			if id == "ln-class-iv-g4" && (!strings.Contains(out, ",pcr,1.8,g/g,") || strings.Contains(out, ",pcr,1800,")) {
				t.Errorf("UPCR not exported in its unit of report (1.8 g/g)")
			}
			sum := synthImport(t, fresh, labs)
			if n := len(orig.Observations()); sum.Totals.Unchanged != n || sum.Totals.Rejected != 0 || sum.Totals.Imported != 0 {
				t.Errorf("re-import into the same store: %+v, want unchanged %d", sum.Totals, n)
			}
			// And into the store it was exported from, filled from the
			// demo's FHIR Bundles: the same measurements, unchanged, though
			// a CSV row carries no FHIR code.
			sum = synthImport(t, db, labs)
			if n := len(orig.Observations()); sum.Totals.Unchanged != n || sum.Totals.Rejected != 0 || sum.Totals.Imported != 0 {
				t.Errorf("re-import into the FHIR-built store: %+v, want unchanged %d", sum.Totals, n)
			}
			rd := csv.NewReader(strings.NewReader(out))
			header, _ := rd.Read()
			if !slices.Equal(header, observationsHeader) {
				t.Errorf("header %v", header)
			}
		})
	}
	// --as-of limits the export to what was taken by then.
	_, early, _ := runCmd(t, "report", "ln-class-iv-g4", "--db", db, "--as-of", "2020-12-31", "--format", "csv")
	if n := strings.Count(early, "\n") - 1; n != 17 {
		t.Errorf("as of 2020-12-31: %d rows, want the 17 observations of 2020", n)
	}
	for _, bad := range [][]string{{"--format", "xml"}, {"--json", "--format", "csv"}} {
		if code, _, errs := runCmd(t, append([]string{"report", "ln-class-iv-g4", "--db", db}, bad...)...); code != 2 || errs == "" {
			t.Errorf("report %v: exit %d", bad, code)
		}
	}
}

func timeline(t *testing.T, path, id string) *record.Timeline {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tl, err := db.Timeline(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return tl
}

func writeFile(t *testing.T, name, text string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestStageFilterSuffix: stage=G2T keeps only G2 rows with the transplant
// suffix, stage>=G4D only dialysis rows in G4 or G5; without a suffix G5D
// counts as G5.
func TestStageFilterSuffix(t *testing.T) {
	row := func(g, suffix string) *patientRow {
		return &patientRow{Stage: &patientStage{Stage: worklist.Stage{G: g, Suffix: suffix}}}
	}
	for _, tc := range []struct {
		filter string
		row    *patientRow
		want   bool
	}{
		{"stage=G2T", row("G2", "T"), true},
		{"stage=g2t", row("G2", "T"), true},
		{"stage=G2T", row("G2", ""), false},
		{"stage=G2T", row("G3a", "T"), false},
		{"stage=G2", row("G2", "T"), true},
		{"stage>=G4D", row("G5", "D"), true},
		{"stage>=G4D", row("G5", ""), false},
		{"stage=G5", row("G5", "D"), true},
		{"stage!=G2T", row("G2", "T"), false},
		{"stage!=G2T", row("G2", ""), true},
		{"stage!=G2T", row("G4", "T"), true},
	} {
		c, err := worklist.Parse(tc.filter)
		if err != nil {
			t.Fatalf("%s: %v", tc.filter, err)
		}
		if f := tc.row.facts(); c.Match(&f) != tc.want {
			t.Errorf("%s on %s%s: %v, want %v", tc.filter, tc.row.Stage.G, tc.row.Stage.Suffix, !tc.want, tc.want)
		}
	}
	if _, err := worklist.Parse("stage=G2X"); err == nil {
		t.Error("stage=G2X accepted")
	}
}

// LAST SEEN is the latest measurement: an eGFR RenalWatch computed in an
// earlier report and read back from its Bundle (assess.ComputedEarlier)
// is none (trial 9: a store of a re-imported report showed LAST SEEN from
// such eGFRs alone).
func TestLastSeenSkipsComputedEGFR(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d.UTC() }
	computed := record.Observation{ID: "e1", PatientID: "x", Analyte: units.EGFR, Value: units.Q(24.6, units.MLPerMinBSA), Time: day("2026-09-17")}
	computed.SetProvenance(record.Provenance{ResourceType: "Observation", ResourceID: "e1",
		Code: record.Coding{System: assess.ComputedEGFRSystem, Code: "ckd-epi-2021"}})
	cr := record.Observation{ID: "c1", PatientID: "x", Analyte: units.Creatinine, Value: units.Q(1.4, units.MgPerDL), Time: day("2025-01-10")}
	p := record.Patient{ID: "x", Sex: record.Female, BirthDate: day("1960-01-01")}
	asOf := day("2026-11-01")
	if got := lastSeen(record.NewTimeline(p, record.Batch{Observations: []record.Observation{cr, computed}}), asOf); got == nil || *got != "2025-01-10" {
		t.Errorf("last seen with a computed eGFR after the creatinine: %v; want 2025-01-10", got)
	}
	if got := lastSeen(record.NewTimeline(p, record.Batch{Observations: []record.Observation{computed}}), asOf); got != nil {
		t.Errorf("last seen from a computed eGFR alone: %s; want none", *got)
	}
}
