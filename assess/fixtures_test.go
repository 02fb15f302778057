package assess_test

// The patients in this file are hand-written for these tests: invented
// people whose records are shaped to exercise one path each. They are not
// real patients and not drawn from any data set.

import (
	"strconv"
	"testing"
	"time"

	"renalwatch/record"
	"renalwatch/units"
)

// builder assembles a hand-written record.
type builder struct {
	t *testing.T
	p record.Patient
	b record.Batch
	n int
}

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func newPatient(t *testing.T, id, birth string, sex record.Sex) *builder {
	p := record.Patient{ID: id, Sex: sex}
	if birth != "" {
		p.BirthDate = day(birth)
	}
	return &builder{t: t, p: p, b: record.Batch{Patients: []record.Patient{p}}}
}

func (b *builder) id(kind string) string {
	b.n++
	return kind + "/" + b.p.ID + "-" + strconv.Itoa(b.n)
}

// obs adds an observation given as the lab reported it; it is stored in the
// analyte's canonical unit with the original unit and value in Provenance,
// as the importers do.
func (b *builder) obs(an units.Analyte, when string, v float64, u units.Unit) *builder {
	return b.obsCmp(an, when, v, u, record.Exact)
}

func (b *builder) obsCmp(an units.Analyte, when string, v float64, u units.Unit, c record.Comparator) *builder {
	b.t.Helper()
	q, err := an.Normalize(an.String(), units.Q(v, u))
	if err != nil {
		b.t.Fatalf("fixture %s %s: %v", an, when, err)
	}
	b.b.Observations = append(b.b.Observations, record.Observation{ID: b.id("Observation"), PatientID: b.p.ID, Analyte: an, Value: q,
		Comparator: c, Time: day(when), Source: &record.Source{System: "test", Unit: string(u)}, SourceValue: strconv.FormatFloat(v, 'f', -1, 64)})
	return b
}

func (b *builder) series(an units.Analyte, u units.Unit, rows ...any) *builder {
	for i := 0; i < len(rows); i += 2 {
		b.obs(an, rows[i].(string), rows[i+1].(float64), u)
	}
	return b
}

func (b *builder) cond(k record.ConditionKind, onset, class string) *builder {
	b.b.Conditions = append(b.b.Conditions, record.Condition{ID: b.id("Condition"), PatientID: b.p.ID, Kind: k, LNClass: class, Onset: day(onset)})
	return b
}

func (b *builder) therapy(c record.TherapyClass, name, start, end string) *builder {
	th := record.Therapy{ID: b.id("Therapy"), PatientID: b.p.ID, Class: c, Name: name, Start: day(start)}
	if end != "" {
		th.End = day(end)
	}
	b.b.Therapies = append(b.b.Therapies, th)
	return b
}

func (b *builder) finding(when string, present bool, codes ...string) *builder {
	for _, c := range codes {
		b.b.Findings = append(b.b.Findings, record.Finding{ID: b.id("Finding"), PatientID: b.p.ID, Code: c, Present: present, Time: day(when)})
	}
	return b
}

func (b *builder) biopsy(x record.Biopsy) *builder {
	x.ID, x.PatientID = b.id("Biopsy"), b.p.ID
	b.b.Biopsies = append(b.b.Biopsies, x)
	return b
}

func (b *builder) replacement(k record.ReplacementKind, start, end string) *builder {
	r := record.Replacement{ID: b.id("Procedure"), PatientID: b.p.ID, Kind: k, Start: day(start)}
	if end != "" {
		r.End = day(end)
	}
	b.b.Replacements = append(b.b.Replacements, r)
	return b
}

func (b *builder) timeline() *record.Timeline { return record.NewTimeline(b.p, b.b) }

func iptr(v int) *int { return &v }

