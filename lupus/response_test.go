package lupus

import (
	"errors"
	"strings"
	"testing"

	"renalwatch/units"
)

func f(v float64) *float64 { return &v }

func q(v float64, u units.Unit) units.Quantity { return units.Q(v, u) }

const (
	srcKDIGO24 = "KDIGO 2024 LN response figure (droracle.ai summary): CR <0.5 g/g (50 mg/mmol), PR ≥50% and <3 g/g (300 mg/mmol), eGFR ±10–15%"
	srcEULAR19 = "EULAR/ERA-EDTA 2019 (Fanouriakis 2020) CR <0.5–0.7 g/24 h with (near-)normal GFR; Moroni LSM 2022 Table 1 (within 10%)"
	srcACR24   = "ACR 2024 CRR as reproduced on gazyva-hcp.com (lupus.md §2.4)"
	srcBLISS   = "BLISS-LN (Furie 2020) PERR/CRR, lupus.md §2.6"
	srcAURORA  = "AURORA 1 (Rovin 2021, PubMed 33971155) CRR"
)

func TestResponse(t *testing.T) {
	tests := []struct {
		name   string
		rule   ResponseRule
		in     ResponseInput
		want   string
		warn   string // a warning that must be present, if any
		source string
	}{
		// KDIGO 2024: UPCR boundary in each unit (A3).
		{"kdigo 0.49 g/g complete", KDIGO2024, ResponseInput{q(3, units.GPerG), q(0.49, units.GPerG), f(60), f(60), f(9)}, ResponseComplete, "", srcKDIGO24},
		{"kdigo exactly 0.5 g/g is not complete", KDIGO2024, ResponseInput{q(3, units.GPerG), q(0.5, units.GPerG), f(60), f(60), f(9)}, ResponsePartial, "", srcKDIGO24},
		{"kdigo exactly 500 mg/g is not complete", KDIGO2024, ResponseInput{q(3000, units.MgPerG), q(500, units.MgPerG), f(60), f(60), f(9)}, ResponsePartial, "", srcKDIGO24},
		{"kdigo exactly 50 mg/mmol is not complete", KDIGO2024, ResponseInput{q(300, units.MgPerMmol), q(50, units.MgPerMmol), f(60), f(60), f(9)}, ResponsePartial, "", srcKDIGO24},
		{"kdigo 49.9 mg/mmol complete", KDIGO2024, ResponseInput{q(300, units.MgPerMmol), q(49.9, units.MgPerMmol), f(60), f(60), f(9)}, ResponseComplete, "", srcKDIGO24},
		{"kdigo 53 mg/mmol is not complete although 0.47 g/g (A3)", KDIGO2024, ResponseInput{q(300, units.MgPerMmol), q(53, units.MgPerMmol), f(60), f(60), f(9)}, ResponsePartial, "", srcKDIGO24 + "; lupus.md §9 A3"},
		// 50% reduction exactly, and the < 3 g/g cap.
		{"kdigo exactly 50% reduction partial", KDIGO2024, ResponseInput{q(4, units.GPerG), q(2, units.GPerG), f(60), f(60), f(9)}, ResponsePartial, "", srcKDIGO24},
		{"kdigo 49.75% reduction none", KDIGO2024, ResponseInput{q(4, units.GPerG), q(2.01, units.GPerG), f(60), f(60), f(9)}, ResponseNone, "", srcKDIGO24},
		{"kdigo exactly 3 g/g not partial", KDIGO2024, ResponseInput{q(8, units.GPerG), q(3, units.GPerG), f(60), f(60), f(9)}, ResponseNone, "", srcKDIGO24},
		{"kdigo exactly 300 mg/mmol not partial", KDIGO2024, ResponseInput{q(800, units.MgPerMmol), q(300, units.MgPerMmol), f(60), f(60), f(9)}, ResponseNone, "", srcKDIGO24},
		{"kdigo mixed units reduction", KDIGO2024, ResponseInput{q(400, units.MgPerMmol), q(1.5, units.GPerG), f(60), f(60), f(9)}, ResponsePartial, "different units", srcKDIGO24},
		// eGFR at the tolerance.
		{"kdigo eGFR exactly 10% below", KDIGO2024, ResponseInput{q(3, units.GPerG), q(0.3, units.GPerG), f(100), f(90), f(9)}, ResponseComplete, "", srcKDIGO24},
		{"kdigo eGFR 10.1% below", KDIGO2024, ResponseInput{q(3, units.GPerG), q(0.3, units.GPerG), f(100), f(89.9), f(9)}, ResponseNone, "inside 15%", srcKDIGO24 + "; A6 strict end"},
		{"kdigo eGFR 63 → 56.7 exactly 10%", KDIGO2024, ResponseInput{q(3, units.GPerG), q(0.3, units.GPerG), f(63), f(56.7), f(9)}, ResponseComplete, "", srcKDIGO24 + " (binary rounding at the boundary)"},
		{"kdigo eGFR improved", KDIGO2024, ResponseInput{q(3, units.GPerG), q(0.3, units.GPerG), f(50), f(70), f(9)}, ResponseComplete, "", srcKDIGO24},
		{"kdigo too early", KDIGO2024, ResponseInput{q(3, units.GPerG), q(0.3, units.GPerG), f(60), f(60), f(3)}, ResponseComplete, "outside the rule's window", srcKDIGO24},
		{"kdigo no months", KDIGO2024, ResponseInput{q(3, units.GPerG), q(0.3, units.GPerG), f(60), f(60), nil}, ResponseComplete, "not checked", srcKDIGO24},
		// EULAR 2019.
		{"eular 0.6 g/g not complete, inside range", EULAR2019, ResponseInput{q(3, units.GPerG), q(0.6, units.GPerG), f(90), f(90), f(12)}, ResponsePartial, "0.5–0.7", srcEULAR19},
		{"eular eGFR ≥ 90 whatever the decline", EULAR2019, ResponseInput{q(3, units.GPerG), q(0.3, units.GPerG), f(120), f(90), f(12)}, ResponseComplete, "", srcEULAR19},
		{"eular exactly 3.5 g/g not sub-nephrotic", EULAR2019, ResponseInput{q(8, units.GPerG), q(3.5, units.GPerG), f(90), f(90), f(12)}, ResponseNone, "", srcEULAR19 + "; A11"},
		{"eular 3 g/g partial (KDIGO would say none)", EULAR2019, ResponseInput{q(8, units.GPerG), q(3.4, units.GPerG), f(90), f(90), f(12)}, ResponsePartial, "", srcEULAR19 + "; A11"},
		{"eular 18 months with nephrotic baseline in window", EULAR2019, ResponseInput{q(5, units.GPerG), q(0.3, units.GPerG), f(90), f(90), f(18)}, ResponseComplete, "", srcEULAR19},
		// EULAR 2019 gives no mg/mmol numbers (issue 3, defect 3): convert exactly, warn.
		{"eular 53 mg/mmol (0.4685 g/g) complete, as acr-2024", EULAR2019, ResponseInput{q(300, units.MgPerMmol), q(53, units.MgPerMmol), f(90), f(90), f(12)}, ResponseComplete, "converted exactly", srcEULAR19 + "; issue 3 defect 3"},
		{"eular 56.5 mg/mmol (0.4995 g/g) complete", EULAR2019, ResponseInput{q(300, units.MgPerMmol), q(56.5, units.MgPerMmol), f(90), f(90), f(12)}, ResponseComplete, "converted exactly", srcEULAR19 + "; 0.5 g/g = 56.56 mg/mmol"},
		{"eular 56.6 mg/mmol (0.5003 g/g) not complete", EULAR2019, ResponseInput{q(300, units.MgPerMmol), q(56.6, units.MgPerMmol), f(90), f(90), f(12)}, ResponsePartial, "converted exactly", srcEULAR19 + "; 0.5 g/g = 56.56 mg/mmol"},
		{"eular 350 mg/mmol (3.094 g/g) sub-nephrotic", EULAR2019, ResponseInput{q(800, units.MgPerMmol), q(350, units.MgPerMmol), f(90), f(90), f(12)}, ResponsePartial, "converted exactly", srcEULAR19 + "; 3.5 g/g = 395.9 mg/mmol"},
		{"eular 396 mg/mmol (3.501 g/g) not sub-nephrotic", EULAR2019, ResponseInput{q(800, units.MgPerMmol), q(396, units.MgPerMmol), f(90), f(90), f(12)}, ResponseNone, "converted exactly", srcEULAR19 + "; 3.5 g/g = 395.9 mg/mmol"},
		{"eular 18 months otherwise outside", EULAR2019, ResponseInput{q(2, units.GPerG), q(0.3, units.GPerG), f(90), f(90), f(18)}, ResponseComplete, "outside the rule's window", srcEULAR19},
		// ACR 2024.
		{"acr complete via eGFR ≥ 90", ACR2024, ResponseInput{units.Quantity{}, q(0.49, units.GPerG), f(110), f(90), nil}, ResponseComplete, "partial response is not defined", srcACR24},
		{"acr exactly 0.5 not complete", ACR2024, ResponseInput{units.Quantity{}, q(0.5, units.GPerG), f(80), f(80), nil}, ResponseNotComplete, "", srcACR24},
		{"acr baseline UPCR not used", ACR2024, ResponseInput{q(2, units.GPerG), q(0.3, units.GPerG), f(80), f(80), nil}, ResponseComplete, "not used by acr-2024", srcACR24},
		// BLISS-LN.
		{"perr exactly 0.7 responder", BLISSLNPERR, ResponseInput{units.Quantity{}, q(0.7, units.GPerG), f(70), f(70), f(24)}, Responder, "provisional", srcBLISS},
		{"perr 0.71 non-responder", BLISSLNPERR, ResponseInput{units.Quantity{}, q(0.71, units.GPerG), f(70), f(70), f(24)}, NonResponder, "", srcBLISS},
		{"perr eGFR exactly 20% below pre-flare", BLISSLNPERR, ResponseInput{units.Quantity{}, q(0.5, units.GPerG), f(70), f(56), f(24)}, Responder, "", srcBLISS},
		{"perr eGFR 20.1% below and < 60", BLISSLNPERR, ResponseInput{units.Quantity{}, q(0.5, units.GPerG), f(70), f(55.9), f(24)}, NonResponder, "", srcBLISS},
		{"perr eGFR exactly 60", BLISSLNPERR, ResponseInput{units.Quantity{}, q(0.5, units.GPerG), f(100), f(60), f(24)}, Responder, "", srcBLISS},
		{"perr mg/mmol converted exactly", BLISSLNPERR, ResponseInput{units.Quantity{}, q(70, units.MgPerMmol), f(70), f(70), f(24)}, Responder, "converted exactly", srcBLISS + "; A3 (no mg/mmol cut-off in the trial)"},
		{"perr 80 mg/mmol is 0.707 g/g", BLISSLNPERR, ResponseInput{units.Quantity{}, q(80, units.MgPerMmol), f(70), f(70), f(24)}, NonResponder, "converted exactly", srcBLISS},
		{"perr 6 months outside window", BLISSLNPERR, ResponseInput{units.Quantity{}, q(0.5, units.GPerG), f(70), f(70), f(6)}, Responder, "outside the rule's window", srcBLISS},
		{"crr exactly 0.5 non-responder", BLISSLNCRR, ResponseInput{units.Quantity{}, q(0.5, units.GPerG), f(80), f(80), f(24)}, NonResponder, "", srcBLISS},
		{"crr eGFR exactly 10% below pre-flare", BLISSLNCRR, ResponseInput{units.Quantity{}, q(0.49, units.GPerG), f(80), f(72), f(24)}, Responder, "", srcBLISS},
		// AURORA 1.
		{"aurora exactly 0.5 responder", AURORACRR, ResponseInput{units.Quantity{}, q(0.5, units.GPerG), f(70), f(59), f(12)}, Responder, "provisional", srcAURORA},
		{"aurora 0.51 non-responder", AURORACRR, ResponseInput{units.Quantity{}, q(510, units.MgPerG), f(70), f(70), f(12)}, NonResponder, "", srcAURORA},
		{"aurora eGFR 21% lower and < 60", AURORACRR, ResponseInput{units.Quantity{}, q(0.4, units.GPerG), f(70), f(55.3), f(12)}, NonResponder, "", srcAURORA},
	}
	for _, tt := range tests {
		r, err := Response(tt.rule, tt.in)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if r.Response != tt.want || r.Rule != string(tt.rule) {
			t.Errorf("%s: %s response %q, want %q (%s)\n%+v", tt.name, r.Rule, r.Response, tt.want, tt.source, r.Criteria)
		}
		if tt.warn != "" && !strings.Contains(strings.Join(r.Warnings, "\n"), tt.warn) {
			t.Errorf("%s: warnings %q lack %q", tt.name, r.Warnings, tt.warn)
		}
	}
}

