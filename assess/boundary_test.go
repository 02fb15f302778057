package assess_test

import (
	"slices"
	"testing"

	"renalwatch/assess"
	"renalwatch/egfr"
	"renalwatch/record"
	"renalwatch/units"
)

// alertRow is one threshold boundary: a hand-written minimal record, the
// alert code and severity expected (empty: no alert of that code).
type alertRow struct {
	name   string
	source string
	build  func(*builder)
	birth  string
	sex    record.Sex
	code   string
	want   assess.Severity // "" = the code must not be raised
}

func severityOf(a assess.Assessment, code string) assess.Severity {
	for _, al := range a.Alerts {
		if al.Code == code {
			return al.Severity
		}
	}
	return ""
}

func TestAlertBoundaries(t *testing.T) {
	const asOf = "2024-06-01"
	hb := func(v float64, u units.Unit) func(*builder) {
		return func(b *builder) { b.obs(units.Hemoglobin, "2024-05-01", v, u) }
	}
	one := func(an units.Analyte, v float64, u units.Unit) func(*builder) {
		return func(b *builder) { b.obs(an, "2024-05-01", v, u) }
	}
	// Potassium is current for 30 days (Config.PotassiumWindow, review 2 item 10).
	k := func(v float64, u units.Unit) func(*builder) {
		return func(b *builder) { b.obs(units.Potassium, "2024-05-25", v, u) }
	}
	anemia := "KDIGO 2012 Anemia in CKD rec 1.2.1 (lupus.md §7.6)"
	rows := []alertRow{
		{"Hb 12.0 g/dL adult woman", anemia, hb(12.0, units.GPerDL), "1980-01-01", record.Female, "anemia", ""},
		{"Hb 11.9 g/dL adult woman", anemia, hb(11.9, units.GPerDL), "1980-01-01", record.Female, "anemia", assess.Warning},
		{"Hb 13.0 g/dL adult man", anemia, hb(13.0, units.GPerDL), "1980-01-01", record.Male, "anemia", ""},
		{"Hb 12.9 g/dL adult man", anemia, hb(12.9, units.GPerDL), "1980-01-01", record.Male, "anemia", assess.Warning},
		{"Hb 120 g/L adult woman (unit of report)", anemia, hb(120, units.GPerL), "1980-01-01", record.Female, "anemia", ""},
		{"Hb 119 g/L adult woman", anemia, hb(119, units.GPerL), "1980-01-01", record.Female, "anemia", assess.Warning},
		{"Hb 11.5 g/dL girl of 10", anemia, hb(11.5, units.GPerDL), "2014-01-01", record.Female, "anemia", ""},
		{"Hb 11.4 g/dL girl of 10", anemia, hb(11.4, units.GPerDL), "2014-01-01", record.Female, "anemia", assess.Warning},
		{"Hb 11.0 g/dL boy of 3", anemia, hb(11.0, units.GPerDL), "2021-01-01", record.Male, "anemia", ""},
		{"Hb 10.9 g/dL boy of 3", anemia, hb(10.9, units.GPerDL), "2021-01-01", record.Male, "anemia", assess.Warning},
		// Exact (calendar) age at the sample (2024-05-01); KDIGO's adult bands are "age > 15" (review 2 item 16).
		{"Hb 12.5 g/dL boy of exactly 15.0 (12-15 band, not the adult 13.0)", anemia, hb(12.5, units.GPerDL), "2009-05-01", record.Male, "anemia", ""},
		{"Hb 12.5 g/dL boy of 15 years and 1 day (age > 15: adult 13.0)", anemia, hb(12.5, units.GPerDL), "2009-04-30", record.Male, "anemia", assess.Warning},
		{"Hb 12.5 g/dL boy of 15.5 (age > 15: adult 13.0)", anemia, hb(12.5, units.GPerDL), "2008-11-01", record.Male, "anemia", assess.Warning},
		{"Hb 11.9 g/dL girl of 11.99 (5-12 band, 11.5)", anemia, hb(11.9, units.GPerDL), "2012-05-05", record.Female, "anemia", ""},
		{"Hb 11.9 g/dL girl of exactly 12.0 (12-15 band, 12.0)", anemia, hb(11.9, units.GPerDL), "2012-05-01", record.Female, "anemia", assess.Warning},
		{"Hb 11.2 g/dL boy of 4.99 (0.5-5 band, 11.0)", anemia, hb(11.2, units.GPerDL), "2019-05-05", record.Male, "anemia", ""},
		{"Hb 11.2 g/dL boy of exactly 5.0 (5-12 band, 11.5)", anemia, hb(11.2, units.GPerDL), "2019-05-01", record.Male, "anemia", assess.Warning},
		{"Hb 12.5 g/dL man of 16 (adult 13.0)", anemia, hb(12.5, units.GPerDL), "2007-06-01", record.Male, "anemia", assess.Warning},
		{"Hb 11.9 g/dL adult, sex unknown (below both)", anemia, hb(11.9, units.GPerDL), "1980-01-01", record.SexUnknown, "anemia", assess.Warning},
		{"Hb 12.5 g/dL adult, sex unknown (not decided)", anemia, hb(12.5, units.GPerDL), "1980-01-01", record.SexUnknown, "anemia", ""},

		{"SBP 120", "KDIGO 2021 BP guideline (lupus.md §7.7)", one(units.SystolicBP, 120, units.MmHg), "1980-01-01", record.Female, "bp-above-target", assess.Warning},
		{"SBP 119", "KDIGO 2021 BP guideline (lupus.md §7.7)", one(units.SystolicBP, 119, units.MmHg), "1980-01-01", record.Female, "bp-above-target", ""},

		{"K 5.5 mmol/L", "local protocol (lupus.md §7.8)", k(5.5, units.MmolPerL), "1980-01-01", record.Female, "hyperkalemia", ""},
		{"K 5.6 mmol/L", "local protocol (lupus.md §7.8)", k(5.6, units.MmolPerL), "1980-01-01", record.Female, "hyperkalemia", assess.Warning},
		{"K 5.9 meq/L", "local protocol (lupus.md §7.8)", k(5.9, units.MeqPerL), "1980-01-01", record.Female, "hyperkalemia", assess.Warning},
		{"K 6.0 mmol/L", "local protocol (lupus.md §7.8)", k(6.0, units.MmolPerL), "1980-01-01", record.Female, "hyperkalemia", assess.Critical},
		{"K 6.1 mmol/L 30 days old (window 30 days)", "local protocol (lupus.md §7.8); Config.PotassiumWindow", func(b *builder) { b.obs(units.Potassium, "2024-05-02", 6.1, units.MmolPerL) }, "1980-01-01", record.Female, "hyperkalemia", assess.Critical},
		{"K 6.1 mmol/L 31 days old (not current)", "local protocol (lupus.md §7.8); Config.PotassiumWindow", func(b *builder) { b.obs(units.Potassium, "2024-05-01", 6.1, units.MmolPerL) }, "1980-01-01", record.Female, "hyperkalemia", ""},
		{"Hb 9.0 g/dL 90 days old (window 90 days)", anemia + "; Config.HemoglobinWindow", func(b *builder) { b.obs(units.Hemoglobin, "2024-03-03", 9.0, units.GPerDL) }, "1980-01-01", record.Female, "anemia", assess.Warning},
		{"Hb 9.0 g/dL 91 days old (not current)", anemia + "; Config.HemoglobinWindow", func(b *builder) { b.obs(units.Hemoglobin, "2024-03-02", 9.0, units.GPerDL) }, "1980-01-01", record.Female, "anemia", ""},
		{"SBP 150 180 days old (window 180 days)", "KDIGO 2021 BP guideline (lupus.md §7.7); Config.BPWindow", func(b *builder) { b.obs(units.SystolicBP, "2023-12-04", 150, units.MmHg) }, "1980-01-01", record.Female, "bp-above-target", assess.Warning},
		{"SBP 150 181 days old (not current)", "KDIGO 2021 BP guideline (lupus.md §7.7); Config.BPWindow", func(b *builder) { b.obs(units.SystolicBP, "2023-12-03", 150, units.MmHg) }, "1980-01-01", record.Female, "bp-above-target", ""},

		{"UPCR 3 g/g", "lupus.md §6", one(units.PCR, 3, units.GPerG), "1980-01-01", record.Female, "nephrotic-proteinuria", assess.Warning},
		{"UPCR 2.99 g/g", "lupus.md §6", one(units.PCR, 2.99, units.GPerG), "1980-01-01", record.Female, "nephrotic-proteinuria", ""},
		{"UPCR 3000 mg/g", "lupus.md §6", one(units.PCR, 3000, units.MgPerG), "1980-01-01", record.Female, "nephrotic-proteinuria", assess.Warning},
		{"UPCR 2999 mg/g", "lupus.md §6", one(units.PCR, 2999, units.MgPerG), "1980-01-01", record.Female, "nephrotic-proteinuria", ""},
		{"UPCR 300 mg/mmol (KDIGO pairing, not 339)", "lupus.md §2.1, §6", one(units.PCR, 300, units.MgPerMmol), "1980-01-01", record.Female, "nephrotic-proteinuria", assess.Warning},
		{"UPCR 299 mg/mmol", "lupus.md §2.1, §6", one(units.PCR, 299, units.MgPerMmol), "1980-01-01", record.Female, "nephrotic-proteinuria", ""},
		{"24-h protein 3.5 g/d", "lupus.md §6", one(units.UrineProtein24h, 3.5, units.GPerDay), "1980-01-01", record.Female, "nephrotic-proteinuria", assess.Warning},
		{"24-h protein 3490 mg/d", "lupus.md §6", one(units.UrineProtein24h, 3490, units.MgPerDay), "1980-01-01", record.Female, "nephrotic-proteinuria", ""},

		{"RBC 5/hpf", "lupus.md §6 (> 5, ambiguity A2)", one(units.UrineRBC, 5, units.PerHPF), "1980-01-01", record.Female, "active-sediment", ""},
		{"RBC 6/hpf", "lupus.md §6", one(units.UrineRBC, 6, units.PerHPF), "1980-01-01", record.Female, "active-sediment", assess.Warning},
		{"WBC 5/hpf", "lupus.md §6", one(units.UrineWBC, 5, units.PerHPF), "1980-01-01", record.Female, "active-sediment", ""},
		{"WBC 6/hpf", "lupus.md §6", one(units.UrineWBC, 6, units.PerHPF), "1980-01-01", record.Female, "active-sediment", assess.Warning},
		{"casts present", "lupus.md §6", func(b *builder) { b.finding("2024-05-01", true, record.FindingUrinaryCasts) }, "1980-01-01", record.Female, "active-sediment", assess.Warning},
		{"casts absent", "lupus.md §6", func(b *builder) { b.finding("2024-05-01", false, record.FindingUrinaryCasts) }, "1980-01-01", record.Female, "active-sediment", ""},

		{"UPCR 92 days ago, lupus nephritis without complete response", "ACR 2024 (lupus.md §2.4): every 3 months",
			func(b *builder) {
				b.cond(record.LupusNephritis, "2020-01-01", "IV").obs(units.Creatinine, "2024-05-01", 0.8, units.MgPerDL).obs(units.PCR, "2024-03-01", 1.0, units.GPerG)
			}, "1980-01-01", record.Female, "monitoring-overdue", ""},
		{"UPCR 93 days ago, lupus nephritis without complete response", "ACR 2024 (lupus.md §2.4): every 3 months",
			func(b *builder) {
				b.cond(record.LupusNephritis, "2020-01-01", "IV").obs(units.Creatinine, "2024-05-01", 0.8, units.MgPerDL).obs(units.PCR, "2024-02-29", 1.0, units.GPerG)
			}, "1980-01-01", record.Female, "monitoring-overdue", assess.Info},
		{"dialysis in the record", "KDIGO 2024 (G5D)", func(b *builder) { b.replacement(record.PeritonealDialysis, "2024-01-01", "") }, "1980-01-01", record.Female, "kidney-replacement", assess.Info},
		{"rituximab (KDIGO 2024 LN: listed for refractory disease)", "KDIGO 2024 LN practice points on refractory disease", func(b *builder) { b.therapy(record.Rituximab, "rituximab", "2024-01-01", "") }, "1980-01-01", record.Female, "investigational-therapy", ""},
		{"leflunomide (regional/investigational)", "no KDIGO 2024, EULAR 2023 or ACR 2024 LN recommendation", func(b *builder) { b.therapy(record.Leflunomide, "leflunomide", "2024-01-01", "") }, "1980-01-01", record.Female, "investigational-therapy", assess.Warning},
		{"anifrolumab (approved for non-renal SLE only)", "FDA label (Saphnelo)", func(b *builder) { b.therapy(record.Anifrolumab, "anifrolumab", "2024-01-01", "") }, "1980-01-01", record.Female, "investigational-therapy", assess.Warning},
		{"azathioprine (KDIGO 2024 LN maintenance alternative)", "KDIGO 2024 LN maintenance", func(b *builder) { b.therapy(record.Azathioprine, "azathioprine", "2024-01-01", "") }, "1980-01-01", record.Female, "investigational-therapy", ""},
		{"tacrolimus (KDIGO 2024 LN: MPAA + CNI)", "KDIGO 2024 LN rec 10.2.3.1.1", func(b *builder) { b.therapy(record.CalcineurinInhibitor, "tacrolimus", "2024-01-01", "") }, "1980-01-01", record.Female, "investigational-therapy", ""},
		{"belimumab (guideline-recommended)", "assess evidence table", func(b *builder) { b.therapy(record.Belimumab, "belimumab", "2024-01-01", "") }, "1980-01-01", record.Female, "investigational-therapy", ""},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			b := newPatient(t, "boundary", r.birth, r.sex)
			r.build(b)
			a := assess.Assess(b.timeline(), day(asOf), assess.DefaultConfig())
			if got := severityOf(a, r.code); got != r.want {
				t.Errorf("%s: %s severity %q, want %q (source: %s); alerts %v", r.name, r.code, got, r.want, r.source, a.Alerts)
			}
		})
	}
}

