package assess_test

import (
	"encoding/json"
	"strings"
	"testing"

	"renalwatch/assess"
	"renalwatch/record"
	"renalwatch/units"
)

// An alert quotes a measured value at the laboratory's reporting precision
// (internal/labtext, as the labs table), unless rounding would put it onto
// the bound it is compared with: Hb 11.96 g/dL in a woman is anaemia
// (KDIGO 2012 Anemia in CKD rec 1.2.1: < 12.0 g/dL) and must not read
// "Hb 12.0 g/dL … is below 12".
func TestAlertValuesAtLabPrecision(t *testing.T) {
	for _, tc := range []struct {
		hb   float64
		want string
	}{
		{10.13, "Hb 10.1 g/dL"},
		{11.96, "Hb 11.96 g/dL"},
	} {
		b := newPatient(t, "hb", "1985-01-01", record.Female)
		b.obs(units.Hemoglobin, "2024-05-01", tc.hb, units.GPerDL)
		a := assess.Assess(b.timeline(), day("2024-06-01"), assess.DefaultConfig())
		al := alertsOf(a, "anemia")
		if len(al) != 1 || !strings.Contains(al[0].Message, tc.want+" on 2024-05-01 is below 12 g/dL") {
			t.Errorf("Hb %v: anemia alerts %+v, want one quoting %q", tc.hb, al, tc.want)
		}
	}
}

// si converts to the SI units of the text report's --units si (cmd/renalwatch
// display.go): haemoglobin g/L, ratios mg/mmol.
func si(an units.Analyte, q units.Quantity) units.Quantity {
	u := map[units.Analyte]units.Unit{units.Hemoglobin: units.GPerL, units.PCR: units.MgPerMmol, units.ACR: units.MgPerMmol}[an]
	if u == "" {
		return q
	}
	c, err := an.Convert(q, u)
	if err != nil {
		return q
	}
	return c
}

// An alert shown in another unit system (trial #5) quotes its values and
// thresholds in that system, converted exactly (Hb 10 g/L per g/dL; UPCR
// 113.12 mg/mmol per g/g, creatinine 113.12 g/mol), at the laboratory
// precision of the unit shown with at most 3 significant digits, and keeps
// 6 significant digits when rounding would reach the threshold: Hb 11.96
// g/dL is 119.6 g/L, below 120 g/L (KDIGO 2012 Anemia in CKD rec 1.2.1,
// adult women < 12.0 g/dL), and must not read "120 g/L is below 120 g/L".
// A threshold whose conversion is rounded names the threshold applied.
// JSON keeps the message as assessed.
func TestAlertMessageInSI(t *testing.T) {
	for _, tc := range []struct {
		name        string
		an          units.Analyte
		v           float64
		u           units.Unit
		code        string
		message, in string
	}{
		{"Hb below the bound", units.Hemoglobin, 10.13, units.GPerDL, "anemia", "Hb 10.1 g/dL on 2024-05-01 is below 12 g/dL", "Hb 101 g/L on 2024-05-01 is below 120 g/L"},
		{"Hb rounding onto the bound", units.Hemoglobin, 11.96, units.GPerDL, "anemia", "Hb 11.96 g/dL on 2024-05-01 is below 12 g/dL", "Hb 119.6 g/L on 2024-05-01 is below 120 g/L"},
		// KDIGO 2012 rec 5.1.1: PCR >= 500 mg/g [>= 50 mg/mmol], a
		// pairing (0.5 g/g is 56.56 mg/mmol): the threshold reads as
		// applied with KDIGO's own mg/mmol number, never "56.6 mg/mmol"
		// against a source that says 50 (trial 3 #11), and the value as
		// reported with its conversion.
		{"UPCR above the referral threshold", units.PCR, 1.8, units.GPerG, "albuminuria-referral", "UPCR 1.80 g/g on 2024-05-01 is at or above 0.5 g/g", "UPCR 1.80 g/g (204 mg/mmol) on 2024-05-01 is at or above 0.5 g/g (KDIGO: 50 mg/mmol)"},
		{"UPCR rounding onto the converted threshold", units.PCR, 0.5001, units.GPerG, "albuminuria-referral", "UPCR 0.5001 g/g on 2024-05-01 is at or above 0.5 g/g", "UPCR 0.5001 g/g (56.5724 mg/mmol) on 2024-05-01 is at or above 0.5 g/g (KDIGO: 50 mg/mmol)"},
		// ACR >= 300 mg/g [>= 30 mg/mmol]: 350 mg/g is 39.6 mg/mmol.
		{"ACR above the referral threshold", units.ACR, 350, units.MgPerG, "albuminuria-referral", "ACR 350 mg/g on 2024-05-01 is at or above 300 mg/g", "ACR 350 mg/g (39.6 mg/mmol) on 2024-05-01 is at or above 300 mg/g (KDIGO: 30 mg/mmol)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := newPatient(t, "q", "1985-01-01", record.Female)
			b.obs(tc.an, "2024-05-01", tc.v, tc.u)
			a := assess.Assess(b.timeline(), day("2024-06-01"), assess.DefaultConfig())
			al := alertsOf(a, tc.code)
			if len(al) != 1 {
				t.Fatalf("%s alerts %+v, want one", tc.code, al)
			}
			if !strings.Contains(al[0].Message, tc.message) {
				t.Errorf("Message %q, want %q", al[0].Message, tc.message)
			}
			if got := al[0].MessageIn(si); !strings.Contains(got, tc.in) {
				t.Errorf("MessageIn(si) %q, want %q", got, tc.in)
			}
			js, err := json.Marshal(al[0])
			if err != nil {
				t.Fatal(err)
			}
			var back map[string]any
			if err := json.Unmarshal(js, &back); err != nil {
				t.Fatal(err)
			}
			if back["message"] != al[0].Message || len(back) != 5 {
				t.Errorf("JSON %s: want the message as assessed and the five fields of the contract", js)
			}
		})
	}
}