func TestResponseNotAssessedNeverMet(t *testing.T) {
	r, err := Response(BLISSLNPERR, ResponseInput{UPCR: q(0.3, units.GPerG), BaselineEGFR: f(80), EGFR: f(80), Months: f(24)})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range r.Criteria {
		if c.Status == "not assessed" {
			n++
			if c.Met != nil {
				t.Errorf("%s: not assessed but Met = %v", c.Name, *c.Met)
			}
		}
	}
	if n != 2 || !r.Provisional {
		t.Errorf("PERR: %d not-assessed criteria, provisional %v; want 2 (treatment failure, prednisone), true", n, r.Provisional)
	}
}

func TestResponseRejects(t *testing.T) {
	full := ResponseInput{q(3, units.GPerG), q(0.4, units.GPerG), f(60), f(60), f(9)}
	tests := []struct {
		name  string
		rule  ResponseRule
		in    func(ResponseInput) ResponseInput
		field string
		want  error
		msg   string
	}{
		{"kdigo without baseline UPCR", KDIGO2024, func(in ResponseInput) ResponseInput { in.BaselineUPCR = units.Quantity{}; return in }, "baseline-upcr", ErrMissing, "required by rule kdigo-2024"},
		{"eular without baseline eGFR", EULAR2019, func(in ResponseInput) ResponseInput { in.BaselineEGFR = nil; return in }, "baseline-egfr", ErrMissing, "required by rule eular-2019"},
		{"perr without pre-flare eGFR", BLISSLNPERR, func(in ResponseInput) ResponseInput { in.BaselineEGFR = nil; return in }, "baseline-egfr", ErrMissing, "required"},
		{"no current UPCR", AURORACRR, func(in ResponseInput) ResponseInput { in.UPCR = units.Quantity{}; return in }, "upcr", ErrMissing, "required"},
		{"eGFR 0", KDIGO2024, func(in ResponseInput) ResponseInput { in.EGFR = f(0); return in }, "egfr", ErrOutOfRange, "more than 0"},
		{"eGFR 400", KDIGO2024, func(in ResponseInput) ResponseInput { in.BaselineEGFR = f(400); return in }, "baseline-egfr", ErrOutOfRange, "at most 300"},
		{"months -1", KDIGO2024, func(in ResponseInput) ResponseInput { in.Months = f(-1); return in }, "months", ErrOutOfRange, "0 to 240"},
		{"unknown rule", "kdigo2024", func(in ResponseInput) ResponseInput { return in }, "rule", ErrUnknownItem, "did you mean kdigo-2024?"},
	}
	for _, tt := range tests {
		_, err := Response(tt.rule, tt.in(full))
		var ie *InputError
		if !errors.Is(err, tt.want) || !errors.As(err, &ie) || ie.Field != tt.field || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("%s: err = %v, want %v on %s containing %q", tt.name, err, tt.want, tt.field, tt.msg)
		}
	}
	// A UPCR in a unit that is not a ratio is a units error naming the field.
	in := full
	in.UPCR = q(3.5, units.GPerDL)
	if _, err := Response(KDIGO2024, in); !errors.Is(err, units.ErrIncompatible) || !strings.Contains(err.Error(), "upcr") {
		t.Errorf("UPCR in g/dL: %v", err)
	}
	in = full
	in.UPCR = q(60000, units.MgPerG)
	if _, err := Response(KDIGO2024, in); !errors.Is(err, units.ErrImplausible) {
		t.Errorf("UPCR 60000 mg/g: %v", err)
	}
}
