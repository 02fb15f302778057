package textfmt

import (
	"testing"
	"time"

	"renalwatch/assess"
	"renalwatch/ckd"
	"renalwatch/units"
)

// The stage names the eGFR and the ratio it is based on, each with its own
// date (trial #23): the A category may come from an older ratio than the
// eGFR (ln-iv: eGFR of 2021-07-01, UPCR of 2021-01-10).
func TestStageBasis(t *testing.T) {
	d := func(s string) time.Time { x, _ := time.Parse(time.DateOnly, s); return x }
	g, a := ckd.G3b, ckd.A3
	q := units.Q(3.2, units.GPerG)
	ad := d("2021-01-10")
	e := &assess.EGFR{Value: 34.4, Unit: units.MLPerMinBSA, Date: d("2021-07-01")}
	s := assess.Stage{G: &g, A: &a, ASource: "pcr", AValue: &q, ADate: &ad}
	if got, want := StageBasis(e, s, nil), "eGFR 34 on 2021-07-01, UPCR 3.20 g/g on 2021-01-10"; got != want {
		t.Errorf("StageBasis = %q, want %q", got, want)
	}
	si := func(an units.Analyte, q units.Quantity) units.Quantity {
		c, _ := an.Convert(q, units.MgPerMmol)
		return c
	}
	if got, want := StageBasis(e, s, si), "eGFR 34 on 2021-07-01, UPCR 362 mg/mmol on 2021-01-10"; got != want { // 3.2 g/g x 113.12
		t.Errorf("StageBasis in SI = %q, want %q", got, want)
	}
	if got, want := StageBasis(e, assess.Stage{G: &g}, nil), "eGFR 34 on 2021-07-01"; got != want {
		t.Errorf("StageBasis without A = %q, want %q", got, want)
	}
}

// conventional and si show a ratio as report --units does (ShowIn).
func showIn(u units.Unit) func(units.Analyte, units.Quantity) units.Quantity {
	return func(an units.Analyte, q units.Quantity) units.Quantity {
		c, err := an.Convert(q, u)
		if err != nil {
			return q
		}
		return c
	}
}

// Trial #2: under --units the ratio behind the A category keeps its unit
// of report when the converted value would fall in another category by
// the other unit's KDIGO thresholds (KDIGO 2012 Tables 6-7 pair 3 mg/mmol
// with 30 mg/g and 15 mg/mmol with 150 mg/g; they are not conversions).
func TestStageBasisKeepsPairedUnit(t *testing.T) {
	d := func(s string) time.Time { x, _ := time.Parse(time.DateOnly, s); return x }
	at := d("2026-06-10")
	e := &assess.EGFR{Value: 66, Unit: units.MLPerMinBSA, Date: at}
	g := ckd.G2
	for _, tc := range []struct {
		src  string
		q    units.Quantity
		a    ckd.A
		show units.Unit
		want string
	}{
		{"pcr", units.Q(16, units.MgPerMmol), ckd.A2, units.GPerG, "UPCR 16.0 mg/mmol"}, // 0.141 g/g: A1 by the g/g table
		{"acr", units.Q(3.2, units.MgPerMmol), ckd.A2, units.MgPerG, "ACR 3.2 mg/mmol"}, // 28.3 mg/g: A1 by the mg/g table
		{"acr", units.Q(28, units.MgPerG), ckd.A1, units.MgPerMmol, "ACR 28 mg/g"},      // 3.17 mg/mmol: A2 by the mg/mmol table
		{"pcr", units.Q(1.8, units.GPerG), ckd.A3, units.MgPerMmol, "UPCR 204 mg/mmol"}, // A3 in both: converted
		{"acr", units.Q(40, units.MgPerG), ckd.A2, units.MgPerMmol, "ACR 4.5 mg/mmol"},  // A2 in both: converted
	} {
		a := tc.a
		s := assess.Stage{G: &g, A: &a, ASource: tc.src, AValue: &tc.q, ADate: &at}
		want := "eGFR 66 on 2026-06-10, " + tc.want + " on 2026-06-10"
		if got := StageBasis(e, s, showIn(tc.show)); got != want {
			t.Errorf("%v in %s: StageBasis = %q, want %q", tc.q, tc.show.Display(), got, want)
		}
	}
	// A bound inside A1 (<30 mg/g) would span A1 and A2 as <3.39 mg/mmol.
	q, a := units.Q(30, units.MgPerG), ckd.A1
	s := assess.Stage{G: &g, A: &a, ASource: "acr", AValue: &q, AComparator: "<", ADate: &at}
	if got, want := StageBasis(e, s, showIn(units.MgPerMmol)), "eGFR 66 on 2026-06-10, ACR <30 mg/g on 2026-06-10"; got != want {
		t.Errorf("bound: StageBasis = %q, want %q", got, want)
	}
}