// classIVToG4 is a woman with class IV lupus nephritis (biopsy 2019) who
// responds to mycophenolate, flares twice (2020, 2022), gets
// cyclophosphamide and reaches CKD G4 by the end of 2023.
func classIVToG4(t *testing.T) *builder {
	b := newPatient(t, "ln-g4", "1990-03-01", record.Female)
	b.cond(record.SLE, "2018-06-01", "").cond(record.LupusNephritis, "2019-01-10", "IV")
	b.biopsy(record.Biopsy{Time: day("2019-01-10"), Classes: []string{"IV"},
		EndocapillaryHypercellularity: iptr(2), Neutrophils: iptr(1), FibrinoidNecrosis: iptr(1), HyalineDeposits: iptr(0),
		CellularCrescents: iptr(1), InterstitialInflammation: iptr(1),
		GlomerularSclerosis: iptr(1), FibrousCrescents: iptr(0), TubularAtrophy: iptr(1), InterstitialFibrosis: iptr(1)})
	b.therapy(record.Glucocorticoid, "prednisone", "2019-01-15", "2019-12-31")
	b.therapy(record.Mycophenolate, "mycophenolate mofetil", "2019-01-20", "")
	b.therapy(record.Hydroxychloroquine, "hydroxychloroquine", "2019-01-20", "")
	b.therapy(record.Cyclophosphamide, "cyclophosphamide (Euro-Lupus)", "2022-09-15", "2022-12-15")
	b.series(units.Creatinine, units.MgPerDL,
		"2018-10-01", 0.80, "2019-01-05", 0.95, "2019-04-05", 0.90, "2019-07-05", 0.85, "2019-10-05", 0.85,
		"2020-01-05", 0.90, "2020-06-01", 1.30, "2020-09-01", 1.20, "2020-12-01", 1.15,
		"2021-03-01", 1.20, "2021-06-01", 1.25, "2021-09-01", 1.30, "2021-12-01", 1.35,
		"2022-03-01", 1.40, "2022-06-01", 1.50, "2022-09-05", 2.10, "2022-12-01", 2.00,
		"2023-03-01", 2.10, "2023-06-01", 2.20, "2023-09-01", 2.30, "2023-12-01", 2.45)
	b.series(units.PCR, units.GPerG,
		"2019-01-05", 3.8, "2019-04-05", 1.9, "2019-07-05", 0.9, "2019-10-05", 0.4,
		"2020-01-05", 0.3, "2020-06-01", 2.4, "2020-09-01", 1.5, "2020-12-01", 1.0,
		"2021-03-01", 0.8, "2021-06-01", 0.7, "2021-09-01", 0.6, "2021-12-01", 0.6,
		"2022-03-01", 0.7, "2022-06-01", 0.8, "2022-09-05", 3.6, "2022-12-01", 2.8,
		"2023-03-01", 2.2, "2023-06-01", 2.0, "2023-09-01", 1.9, "2023-12-01", 1.8)
	b.series(units.UrineRBC, units.PerHPF, "2022-09-05", 25.0, "2023-12-01", 8.0)
	b.finding("2022-09-05", true, record.FindingUrinaryCasts)
	b.series(units.Hemoglobin, units.GPerDL, "2023-12-01", 10.4)
	b.series(units.SystolicBP, units.MmHg, "2023-12-01", 134.0)
	b.series(units.Potassium, units.MmolPerL, "2023-12-01", 5.2)
	b.finding("2023-12-01", true, record.FindingProteinuria, record.FindingHematuria, record.FindingLowComplement, record.FindingIncreasedDNABinding)
	b.finding("2023-12-01", false, record.FindingRash, record.FindingArthritis)
	return b
}

// completeResponse is a man with class III lupus nephritis who reaches a
// complete renal response 12 months after mycophenolate.
func completeResponse(t *testing.T) *builder {
	b := newPatient(t, "ln-cr", "1985-07-20", record.Male)
	b.cond(record.LupusNephritis, "2022-01-15", "III")
	b.biopsy(record.Biopsy{Time: day("2022-01-15"), Classes: []string{"III"}, ActivityIndex: iptr(6), ChronicityIndex: iptr(1)})
	b.therapy(record.Glucocorticoid, "prednisone", "2022-02-01", "2022-08-01")
	b.therapy(record.Mycophenolate, "mycophenolate mofetil", "2022-02-01", "")
	b.series(units.Creatinine, units.UmolPerL,
		"2022-01-20", 88.0, "2022-05-01", 86.0, "2022-08-01", 85.0, "2022-11-01", 84.0, "2023-02-01", 86.0)
	b.series(units.PCR, units.MgPerMmol,
		"2022-01-20", 226.0, "2022-05-01", 110.0, "2022-08-01", 34.0, "2022-11-01", 22.0, "2023-02-01", 12.0)
	b.series(units.UrineRBC, units.PerHPF, "2023-02-01", 2.0)
	b.series(units.UrineWBC, units.PerHPF, "2023-02-01", 3.0)
	b.series(units.Hemoglobin, units.GPerL, "2023-02-01", 141.0)
	b.series(units.SystolicBP, units.MmHg, "2023-02-01", 116.0)
	b.finding("2023-02-01", false, record.FindingProteinuria, record.FindingHematuria, record.FindingUrinaryCasts, record.FindingPyuria)
	b.finding("2023-02-01", true, record.FindingLowComplement)
	return b
}

