package textfmt

import (
	"strings"
	"testing"
	"time"

	"renalwatch/assess"
	"renalwatch/lupus"
	"renalwatch/units"
)

// TestPairedKeepsTheRulesSide (trial 3 #11): KDIGO pairs UPCR levels
// across units (KDIGO 2024 LN: complete response < 0.5 g/g [50 mg/mmol],
// partial < 3 g/g [300 mg/mmol]; KDIGO 2012 GN Table 29: 500 mg/g [50
// mg/mmol], 1000 [100], 2000 [200], 5000 [500]). A UPCR shown converted
// must stay on the same side of the shown unit's number as it was of its
// own unit's number; otherwise it reads as reported.
func TestPairedKeepsTheRulesSide(t *testing.T) {
	si := Display{Convert: func(an units.Analyte, q units.Quantity) units.Quantity { return ShowIn(SIUnits, an, q) }}
	conv := Display{Convert: func(an units.Analyte, q units.Quantity) units.Quantity { return ShowIn(ConventionalUnits, an, q) }}
	resp, flare := lupus.ResponseUPCRLevels(lupus.KDIGO2024), lupus.FlareUPCRLevels(lupus.KDIGO2012Flare)
	for _, tc := range []struct {
		name   string
		d      Display
		levels []lupus.UPCRLevel
		q      units.Quantity
		want   string
	}{
		{"complete at 0.48 g/g is 54.3 mg/mmol, not < 50", si, resp, units.Q(0.48, units.GPerG), "0.48 g/g"},
		{"0.30 g/g is 33.9 mg/mmol, < 50 as < 0.5", si, resp, units.Q(0.3, units.GPerG), "33.9 mg/mmol"},
		{"partial at 2.8 g/g is 317 mg/mmol, not < 300", si, resp, units.Q(2.8, units.GPerG), "2.80 g/g"},
		{"4 g/g is 452 mg/mmol, above both", si, resp, units.Q(4, units.GPerG), "452 mg/mmol"},
		{"0.4418 g/g is 49.98 mg/mmol, shown 50.0", si, resp, units.Q(0.4418, units.GPerG), "0.44 g/g"},
		{"52 mg/mmol (not < 50) is 0.460 g/g, < 0.5", conv, resp, units.Q(52, units.MgPerMmol), "52.0 mg/mmol"},
		{"45 mg/mmol is 0.398 g/g, < 0.5 as < 50", conv, resp, units.Q(45, units.MgPerMmol), "0.40 g/g"},
		{"flare baseline 480 mg/g (< 500) is 54.3 mg/mmol", si, flare, units.Q(480, units.MgPerG), "480 mg/g"},
		{"flare 2400 mg/g is 271 mg/mmol, above 200 as above 2000", si, flare, units.Q(2400, units.MgPerG), "271 mg/mmol"},
		{"no levels (eular-2019): converted", si, lupus.ResponseUPCRLevels(lupus.EULAR2019), units.Q(0.48, units.GPerG), "54.3 mg/mmol"},
		{"as reported: unchanged", Display{}, resp, units.Q(0.48, units.GPerG), "0.48 g/g"},
	} {
		if got := tc.d.Paired(tc.levels).Q(units.PCR, tc.q); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
	// other analytes are shown as the display shows them
	if got := si.Paired(resp).Q(units.Creatinine, units.Q(1.2, units.MgPerDL)); got != "106 µmol/L" {
		t.Errorf("creatinine %q", got)
	}
}

// A kdigo-2012 flare line in SI: the baseline 480 mg/g, in Table 29's
// band "< 500 mg/g [50 mg/mmol]", reads as reported, not as 54.3 mg/mmol,
// and so does the flare UPCR beside it: one unit a line (trial 5 #3: "0.90
// g/g to 430 mg/mmol" read as a 500-fold rise).
func TestFlareLinePaired(t *testing.T) {
	si := Display{Convert: func(an units.Analyte, q units.Quantity) units.Quantity { return ShowIn(SIUnits, an, q) }}
	sev := "moderate"
	f := assess.FlareEvent{Date: time.Date(2022, 9, 15, 0, 0, 0, 0, time.UTC), Rule: lupus.KDIGO2012Flare, Severity: &sev,
		BaselineUPCR: units.Q(480, units.MgPerG), UPCR: units.Q(2400, units.MgPerG)}
	want := "moderate renal flare on 2022-09-15 (kdigo-2012): UPCR 480 mg/g to 2400 mg/g"
	if got := Flare(f, si, ""); got != want {
		t.Errorf("Flare = %q, want %q", got, want)
	}
	f.BaselineUPCR = units.Q(400, units.MgPerG) // 45.2 mg/mmol, < 50 as < 500: both converted
	if got := Flare(f, si, ""); !strings.Contains(got, "UPCR 45.2 mg/mmol to 271 mg/mmol") {
		t.Errorf("both convertible: %q", got)
	}
	f.BaselineUPCR = units.Q(480, units.MgPerG)
	f.Rule = lupus.MoroniFlare // prints mg/g only: converted
	if got := Flare(f, si, ""); !strings.Contains(got, "UPCR 54.3 mg/mmol to 271 mg/mmol") {
		t.Errorf("moroni: %q", got)
	}
}

// A flare met on the urine sediment alone names what it met before its
// UPCRs, which fell (synthetic patient syn7-798: a mild kdigo-2012 flare on
// recurring casts read as "UPCR 383 mg/mmol to 298.7 mg/mmol"); a flare met
// on a UPCR rise is named by its UPCRs alone.
func TestFlareLineNamesMetCriteria(t *testing.T) {
	yes, no := true, false
	sev := "mild"
	f := assess.FlareEvent{Date: time.Date(2021, 3, 15, 0, 0, 0, 0, time.UTC), Rule: lupus.KDIGO2012Flare, Severity: &sev,
		BaselineUPCR: units.Q(383, units.MgPerMmol), UPCR: units.Q(298.7, units.MgPerMmol),
		Criteria: []lupus.CriterionResult{
			{Name: "mild: glomerular haematuria from < 5 to > 15 RBC/hpf", Met: &no},
			{Name: "mild: recurrence of ≥ 1 RBC or WBC cast (no infection)", Met: &yes},
			{Name: "moderate: UPCR rise", Met: &no},
			{Name: "confirm: haematuria with ≥ 2 acanthocytes/hpf"},
		}}
	want := "mild renal flare on 2021-03-15 (kdigo-2012): recurrence of ≥ 1 RBC or WBC cast (no infection); UPCR 383.0 mg/mmol to 298.7 mg/mmol"
	if got := Flare(f, Display{}, ""); got != want {
		t.Errorf("sediment flare:\n got %q\nwant %q", got, want)
	}
	f.Criteria[2].Met = &yes
	if got := Flare(f, Display{}, ""); strings.Contains(got, "cast") || !strings.Contains(got, "): UPCR 383") {
		t.Errorf("UPCR flare names its UPCRs alone: %q", got)
	}
}
