package assess_test

import (
	"testing"
	"time"

	"renalwatch/assess"
	"renalwatch/record"
	"renalwatch/units"
)

// tenYears is a synthetic, hand-generated 10-year record: monthly
// creatinine, UPCR, haemoglobin and blood pressure, quarterly SLEDAI-2K
// findings and urine microscopy, three therapies and one biopsy.
func tenYears(b testing.TB) *record.Timeline {
	p := record.Patient{ID: "bench", BirthDate: time.Date(1985, 4, 1, 0, 0, 0, 0, time.UTC), Sex: record.Female}
	var batch record.Batch
	start := time.Date(2014, 1, 15, 0, 0, 0, 0, time.UTC)
	n := 0
	add := func(an units.Analyte, t time.Time, v float64, u units.Unit) {
		q, err := an.Normalize("", units.Q(v, u))
		if err != nil {
			b.Fatal(err)
		}
		n++
		batch.Observations = append(batch.Observations, record.Observation{ID: record.DeriveID("Observation", p.ID, an.String(), t.String()),
			PatientID: p.ID, Analyte: an, Value: q, Time: t, Source: &record.Source{Unit: string(u)}})
	}
	for m := 0; m < 120; m++ {
		t := start.AddDate(0, m, 0)
		add(units.Creatinine, t, 0.8+0.012*float64(m)+0.05*float64(m%3), units.MgPerDL)
		add(units.PCR, t, 0.3+2.5*float64((m/20)%2)+0.1*float64(m%4), units.GPerG)
		add(units.Hemoglobin, t, 11.5+0.1*float64(m%5), units.GPerDL)
		add(units.SystolicBP, t, 118+float64(m%7), units.MmHg)
		if m%3 == 0 {
			add(units.UrineRBC, t, float64(m%11), units.PerHPF)
			for _, c := range []string{record.FindingProteinuria, record.FindingHematuria, record.FindingLowComplement, record.FindingRash} {
				batch.Findings = append(batch.Findings, record.Finding{ID: record.DeriveID("Finding", c, t.String()), PatientID: p.ID, Code: c, Present: m%2 == 0, Time: t})
			}
		}
	}
	for i, c := range []record.TherapyClass{record.Mycophenolate, record.Cyclophosphamide, record.Belimumab} {
		batch.Therapies = append(batch.Therapies, record.Therapy{ID: record.DeriveID("Therapy", c.String()), PatientID: p.ID, Class: c, Start: start.AddDate(3*i, 1, 0)})
	}
	one := 1
	batch.Biopsies = []record.Biopsy{{ID: "b", PatientID: p.ID, Time: start, Classes: []string{"IV"}, ActivityIndex: &one, ChronicityIndex: &one}}
	batch.Conditions = []record.Condition{{ID: "c", PatientID: p.ID, Kind: record.LupusNephritis, Onset: start}}
	return record.NewTimeline(p, batch)
}

func BenchmarkAssessTenYears(b *testing.B) {
	tl := tenYears(b)
	asOf := time.Date(2024, 1, 20, 0, 0, 0, 0, time.UTC)
	cfg := assess.DefaultConfig()
	a := assess.Assess(tl, asOf, cfg)
	if a.Kidney.Series.Len() != 120 || a.Kidney.Slope == nil {
		b.Fatalf("benchmark record not assessed as intended: %d points, slope %v", a.Kidney.Series.Len(), a.Kidney.Slope)
	}
	b.ReportAllocs()
	for b.Loop() {
		assess.Assess(tl, asOf, cfg)
	}
}

// BenchmarkAssessSynthCohort assesses the patients of a generated cohort
// (synth, 50 patients, seed 1, read back through the fhir reader in
// memory) at the end of their follow-up: one op is the whole cohort. The
// cohort pipeline runs this code for every patient of a registry.
func BenchmarkAssessSynthCohort(b *testing.B) {
	pats := synthCohort(b, 50, 1)
	cfg := assess.DefaultConfig()
	obs := 0
	for _, p := range pats {
		obs += len(p.tl.Observations())
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range pats {
			assess.Assess(p.tl, p.end, cfg)
		}
	}
	b.ReportMetric(float64(obs), "obs/op")
}
