package textfmt

import (
	"slices"
	"testing"
	"time"

	"renalwatch/assess"
)

// Trial 8 F4: the text report's before/after block names courses whose
// comparisons read the same once (an induction started over a few days),
// courses of one day after one date; each slope reads with its 95% CI,
// values and span (Trend), never bare; a course with nothing assessed is
// left out. The slope -31.05 over 3 values, CI -325.07 to 262.97, is the
// demo's prednisone of 2022-09-20.
func TestEffectGroups(t *testing.T) {
	d := func(s string) time.Time { v, _ := time.Parse(time.DateOnly, s); return v }
	ci := [2]float64{-325.07374144501915, 262.9683647987121}
	before := &assess.Slope{PerYear: -31.053, CI95: &ci, Points: 3, Days: 280, From: d("2021-12-09"), To: d("2022-09-15")}
	upcr := &assess.UPCRChange{Ratio: -0.5833, BaselineDate: d("2022-09-15"), Date: d("2023-03-09")}
	same := assess.Effect{EGFRSlopeBefore: before, UPCRChange6m: upcr, Note: "a renal flare (kdigo-2012) on 2022-09-15 is among the values before"}
	ths := []assess.Therapy{
		{Name: "methylprednisolone", Start: d("2022-09-18"), Effect: same},
		{Name: "mycophenolate", Start: d("2022-09-20"), Effect: same},
		{Name: "prednisone", Start: d("2022-09-20"), Effect: same},
		{Name: "tacrolimus", Start: d("2022-09-21"), Indication: "graft immunosuppression"},
	}
	got := EffectGroups(ths)
	want := []EffectGroup{{Courses: "2022-09-18 methylprednisolone; 2022-09-20 mycophenolate, prednisone", Lines: []string{
		"eGFR slope before: -31.1 mL/min/1.73 m²/year (95% CI -325.1 to 263.0), 3 values 2021-12-09 to 2022-09-15",
		"UPCR change from 2022-09-15: -58% at 6 months (2023-03-09)",
		"Note: a renal flare (kdigo-2012) on 2022-09-15 is among the values before",
	}}}
	if len(got) != len(want) || got[0].Courses != want[0].Courses || !slices.Equal(got[0].Lines, want[0].Lines) {
		t.Errorf("EffectGroups:\n got %q\nwant %q", got, want)
	}
}