// TestComparatorCreatinine: a creatinine reported as a bound gets no eGFR
// and the latest measured one is used, with the reason in missing.
func TestComparatorCreatinine(t *testing.T) {
	b := newPatient(t, "cmp", "1980-01-01", record.Female)
	b.obs(units.Creatinine, "2024-01-01", 0.9, units.MgPerDL)
	b.obsCmp(units.Creatinine, "2024-05-01", 0.2, units.MgPerDL, record.Less)
	a := assess.Assess(b.timeline(), day("2024-06-01"), assess.DefaultConfig())
	last := a.Kidney.Series.At(1)
	if last.Value != nil || last.Comparator != "<" {
		t.Errorf("bound creatinine = %+v, want no eGFR", last)
	}
	if a.Kidney.EGFR == nil || !a.Kidney.EGFR.Date.Equal(day("2024-01-01")) || !hasMissing(a, "kidney.egfr") {
		t.Errorf("egfr = %+v, missing %+v", a.Kidney.EGFR, a.Missing)
	}
}

// TestCystatinSameDay: a same-day cystatin C selects ckd-epi-2021-cys for
// the reported value; the slope keeps the creatinine-only values.
func TestCystatinSameDay(t *testing.T) {
	b := newPatient(t, "cys", "1970-01-01", record.Male)
	b.series(units.Creatinine, units.MgPerDL, "2023-01-01", 1.4, "2023-07-01", 1.5, "2024-01-01", 1.6)
	b.obs(units.CystatinC, "2024-01-01", 1.5, units.MgPerL)
	a := assess.Assess(b.timeline(), day("2024-02-01"), assess.DefaultConfig())
	if a.Kidney.EGFR.Equation != "ckd-epi-2021-cys" {
		t.Fatalf("equation = %s", a.Kidney.EGFR.Equation)
	}
	near(t, "egfr", a.Kidney.EGFR.Value, egfr.CKDEPI2021CrCys(1.6, 1.5, age("1970-01-01", "2024-01-01"), egfr.Male), 0.005)
	if a.Kidney.Slope == nil || a.Kidney.Slope.Equation != "ckd-epi-2021" {
		t.Errorf("slope = %+v, want creatinine-only values", a.Kidney.Slope)
	}
	if a.Kidney.Series.At(0).Equation != "ckd-epi-2021" || a.Kidney.Series.At(0).CystatinC != nil {
		t.Errorf("first point = %+v", a.Kidney.Series.At(0))
	}
}

