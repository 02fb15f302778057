package main

import (
	"cmp"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"renalwatch/synth"
)

// TestSynthCSVCarriesLupusRecord: a CSV cohort carries the lupus record
// of the NDJSON cohort of the same seed (diagnoses, biopsy, SLEDAI-2K
// findings, dialysis and transplant), so the lupus rules see the same
// patient in both.
func TestSynthCSVCarriesLupusRecord(t *testing.T) {
	fixedNow(t)
	type lupusView struct {
		Kidney struct {
			Replacement []struct {
				Kind string `json:"kind"`
				End  any    `json:"end"`
			} `json:"replacement"`
		} `json:"kidney"`
		Lupus struct {
			Applicable bool `json:"applicable"`
			SLEDAI     *struct {
				Score int    `json:"score"`
				Date  string `json:"date"`
			} `json:"sledai"`
			Biopsy *struct {
				Class           string `json:"class"`
				ActivityIndex   *int   `json:"activity_index"`
				ChronicityIndex *int   `json:"chronicity_index"`
				Date            string `json:"date"`
			} `json:"biopsy"`
		} `json:"lupus"`
	}
	dbs := map[string]string{}
	for _, format := range []string{"ndjson", "csv"} {
		dir := synthCohort(t, "--patients", "30", "--seed", "42", "--format", format)
		names := synth.FHIRFiles()
		if format == "csv" {
			names = synth.CSVFiles()
		}
		var files []string
		for _, n := range names {
			files = append(files, filepath.Join(dir, n))
		}
		dbs[format] = filepath.Join(t.TempDir(), format+".db")
		synthImport(t, dbs[format], files...)
	}
	withBiopsy, withReplacement := 0, 0
	for i := range 30 {
		id := synth.PatientID(42, i)
		views := map[string]string{}
		for format, db := range dbs {
			code, out, errs := runCmd(t, "report", id, "--db", db, "--as-of", "2026-01-01", "--json")
			if code != 0 {
				t.Fatalf("report %s (%s): exit %d: %s", id, format, code, errs)
			}
			var v lupusView
			if err := json.Unmarshal([]byte(out), &v); err != nil {
				t.Fatal(err)
			}
			if v.Lupus.Biopsy != nil {
				withBiopsy++
			}
			if len(v.Kidney.Replacement) > 0 {
				withReplacement++
			}
			b, _ := json.Marshal(v)
			views[format] = string(b)
		}
		if views["csv"] != views["ndjson"] {
			t.Errorf("%s: lupus and replacement from CSV\n%s\nfrom NDJSON\n%s", id, views["csv"], views["ndjson"])
		}
	}
	if withBiopsy == 0 || withReplacement == 0 {
		t.Errorf("%d reports with a biopsy, %d with dialysis or transplant: the cohort does not exercise them", withBiopsy, withReplacement)
	}
}

// TestSynthCSVSameTherapyCourses (trial-cli #9): therapies.csv wrote the
// class instead of the drug, so the CSV import of seed 42 merged syn42-10's
// IV methylprednisolone pulse into the oral prednisone course and showed
// "RAAS blockade, 50 mg daily" for losartan. Both imports of the same seed
// must give the same therapy courses (drug, class, dates, dose, records).
func TestSynthCSVSameTherapyCourses(t *testing.T) {
	fixedNow(t)
	type course struct {
		Name       string  `json:"name"`
		Class      string  `json:"class"`
		Evidence   any     `json:"evidence"`
		Start      string  `json:"start"`
		End        *string `json:"end"`
		EndBasis   string  `json:"end_basis"`
		Open       bool    `json:"open"`
		Records    int     `json:"records"`
		LastRecord string  `json:"last_record"`
		Indication string  `json:"indication"`
		Dose       string  `json:"dose"`
	}
	dbs := map[string]string{}
	for _, format := range []string{"ndjson", "csv"} {
		dir := synthCohort(t, "--patients", "30", "--seed", "42", "--format", format)
		names := synth.FHIRFiles()
		if format == "csv" {
			names = synth.CSVFiles()
		}
		var files []string
		for _, n := range names {
			files = append(files, filepath.Join(dir, n))
		}
		dbs[format] = filepath.Join(t.TempDir(), format+".db")
		synthImport(t, dbs[format], files...)
	}
	names := map[string]bool{}
	for i := range 30 {
		id := synth.PatientID(42, i)
		views := map[string]string{}
		for format, db := range dbs {
			code, out, errs := runCmd(t, "report", id, "--db", db, "--as-of", "2026-01-01", "--json")
			if code != 0 {
				t.Fatalf("report %s (%s): exit %d: %s", id, format, code, errs)
			}
			var v struct {
				Therapies []course `json:"therapies"`
			}
			if err := json.Unmarshal([]byte(out), &v); err != nil {
				t.Fatal(err)
			}
			for _, c := range v.Therapies {
				names[c.Name] = true
			}
			// Courses that start on the same day are ordered by id, which
			// differs between the two sources (resource ids, derived ids).
			slices.SortStableFunc(v.Therapies, func(a, b course) int {
				return cmp.Or(strings.Compare(a.Start, b.Start), strings.Compare(a.Name, b.Name))
			})
			b, _ := json.MarshalIndent(v.Therapies, "", " ")
			views[format] = string(b)
		}
		if views["csv"] != views["ndjson"] {
			t.Errorf("%s: therapy courses from CSV\n%s\nfrom NDJSON\n%s", id, views["csv"], views["ndjson"])
		}
	}
	for _, n := range []string{"methylprednisolone", "prednisone", "losartan"} {
		if !names[n] {
			t.Errorf("no course of %s in the first 30 patients: the test does not exercise the trial's case (names %v)", n, names)
		}
	}
}
