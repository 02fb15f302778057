package textfmt

import (
	"slices"
	"testing"
	"time"

	"renalwatch/assess"
	"renalwatch/units"
)

// The eGFRs RenalWatch computed in an earlier report share a line per
// equation and fate (assess.ComputedReason): those whose creatinine is
// missing first, with each date and value; a lone one keeps its own line
// with its id; a retracted record keeps its line and place.
func TestNotUsedLines(t *testing.T) {
	day := func(s string) *time.Time { d, _ := time.Parse(time.DateOnly, s); return &d }
	egfr := func(id, date string, v float64, f assess.ComputedFate, eq string) assess.NotUsed {
		q := units.Q(v, units.MLPerMinBSA)
		return assess.NotUsed{Kind: "observation", ID: id, Date: day(date), What: "egfr", Value: &q,
			Reason: assess.ComputedReason(eq, f), Origin: assess.OriginRenalWatchReport, Equation: eq}
	}
	cr := units.Q(3.5, units.MgPerDL)
	ns := []assess.NotUsed{
		{Kind: "observation", ID: "Observation/cr2", Date: day("2025-11-03"), What: "creatinine", Value: &cr,
			Reason: "retracted by the source (status entered-in-error): kept in the store, not used in this assessment"},
		egfr("Observation/a", "2024-01-02", 61.4, assess.FreshFromCreatinine, "ckd-epi-2021"),
		egfr("Observation/b", "2024-03-02", 19.6, assess.SourceNotInRecord, "ckd-epi-2021"),
		egfr("Observation/c", "2024-05-02", 58, assess.FreshFromCreatinine, "ckd-epi-2021"),
		egfr("Observation/d", "2024-06-02", 40.2, assess.FreshFromCystatinC, "ckd-epi-2021"),
		egfr("Observation/e", "2024-07-02", 17.2, assess.SourceNotInRecord, "ckd-epi-2021"),
		egfr("Observation/f", "2024-08-02", 45, assess.FreshFromCreatinine, "ckd-epi-2009"),
		egfr("Observation/g", "2024-08-02", 46, assess.FreshFromCreatinine, "ckd-epi-2009"),
	}
	eq := " eGFRs computed by RenalWatch with CKD-EPI 2021 creatinine (race-free) in an earlier report, "
	want := []string{
		"Creatinine 3.50 mg/dL on 2025-11-03 (Observation/cr2): retracted by the source (status entered-in-error): kept in the store, not used in this assessment",
		"2" + eq + "2024-03-02 to 2024-07-02: not laboratory results: not used; the creatinine they were computed from is not in the record (import the laboratory's creatinine to have those dates assessed): 20 mL/min/1.73 m² on 2024-03-02, 17 on 2024-07-02",
		"2" + eq + "2024-01-02 to 2024-05-02: not laboratory results: not used; each date's eGFR is computed afresh from its creatinine in the record",
		"eGFR 40 mL/min/1.73 m² on 2024-06-02 (Observation/d): computed by RenalWatch with CKD-EPI 2021 creatinine (race-free) in an earlier report, not a laboratory result: not used; the eGFR of that date is computed afresh from its cystatin C in the record",
		"2 eGFRs computed by RenalWatch with " + assess.EquationName("ckd-epi-2009") + " in an earlier report, on 2024-08-02: not laboratory results: not used; each date's eGFR is computed afresh from its creatinine in the record",
	}
	if got := NotUsedLines(ns, Display{}); !slices.Equal(got, want) {
		t.Errorf("NotUsedLines:\n%q\nwant\n%q", got, want)
	}
	// A reason that is not RenalWatch's own (say, changed in the store)
	// is not grouped under it.
	odd := egfr("Observation/h", "2024-09-02", 44, assess.FreshFromCreatinine, "ckd-epi-2021")
	odd.Reason += "."
	if got := NotUsedLines([]assess.NotUsed{odd, ns[1], ns[3]}, Display{}); len(got) != 2 || got[0] != NotUsed(odd, Display{}) {
		t.Errorf("NotUsedLines with an unknown reason: %q", got)
	}
}