// TestSexUnknown: no eGFR, no KFRE, and the reason is given.
func TestSexUnknown(t *testing.T) {
	b := newPatient(t, "nosex", "1970-01-01", record.SexUnknown)
	b.obs(units.Creatinine, "2024-01-01", 1.4, units.MgPerDL)
	a := assess.Assess(b.timeline(), day("2024-02-01"), assess.DefaultConfig())
	if a.Kidney.EGFR != nil || a.Kidney.Stage.G != nil || !hasMissing(a, "patient.sex") || !hasMissing(a, "kidney.egfr") {
		t.Errorf("egfr %+v, missing %+v", a.Kidney.EGFR, a.Missing)
	}
}

// TestNilTimeline: an empty record gives an assessment of missing values.
func TestNilTimeline(t *testing.T) {
	a := assess.Assess(nil, day("2024-01-01"), assess.DefaultConfig())
	if a.Kidney.EGFR != nil || len(a.Alerts) != 0 || !slices.ContainsFunc(a.Missing, func(m assess.Missing) bool { return m.Path == "kidney.egfr" }) {
		t.Errorf("empty assessment = %+v", a)
	}
}

func TestConfigValidate(t *testing.T) {
	if err := assess.DefaultConfig().Validate(); err != nil {
		t.Fatalf("default config: %v", err)
	}
	for _, r := range []struct {
		name string
		edit func(*assess.Config)
	}{
		{"unknown adult equation", func(c *assess.Config) { c.AdultEquation = "ckd-epi-2099" }},
		{"unknown child equation", func(c *assess.Config) { c.ChildEquation = "" }},
		{"unknown response rule", func(c *assess.Config) { c.ResponseRule = "kdigo-2023" }},
		{"unknown flare rule", func(c *assess.Config) { c.FlareRule = "" }},
		{"no region", func(c *assess.Config) { c.KFRERegion = 0 }},
		{"zero slope window", func(c *assess.Config) { c.SlopeWindow = 0 }},
		{"SLEDAI window 14", func(c *assess.Config) { c.SLEDAIWindowDays = 14 }},
		{"KFRE threshold 5 (a percentage, not a probability)", func(c *assess.Config) { c.KFRE5yReferral = 5 }},
		{"potassium in mg/dL", func(c *assess.Config) { c.PotassiumHigh = units.Q(5.5, units.MgPerDL) }},
	} {
		c := assess.DefaultConfig()
		r.edit(&c)
		if err := c.Validate(); err == nil {
			t.Errorf("%s: accepted", r.name)
		}
	}
}

