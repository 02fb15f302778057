package assess_test

import (
	"strings"
	"testing"

	"renalwatch/assess"
	"renalwatch/record"
	"renalwatch/units"
)

// Trial 8 F1: a course started just after an acute fall of eGFR has a
// steep slope before and a flatter one after without any effect of the
// therapy. When the last eGFR of the slope before is 35% or more below the
// highest of the 3 months before it (KDIGO acute kidney disease, KDIGO
// 2012 AKI guideline Table 11), effect.note names the fall; with the
// same values and no fall there is no note. Creatinine 1.0 then 1.8 mg/dL
// in a woman of 50 is eGFR 68 then 34 (CKD-EPI 2021): -51%.
func TestEffectNoteAcuteFall(t *testing.T) {
	for _, tc := range []struct {
		last float64
		want string // in the note; "" for no note
	}{
		{1.8, "the last eGFR before the start was taken during an acute fall (eGFR 68 (2020-07-01) to 34 (2020-09-01): -51% (from the unrounded eGFRs 68.42 and 33.76); acute kidney disease: a fall of 35% or more within 3 months, KDIGO 2012 AKI guideline Table 11)"},
		{1.1, ""}, // eGFR 61, -10%: within the variability KDIGO expects
	} {
		b := newPatient(t, "aki-before", "1970-01-01", record.Female).
			series(units.Creatinine, units.MgPerDL, "2020-01-10", 1.0, "2020-04-10", 1.0, "2020-07-01", 1.0, "2020-09-01", tc.last,
				"2020-12-01", 1.1, "2021-03-01", 1.1, "2021-06-01", 1.1).
			therapy(record.RAASBlockade, "ramipril", "2020-09-05", "")
		a := assess.Assess(b.timeline(), day("2021-10-01"), assess.DefaultConfig())
		if len(a.Therapies) != 1 || a.Therapies[0].Effect.EGFRSlopeBefore == nil {
			t.Fatalf("creatinine %v: no slope before: %+v, missing %v", tc.last, a.Therapies, a.Missing)
		}
		note := a.Therapies[0].Effect.Note
		switch {
		case tc.want == "" && note != "":
			t.Errorf("creatinine %v: note %q, want none", tc.last, note)
		case tc.want != "" && (!strings.Contains(note, tc.want) || !strings.HasSuffix(note, "(regression to the mean)")):
			t.Errorf("creatinine %v: note %q, want it to contain %q and end with regression to the mean", tc.last, note, tc.want)
		}
		if c := a.Therapies[0].Effect.Caveat; !strings.Contains(c, "regression to the mean") || !strings.Contains(c, "KDIGO 2012 AKI guideline") {
			t.Errorf("caveat %q does not name regression to the mean and the steady state of eGFR", c)
		}
	}
}

// Trial 8 F1: the class IV patient's course of 2022-09-15 follows a renal
// flare of 2022-09-05 (KDIGO 2012 rule), whose values end the slope
// before; the note names the flare. The 2020 induction had no flare in the
// 12 months before it: no note.
func TestEffectNoteFlare(t *testing.T) {
	a := assess.Assess(classIVToG4(t).timeline(), day("2026-12-01"), assess.DefaultConfig())
	seen := 0
	for _, th := range a.Therapies {
		note := th.Effect.Note
		switch y := th.Start.Year(); {
		case y == 2022:
			seen++
			if !strings.HasPrefix(note, "a renal flare (kdigo-2012) on 2022-09-05 is among the values before") {
				t.Errorf("%s of %s: note %q, want the flare of 2022-09-05", th.Name, date(th.Start), note)
			}
		case y == 2020 && note != "":
			t.Errorf("%s of %s: note %q, want none", th.Name, date(th.Start), note)
		}
	}
	if seen == 0 {
		t.Fatalf("no course in 2022: %+v", a.Therapies)
	}
}

// After the start: a kidney transplant in the 12 months after makes the
// slope after the graft's (the slopes leave out values before the latest
// transplant); the note says so. Dialysis needs no note: creatinine taken
// on dialysis gives no eGFR, so the slope after leaves it out.
func TestEffectNoteAfter(t *testing.T) {
	crs := []any{"2022-01-10", 2.0, "2022-04-10", 2.1, "2022-07-10", 2.2, "2022-10-10", 2.4, "2023-02-10", 3.0, "2023-05-10", 3.5, "2023-08-10", 4.5, "2023-11-10", 5.0}
	tx := newPatient(t, "tx-after", "1970-01-01", record.Male).series(units.Creatinine, units.MgPerDL, crs...).
		series(units.Creatinine, units.MgPerDL, "2023-06-10", 1.4, "2023-09-10", 1.3, "2023-12-10", 1.2).
		therapy(record.Glucocorticoid, "prednisone", "2023-01-01", "").
		replacement(record.KidneyTransplant, "2023-06-01", "")
	for _, tc := range []struct {
		b    *builder
		want string
	}{
		{tx, "the kidney transplant of 2023-06-01 is in the 12 months after the start: the eGFR values after are the graft's"},
	} {
		a := assess.Assess(tc.b.timeline(), day("2024-03-01"), assess.DefaultConfig())
		var th *assess.Therapy
		for i := range a.Therapies {
			if a.Therapies[i].Start.Equal(day("2023-01-01")) {
				th = &a.Therapies[i]
			}
		}
		if th == nil || th.Effect.EGFRSlopeAfter == nil {
			t.Fatalf("%s: no slope after: %+v, missing %v", tc.b.p.ID, a.Therapies, a.Missing)
		}
		if !strings.Contains(th.Effect.Note, tc.want) {
			t.Errorf("%s: note %q, want %q", tc.b.p.ID, th.Effect.Note, tc.want)
		}
	}
}