// Trial #6: the Stage line gives the categories, risk and basis; what has
// persisted is the Persists line, which names thresholds, never a span of
// categories such as "A2-A3".
func TestStageAndPersistsLines(t *testing.T) {
	d := func(s string) time.Time { x, _ := time.Parse(time.DateOnly, s); return x }
	at := d("2026-09-17")
	e := &assess.EGFR{Value: 27.4, Unit: units.MLPerMinBSA, Date: at}
	g4, a3, risk := ckd.G4, ckd.A3, ckd.RiskVeryHigh
	q := units.Q(1.8, units.GPerG)
	gs := d("2026-07-16")
	s := assess.Stage{G: &g4, A: &a3, ASource: "pcr", AValue: &q, ADate: &at, Risk: &risk, GSince: &gs, Persistent: true, AAbnormalValues: 9}
	s.Persistence.EGFR = ckd.Persistence{Persistent: true, Since: d("2024-09-05")}
	s.Persistence.Albuminuria = ckd.Persistence{Persistent: true, Since: d("2020-05-28")}
	if got, want := Stage(e, s, Display{}), "KDIGO G4 A3, very high risk (eGFR 27 on 2026-09-17, UPCR 1.80 g/g on 2026-09-17)"; got != want {
		t.Errorf("Stage = %q, want %q", got, want)
	}
	if got, want := Persists(s, Display{}), "eGFR < 60 for > 90 days (since 2024-09-05), G4 since 2026-07-16; UPCR ≥ 0.15 g/g for > 90 days (since 2020-05-28)"; got != want {
		t.Errorf("Persists = %q, want %q", got, want)
	}
	if got, want := Persists(s, Display{Convert: showIn(units.MgPerMmol)}), "eGFR < 60 for > 90 days (since 2024-09-05), G4 since 2026-07-16; UPCR ≥ 15 mg/mmol for > 90 days (since 2020-05-28)"; got != want {
		t.Errorf("Persists in SI = %q, want %q", got, want)
	}

	// Not yet persistent: each abnormality says so; a single ratio asks
	// for a repeat.
	g3a := ckd.G3a
	n := assess.Stage{G: &g3a, A: &a3, ASource: "acr", AValue: &q, AAbnormalValues: 1}
	if got, want := Persists(n, Display{}), "eGFR < 60 not shown to persist > 90 days; A3 on a single value (repeat to confirm)"; got != want {
		t.Errorf("Persists, not persistent = %q, want %q", got, want)
	}
	n.AAbnormalValues = 2
	if got, want := Persists(n, Display{}), "eGFR < 60 not shown to persist > 90 days; A3 not shown to persist > 90 days"; got != want {
		t.Errorf("Persists, two values = %q, want %q", got, want)
	}
	g2, a1 := ckd.G2, ckd.A1
	if got, want := Persists(assess.Stage{G: &g2, A: &a1}, Display{}), "eGFR ≥ 60 and A1 on the latest results: no abnormality persists now"; got != want {
		t.Errorf("Persists, G2 A1 = %q, want %q", got, want)
	}
	if got, want := Persists(assess.Stage{G: &g2}, Display{}), "eGFR ≥ 60; albuminuria not known"; got != want {
		t.Errorf("Persists, G2 A? = %q, want %q", got, want)
	}
	g5 := ckd.G5
	if got, want := Persists(assess.Stage{G: &g5, Suffix: "D"}, Display{}), "on dialysis (G5D): no eGFR is estimated"; got != want {
		t.Errorf("Persists, G5D = %q, want %q", got, want)
	}
	if got := Persists(assess.Stage{}, Display{}); got != "" {
		t.Errorf("Persists without G = %q, want none", got)
	}
}

// Under 2 years the stage line says why there is no G category or CKD
// stage (KDIGO 2024) and still names the A category and its ratio.
func TestStageUnder2(t *testing.T) {
	a := ckd.A3
	q := units.Q(1.2, units.GPerG)
	ad := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	e := &assess.EGFR{Value: 77.7, Unit: units.MLPerMinBSA, Date: ad}
	s := assess.Stage{A: &a, ASource: "pcr", AValue: &q, ADate: &ad, GNotApplicable: "age 15 months at the eGFR of 2026-09-01: " + ckd.GCategoryUnder2}
	got := Stage(e, s, Display{})
	want := "no KDIGO G category or CKD stage, age 15 months at the eGFR of 2026-09-01: " + ckd.GCategoryUnder2 + "; albuminuria A3 (UPCR 1.20 g/g on 2026-09-01)"
	if got != want {
		t.Errorf("Stage = %q\nwant   %q", got, want)
	}
	if StageNote(s) != "" {
		t.Errorf("StageNote = %q under 2 years, want none", StageNote(s))
	}
}