// TestRenalFlareAlert: a flare in the current window raises renal-flare;
// a severe one (KDIGO 2012 Table 29: creatinine rise > 1.0 mg/dL from a
// baseline < 2.0) is critical; a flare older than the window raises none.
func TestRenalFlareAlert(t *testing.T) {
	a := assess.Assess(classIVToG4(t).timeline(), day("2020-07-01"), assess.DefaultConfig())
	if got := severityOf(a, "renal-flare"); got != assess.Warning {
		t.Errorf("moderate flare of 2020-06-01 at 2020-07-01: renal-flare %q, want warning", got)
	}
	a = assess.Assess(classIVToG4(t).timeline(), day("2024-01-01"), assess.DefaultConfig())
	if got := severityOf(a, "renal-flare"); got != "" {
		t.Errorf("flares older than 365 days raised renal-flare %q", got)
	}
	// A complete response (KDIGO 2024: UPCR 3.0 -> 0.4 g/g, creatinine
	// unchanged) 12 months after mycophenolate, then a severe relapse.
	b := newPatient(t, "severe", "1990-01-01", record.Female)
	b.cond(record.LupusNephritis, "2020-01-01", "IV")
	b.therapy(record.Mycophenolate, "mycophenolate", "2022-01-10", "")
	b.series(units.Creatinine, units.MgPerDL, "2022-01-05", 0.9, "2023-01-05", 0.9, "2024-01-01", 0.9, "2024-04-01", 2.0)
	b.series(units.PCR, units.GPerG, "2022-01-05", 3.0, "2023-01-05", 0.4, "2024-01-01", 0.4, "2024-04-01", 0.6)
	a = assess.Assess(b.timeline(), day("2024-05-01"), assess.DefaultConfig())
	if got := severityOf(a, "renal-flare"); got != assess.Critical || len(a.Lupus.Flares) != 1 || *a.Lupus.Flares[0].Severity != "severe" {
		t.Errorf("creatinine 0.9 -> 2.0 mg/dL: renal-flare %q, flares %+v; want critical, severe", got, a.Lupus.Flares)
	}
	// The same record without a lupus diagnosis: no flare is judged.
	b2 := newPatient(t, "ckd-only", "1990-01-01", record.Female)
	b2.series(units.Creatinine, units.MgPerDL, "2024-01-01", 0.9, "2024-04-01", 2.0)
	b2.series(units.PCR, units.GPerG, "2024-01-01", 0.4, "2024-04-01", 0.6)
	if a := assess.Assess(b2.timeline(), day("2024-05-01"), assess.DefaultConfig()); len(a.Lupus.Flares) != 0 || severityOf(a, "renal-flare") != "" {
		t.Errorf("lupus rules applied without lupus: %+v", a.Lupus.Flares)
	}
}

