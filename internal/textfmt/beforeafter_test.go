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

// Trial 9 F-h: the comparison of the demo's mesenchymal stem cell infusion
// of 2025-06-10 (eGFR slope -5.5 before, -1.5 after) read as a slowed
// decline: the block named neither that the agent is unproven nor the
// hydroxychloroquine, valsartan and azathioprine running (its
// effect.concurrent). Each group now names what ran alongside, a course
// starting within the window with its date, and an investigational or
// unproven course says so, pointing to the alert's source.
func TestEffectGroupsNameRegimen(t *testing.T) {
	d := func(s string) time.Time { v, _ := time.Parse(time.DateOnly, s); return v }
	upcr := &assess.UPCRChange{Ratio: -0.25, BaselineDate: d("2025-06-02"), Date: d("2025-12-04")}
	end := d("2021-05-13")
	hcq := assess.Concurrent{ID: "h", Name: "hydroxychloroquine", Start: d("2020-02-20")}
	val := assess.Concurrent{ID: "v", Name: "valsartan", Start: d("2020-03-16")}
	aza := assess.Concurrent{ID: "a", Name: "azathioprine", Start: d("2021-06-01")}
	ths := []assess.Therapy{
		{ID: "c", Name: "cyclophosphamide", Evidence: assess.GuidelineRecommended, Start: d("2021-03-04"), End: &end,
			Effect: assess.Effect{UPCRChange6m: &assess.UPCRChange{Ratio: -0.11, BaselineDate: d("2021-02-04"), Date: d("2021-08-05")},
				Concurrent: []assess.Concurrent{hcq, val, aza}}},
		{ID: "m", Name: "mesenchymal stem cells", Evidence: assess.Unproven, Start: d("2025-06-10"),
			Effect: assess.Effect{UPCRChange6m: upcr, Concurrent: []assess.Concurrent{hcq, val, aza}}},
	}
	got := EffectGroups(ths)
	want := []EffectGroup{
		{Courses: "2021-03-04 cyclophosphamide, with hydroxychloroquine, valsartan, azathioprine (from 2021-06-01) running",
			Lines: []string{"UPCR change from 2021-02-04: -11% at 6 months (2021-08-05)"}},
		{Courses: "2025-06-10 mesenchymal stem cells, with hydroxychloroquine, valsartan, azathioprine running", Lines: []string{
			"mesenchymal stem cells: evidence unproven; a change after it cannot be attributed to it (source under Alerts)",
			"UPCR change from 2025-06-02: -25% at 6 months (2025-12-04)",
		}},
	}
	if len(got) != len(want) {
		t.Fatalf("EffectGroups:\n got %q\nwant %q", got, want)
	}
	for i := range want {
		if got[i].Courses != want[i].Courses || !slices.Equal(got[i].Lines, want[i].Lines) {
			t.Errorf("group %d:\n got %q\nwant %q", i, got[i], want[i])
		}
	}
}