// child is an 11-year-old girl with class IV lupus nephritis: CKiD U25
// needs her height; one early creatinine has none.
func child(t *testing.T) *builder {
	b := newPatient(t, "ln-child", "2014-06-01", record.Female)
	b.cond(record.SLE, "2024-01-10", "").cond(record.LupusNephritis, "2024-02-01", "IV")
	b.biopsy(record.Biopsy{Time: day("2024-02-01"), Classes: []string{"IV"}})
	b.therapy(record.Glucocorticoid, "methylprednisolone then prednisone", "2024-02-05", "")
	b.therapy(record.Mycophenolate, "mycophenolate mofetil", "2024-02-10", "")
	b.series(units.Height, units.Cm, "2024-06-01", 138.0, "2025-01-15", 141.5)
	b.series(units.Creatinine, units.MgPerDL, "2024-01-20", 0.9, "2024-08-01", 0.62, "2025-02-01", 0.58, "2025-05-01", 0.60)
	b.series(units.PCR, units.MgPerG, "2024-01-20", 2600.0, "2024-08-01", 900.0, "2025-02-01", 350.0, "2025-05-01", 300.0)
	b.series(units.Hemoglobin, units.GPerDL, "2025-05-01", 11.4)
	b.series(units.SystolicBP, units.MmHg, "2025-05-01", 124.0)
	b.series(units.UrineRBC, units.PerHPF, "2025-05-01", 4.0)
	return b
}

// dialysis is a man with CKD (not lupus) who starts haemodialysis in June
// 2023; creatinine taken on dialysis gets no eGFR.
func dialysis(t *testing.T) *builder {
	b := newPatient(t, "ckd-hd", "1958-11-02", record.Male)
	b.cond(record.CKD, "2015-01-01", "")
	b.therapy(record.RAASBlockade, "lisinopril", "2016-01-01", "2023-05-01")
	b.series(units.Creatinine, units.MgPerDL,
		"2021-01-10", 3.1, "2021-07-10", 3.5, "2022-01-10", 4.0, "2022-07-10", 4.6, "2023-01-10", 5.5, "2023-05-10", 6.4,
		"2023-09-10", 7.2, "2023-12-10", 6.9)
	b.series(units.ACR, units.MgPerG, "2023-01-10", 850.0)
	b.series(units.Hemoglobin, units.GPerDL, "2023-12-10", 10.2)
	b.series(units.Potassium, units.MmolPerL, "2023-12-10", 6.1)
	b.replacement(record.Hemodialysis, "2023-06-01", "")
	return b
}

// stemCell is a woman with class IV lupus nephritis refractory to
// mycophenolate who is given a mesenchymal stem cell infusion abroad.
func stemCell(t *testing.T) *builder {
	b := newPatient(t, "ln-msc", "1995-09-09", record.Female)
	b.cond(record.LupusNephritis, "2021-01-05", "IV")
	b.biopsy(record.Biopsy{Time: day("2021-01-05"), Classes: []string{"IV", "V"}, ActivityIndex: iptr(9), ChronicityIndex: iptr(2)})
	b.therapy(record.Glucocorticoid, "prednisone", "2021-01-10", "")
	b.therapy(record.Mycophenolate, "mycophenolate mofetil", "2021-01-10", "")
	b.therapy(record.MSCInfusion, "umbilical cord MSC infusion (clinic abroad)", "2022-03-01", "2022-03-01")
	b.series(units.Creatinine, units.MgPerDL,
		"2020-12-20", 0.80, "2021-04-10", 0.82, "2021-07-10", 0.85, "2021-10-10", 0.84, "2022-01-10", 0.86, "2022-02-20", 0.85,
		"2022-06-01", 0.84, "2022-09-01", 0.83, "2022-12-01", 0.85, "2023-03-01", 0.86)
	b.series(units.PCR, units.GPerG,
		"2020-12-20", 4.2, "2021-04-10", 3.4, "2021-07-10", 3.1, "2021-10-10", 3.0, "2022-01-10", 2.9, "2022-02-20", 2.8,
		"2022-06-01", 2.0, "2022-09-01", 1.6, "2022-12-01", 1.5, "2023-03-01", 1.4)
	b.series(units.SystolicBP, units.MmHg, "2023-03-01", 119.0)
	b.series(units.Hemoglobin, units.GPerDL, "2023-03-01", 12.0)
	return b
}