// TestDialysisSessions: sessions recorded one by one (as Synthea does) are
// one ongoing period; a creatinine between sessions gets no eGFR; a single
// session long ago does not make the patient "on dialysis" now.
func TestDialysisSessions(t *testing.T) {
	b := newPatient(t, "sessions", "1960-01-01", record.Male)
	for d := day("2023-01-02"); d.Before(day("2023-12-30")); d = d.AddDate(0, 0, 2) {
		s := d.Format("2006-01-02")
		b.replacement(record.Hemodialysis, s, s)
	}
	b.series(units.Creatinine, units.MgPerDL, "2022-11-01", 5.0, "2023-06-01", 7.0)
	a := assess.Assess(b.timeline(), day("2024-01-05"), assess.DefaultConfig())
	if len(a.Kidney.Replacement) != 1 || a.Kidney.Replacement[0].End != nil || a.Kidney.Replacement[0].Events < 150 {
		t.Errorf("replacement = %+v, want one ongoing period", a.Kidney.Replacement)
	}
	if a.Kidney.Stage.Suffix != "D" || a.Kidney.Series.At(1).Value != nil || a.Kidney.Series.At(0).Value == nil {
		t.Errorf("stage %+v, series %+v", a.Kidney.Stage, a.Kidney.Series)
	}
	n := 0
	for _, al := range a.Alerts {
		if al.Code == "kidney-replacement" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d kidney-replacement alerts, want one for the period", n)
	}
	// One acute session in 2020: not on dialysis in 2024.
	b2 := newPatient(t, "aki", "1960-01-01", record.Male)
	b2.replacement(record.Hemodialysis, "2020-03-01", "2020-03-01").obs(units.Creatinine, "2023-12-01", 1.2, units.MgPerDL)
	a = assess.Assess(b2.timeline(), day("2024-01-05"), assess.DefaultConfig())
	if a.Kidney.Stage.Suffix == "D" || a.Kidney.EGFR == nil {
		t.Errorf("single session of 2020 read as dialysis now: %+v", a.Kidney.Stage)
	}
}