// KDIGO pairs UPCR thresholds across units rather than converting them
// (nephrotic range 3 g/g = 300 mg/mmol, which is 2.65 g/g; referral 0.5 g/g
// = 50 mg/mmol, which is 0.442 g/g). A value reported in mg/mmol that met
// the mg/mmol threshold must not be shown in g/g below the g/g one: the
// message keeps the unit of report for that analyte.
func TestAlertMessageInKeepsPairedThresholds(t *testing.T) {
	gPerG := func(an units.Analyte, q units.Quantity) units.Quantity {
		if an != units.PCR {
			return q
		}
		c, err := an.Convert(q, units.GPerG)
		if err != nil {
			return q
		}
		return c
	}
	for _, tc := range []struct {
		v          float64
		code, want string
	}{
		{310, "nephrotic-proteinuria", "UPCR 310.0 mg/mmol on 2024-05-01"},                                                    // 2.74 g/g
		{52, "albuminuria-referral", "UPCR 52.0 mg/mmol on 2024-05-01 is at or above 50 mg/mmol"},                             // 0.46 g/g
		{400, "nephrotic-proteinuria", "UPCR 400.0 mg/mmol (3.54 g/g) on 2024-05-01"},                                         // in both units above: as reported, then converted
		{60, "albuminuria-referral", "UPCR 60.0 mg/mmol (0.53 g/g) on 2024-05-01 is at or above 50 mg/mmol (KDIGO: 0.5 g/g)"}, // 0.53 g/g
	} {
		b := newPatient(t, "q", "1985-01-01", record.Female)
		b.obs(units.PCR, "2024-05-01", tc.v, units.MgPerMmol)
		a := assess.Assess(b.timeline(), day("2024-06-01"), assess.DefaultConfig())
		al := alertsOf(a, tc.code)
		if len(al) != 1 {
			t.Fatalf("UPCR %v mg/mmol: %s alerts %+v, want one", tc.v, tc.code, al)
		}
		if got := al[0].MessageIn(gPerG); !strings.Contains(got, tc.want) {
			t.Errorf("UPCR %v mg/mmol in g/g: %q, want %q", tc.v, got, tc.want)
		}
	}
}
