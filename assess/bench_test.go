package assess_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"renalwatch/assess"
	"renalwatch/fhir"
	"renalwatch/record"
	"renalwatch/units"
)

// tenYears is an adult's record with monthly creatinine, potassium,
// haemoglobin and blood pressure and quarterly ACR over ten years.
func tenYears() *record.Timeline {
	bl := patient("1965-04-01", record.Female)
	start := day("2014-01-15")
	for m := range 120 {
		d := start.AddDate(0, m, 0).Format(time.DateOnly)
		bl.obs(units.Creatinine, d, 1.2+float64(m)/100, units.MgPerDL)
		bl.obs(units.Potassium, d, 4.5, units.MmolPerL)
		bl.obs(units.Hemoglobin, d, 12.5, units.GPerDL)
		bl.obs(units.SystolicBP, d, 128, units.MmHg)
		if m%3 == 0 {
			bl.obs(units.ACR, d, 150+float64(m), units.MgPerG)
		}
	}
	return record.NewTimeline(bl.p, bl.b)
}

func TestTenYears(t *testing.T) {
	a := assess.Assess(tenYears(), day("2024-01-01"), assess.DefaultOptions())
	if len(a.Kidney.Series) != 120 || a.Kidney.Slope == nil || a.Kidney.KFRE == nil {
		t.Errorf("ten years: %d eGFR, slope %+v, KFRE %+v", len(a.Kidney.Series), a.Kidney.Slope, a.Kidney.KFRE)
	}
}

// BenchmarkAssess10Years measures one assessment of a ten-year record
// (target <= 1 ms).
func BenchmarkAssess10Years(b *testing.B) {
	tl := tenYears()
	asOf := day("2024-01-01")
	opt := assess.DefaultOptions()
	b.ReportAllocs()
	for b.Loop() {
		assess.Assess(tl, asOf, opt)
	}
}

// TestSharedDataEveryPatient assesses every patient of ../shared/data:
// nothing panics, and each patient with creatinine gets an eGFR or says why
// not.
func TestSharedDataEveryPatient(t *testing.T) {
	dir := filepath.Join("..", "..", "shared", "data")
	files, _ := filepath.Glob(filepath.Join(dir, "*", "*.ndjson"))
	if len(files) == 0 {
		t.Skipf("shared test data not found at %s", dir)
	}
	var all record.Batch
	for _, f := range files {
		if filepath.Base(f) == "log.ndjson" {
			continue
		}
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		r := fhir.Reader{Now: day("2026-01-01")}
		res, err := r.Read(f, fh)
		fh.Close()
		if err != nil {
			t.Fatal(err)
		}
		b := res.Batch
		all.Patients = append(all.Patients, b.Patients...)
		all.Observations = append(all.Observations, b.Observations...)
		all.Conditions = append(all.Conditions, b.Conditions...)
		all.Therapies = append(all.Therapies, b.Therapies...)
		all.Replacements = append(all.Replacements, b.Replacements...)
	}
	withEGFR := 0
	for _, p := range all.Patients {
		tl := record.NewTimeline(p, all)
		a := assess.Assess(tl, day("2026-01-01"), assess.DefaultOptions())
		if len(tl.Values(units.Creatinine)) > 0 {
			if a.Kidney.EGFR != nil {
				withEGFR++
			} else if len(a.Missing) == 0 {
				t.Errorf("patient %s has creatinine but no eGFR and no reason", p.ID)
			}
		}
	}
	t.Logf("%d patients, %d with an eGFR", len(all.Patients), withEGFR)
	if withEGFR < 200 {
		t.Errorf("%d of 254 patients with creatinine got an eGFR; want most", withEGFR)
	}
}
