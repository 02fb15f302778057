package lupus

import (
	"errors"
	"strings"
	"testing"

	"renalwatch/units"
)

const (
	srcT29    = "KDIGO 2012 GN guideline Table 29 (PMC4089588 tbl29)"
	srcMoroni = "Moroni/Ponticelli flare definitions, Lupus Sci Med 2022 Table 1 (PMC9386217)"
	srcEU12   = "EULAR/ERA-EDTA 2012 (Bertsias) as in lupus.md §2.5 [M]"
	srcAU2    = "AURORA 2 flare, Lupus Sci Med 11 Suppl 2 A85 (lupus.md §2.5)"
)

func bp(b bool) *bool { return &b }

func rbc(v float64) units.Quantity { return units.Q(v, units.PerHPF) }

// full fills the kdigo-2012 inputs a row does not test with values that meet
// no criterion (RBC 2 → 3/hpf, no casts, creatinine 1.0 → 1.0 mg/dL), so that
// the row's verdict is settled by the criterion under test.
func full(in FlareInput) FlareInput {
	if in.RBC.IsZero() {
		in.BaselineRBC, in.RBC = rbc(2), rbc(3)
	}
	if in.Casts == nil {
		in.Casts = bp(false)
	}
	if in.Creatinine.IsZero() {
		in.BaselineCreatinine, in.Creatinine = q(1.0, units.MgPerDL), q(1.0, units.MgPerDL)
	}
	return in
}

func TestFlare(t *testing.T) {
	mgg, gg, mmol := units.MgPerG, units.GPerG, units.MgPerMmol
	mgdl, umol := units.MgPerDL, units.UmolPerL
	tests := []struct {
		name        string
		rule        FlareRule
		in          FlareInput
		flare       bool
		severity    string // "" = nil
		typ         string // "" = nil
		provisional bool
		warn        string
		source      string
	}{
		// KDIGO 2012 Table 29, UPCR rows.
		{"baseline <500 to exactly 1000", KDIGO2012Flare, full(FlareInput{BaselineUPCR: q(400, mgg), UPCR: q(1000, mgg)}), true, "moderate", "", false, "", srcT29},
		{"baseline <500 to 999", KDIGO2012Flare, full(FlareInput{BaselineUPCR: q(400, mgg), UPCR: q(999, mgg)}), false, "", "", false, "", srcT29},
		{"baseline exactly 500 needs 2000", KDIGO2012Flare, full(FlareInput{BaselineUPCR: q(500, mgg), UPCR: q(1999, mgg)}), false, "", "", false, "", srcT29},
		{"baseline exactly 500 to 2000", KDIGO2012Flare, full(FlareInput{BaselineUPCR: q(500, mgg), UPCR: q(2000, mgg)}), true, "moderate", "", false, "", srcT29},
		{"baseline exactly 1000 to 2000", KDIGO2012Flare, full(FlareInput{BaselineUPCR: q(1, gg), UPCR: q(2, gg)}), true, "moderate", "", false, "", srcT29},
		{"baseline >1000 doubling", KDIGO2012Flare, full(FlareInput{BaselineUPCR: q(1200, mgg), UPCR: q(2400, mgg)}), true, "moderate", "", false, "", srcT29},
		{"baseline >1000 short of doubling", KDIGO2012Flare, full(FlareInput{BaselineUPCR: q(1200, mgg), UPCR: q(2399, mgg)}), false, "", "", false, "", srcT29},
		{"4999 moderate", KDIGO2012Flare, full(FlareInput{BaselineUPCR: q(1000, mgg), UPCR: q(4999, mgg)}), true, "moderate", "", false, "", srcT29},
		// Severe: "an absolute increase of uPCR >5000 mg/g [>500 mg/mmol]" (issue 3, defect 1).
		{"exactly 5000 after a rise of 4000: in no band, at least moderate", KDIGO2012Flare, full(FlareInput{BaselineUPCR: q(1000, mgg), UPCR: q(5000, mgg)}), true, "moderate", "", true, "neither", srcT29},
		{"3000 to 5001: in no band, provisional no flare", KDIGO2012Flare, full(FlareInput{BaselineUPCR: q(3000, mgg), UPCR: q(5001, mgg)}), false, "", "", true, "neither", srcT29},
		{"increase exactly 5000 not severe", KDIGO2012Flare, full(FlareInput{BaselineUPCR: q(100, mgg), UPCR: q(5100, mgg)}), true, "moderate", "", true, "neither", srcT29},
		{"increase 5001 severe", KDIGO2012Flare, full(FlareInput{BaselineUPCR: q(100, mgg), UPCR: q(5101, mgg)}), true, "severe", "", false, "", srcT29},
		{"falling 6000 to 5500 is no flare", KDIGO2012Flare, full(FlareInput{BaselineUPCR: q(6000, mgg), UPCR: q(5500, mgg)}), false, "", "", false, "", srcT29 + " (issue 3 defect 1)"},
		{"unchanged 6000 is no flare", KDIGO2012Flare, full(FlareInput{BaselineUPCR: q(6000, mgg), UPCR: q(6000, mgg)}), false, "", "", false, "", srcT29},
		{"mg/mmol increase 501 severe", KDIGO2012Flare, full(FlareInput{BaselineUPCR: q(10, mmol), UPCR: q(511, mmol)}), true, "severe", "", false, "", srcT29 + " [>500 mg/mmol]"},
		{"mg/mmol falling 600 to 550 is no flare", KDIGO2012Flare, full(FlareInput{BaselineUPCR: q(600, mmol), UPCR: q(550, mmol)}), false, "", "", false, "", srcT29 + " [>500 mg/mmol]"},
		{"mg/mmol pairing 40 to exactly 100", KDIGO2012Flare, full(FlareInput{BaselineUPCR: q(40, mmol), UPCR: q(100, mmol)}), true, "moderate", "", false, "", srcT29 + " [50/100 mg/mmol]"},
		{"mg/mmol 40 to 99", KDIGO2012Flare, full(FlareInput{BaselineUPCR: q(40, mmol), UPCR: q(99, mmol)}), false, "", "", false, "", srcT29},
		{"mg/mmol 200 to exactly 500: in no band, at least moderate", KDIGO2012Flare, full(FlareInput{BaselineUPCR: q(200, mmol), UPCR: q(500, mmol)}), true, "moderate", "", true, "neither", srcT29},
		// Mixed units (issue 3, defect 3): the baseline is banded in its own unit.
		{"480 mg/g to 150 mg/mmol: baseline < 500 mg/g needs ≥ 100 mg/mmol", KDIGO2012Flare, full(FlareInput{BaselineUPCR: q(480, mgg), UPCR: q(150, mmol)}), true, "moderate", "", false, "different units", srcT29 + " [<500 mg/g; ⩾100 mg/mmol]"},
		{"480 mg/g to 99 mg/mmol", KDIGO2012Flare, full(FlareInput{BaselineUPCR: q(480, mgg), UPCR: q(99, mmol)}), false, "", "", false, "", srcT29 + " [⩾100 mg/mmol]"},
		{"52 mg/mmol baseline is 500–1000 band: 1999 mg/g not enough", KDIGO2012Flare, full(FlareInput{BaselineUPCR: q(52, mmol), UPCR: q(1999, mgg)}), false, "", "", false, "", srcT29 + " [50–100 mg/mmol; ⩾2000 mg/g]"},
		{"52 mg/mmol to 2000 mg/g", KDIGO2012Flare, full(FlareInput{BaselineUPCR: q(52, mmol), UPCR: q(2000, mgg)}), true, "moderate", "", false, "", srcT29 + " [50–100 mg/mmol; ⩾2000 mg/g]"},
		// Creatinine rows.
		{"creatinine +0.20 mg/dL exactly", KDIGO2012Flare, full(FlareInput{BaselineUPCR: q(300, mgg), UPCR: q(300, mgg), BaselineCreatinine: q(1.0, mgdl), Creatinine: q(1.2, mgdl)}), true, "moderate", "", false, "", srcT29},
		{"creatinine +0.19 mg/dL", KDIGO2012Flare, full(FlareInput{BaselineUPCR: q(300, mgg), UPCR: q(300, mgg), BaselineCreatinine: q(1.0, mgdl), Creatinine: q(1.19, mgdl)}), false, "", "", false, "", srcT29},
		{"creatinine +1.0 exactly moderate", KDIGO2012Flare, full(FlareInput{BaselineUPCR: q(300, mgg), UPCR: q(300, mgg), BaselineCreatinine: q(1.0, mgdl), Creatinine: q(2.0, mgdl)}), true, "moderate", "", false, "", srcT29},
		{"creatinine +1.01 severe", KDIGO2012Flare, full(FlareInput{BaselineUPCR: q(300, mgg), UPCR: q(300, mgg), BaselineCreatinine: q(1.0, mgdl), Creatinine: q(2.01, mgdl)}), true, "severe", "", false, "", srcT29},
		{"baseline exactly 2.0: +0.39 none", KDIGO2012Flare, full(FlareInput{BaselineUPCR: q(300, mgg), UPCR: q(300, mgg), BaselineCreatinine: q(2.0, mgdl), Creatinine: q(2.39, mgdl)}), false, "", "", false, "", srcT29},
		{"baseline exactly 2.0: +0.40 moderate", KDIGO2012Flare, full(FlareInput{BaselineUPCR: q(300, mgg), UPCR: q(300, mgg), BaselineCreatinine: q(2.0, mgdl), Creatinine: q(2.4, mgdl)}), true, "moderate", "", false, "", srcT29},
		{"baseline 2.0: +1.5 exactly moderate", KDIGO2012Flare, full(FlareInput{BaselineUPCR: q(300, mgg), UPCR: q(300, mgg), BaselineCreatinine: q(2.0, mgdl), Creatinine: q(3.5, mgdl)}), true, "moderate", "", false, "", srcT29},
		{"baseline 2.0: +1.51 severe", KDIGO2012Flare, full(FlareInput{BaselineUPCR: q(300, mgg), UPCR: q(300, mgg), BaselineCreatinine: q(2.0, mgdl), Creatinine: q(3.51, mgdl)}), true, "severe", "", false, "", srcT29},
		{"umol/L +17.7 exactly", KDIGO2012Flare, full(FlareInput{BaselineUPCR: q(300, mgg), UPCR: q(300, mgg), BaselineCreatinine: q(88, umol), Creatinine: q(105.7, umol)}), true, "moderate", "", false, "", srcT29 + " [17.7 µmol/L]"},
		{"umol/L baseline exactly 177 uses ≥2 band", KDIGO2012Flare, full(FlareInput{BaselineUPCR: q(300, mgg), UPCR: q(300, mgg), BaselineCreatinine: q(177, umol), Creatinine: q(200, umol)}), false, "", "", false, "", srcT29 + " [⩾177 µmol/L: 35.4]"},
		// Mild rows.
		{"haematuria 4 to 16 mild, acanthocytes to confirm", KDIGO2012Flare, full(FlareInput{BaselineUPCR: q(300, mgg), UPCR: q(300, mgg), BaselineRBC: rbc(4), RBC: rbc(16)}), true, "mild", "", true, "provisional", srcT29},
		{"haematuria 5 to 16 not from <5", KDIGO2012Flare, full(FlareInput{BaselineUPCR: q(300, mgg), UPCR: q(300, mgg), BaselineRBC: rbc(5), RBC: rbc(16)}), false, "", "", false, "", srcT29},
		{"haematuria 4 to 15 not >15", KDIGO2012Flare, full(FlareInput{BaselineUPCR: q(300, mgg), UPCR: q(300, mgg), BaselineRBC: rbc(4), RBC: rbc(15)}), false, "", "", false, "", srcT29},
		{"casts mild", KDIGO2012Flare, full(FlareInput{BaselineUPCR: q(300, mgg), UPCR: q(300, mgg), Casts: bp(true)}), true, "mild", "", false, "", srcT29},
		{"haematuria with moderate UPCR not provisional", KDIGO2012Flare, full(FlareInput{BaselineUPCR: q(300, mgg), UPCR: q(1200, mgg), BaselineRBC: rbc(2), RBC: rbc(30)}), true, "moderate", "", false, "", srcT29},
		// Moroni.
		{"nephritic: +30% exactly with active sediment", MoroniFlare, FlareInput{BaselineUPCR: q(0.5, gg), UPCR: q(0.6, gg), BaselineCreatinine: q(1.0, mgdl), Creatinine: q(1.3, mgdl), Sediment: "active"}, true, "", "nephritic", false, "", srcMoroni},
		{"+29% not nephritic", MoroniFlare, FlareInput{BaselineUPCR: q(0.5, gg), UPCR: q(0.6, gg), BaselineCreatinine: q(1.0, mgdl), Creatinine: q(1.29, mgdl), Sediment: "active"}, false, "", "", false, "", srcMoroni},
		{"+30% with inactive sediment", MoroniFlare, FlareInput{BaselineUPCR: q(0.5, gg), UPCR: q(0.6, gg), BaselineCreatinine: q(1.0, mgdl), Creatinine: q(1.4, mgdl), Sediment: "inactive"}, false, "", "", false, "", srcMoroni},
		{"proteinuric +2 g exactly, creatinine not given", MoroniFlare, FlareInput{BaselineUPCR: q(1, gg), UPCR: q(3, gg)}, true, "", "proteinuric", true, "stands in", srcMoroni},
		{"proteinuric +1.99 g", MoroniFlare, FlareInput{BaselineUPCR: q(1, gg), UPCR: q(2.99, gg), Sediment: "inactive"}, false, "", "", false, "", srcMoroni},
		{"proteinuric doubling from exactly 3.5", MoroniFlare, FlareInput{BaselineUPCR: q(3.5, gg), UPCR: q(7, gg), BaselineCreatinine: q(1.0, mgdl), Creatinine: q(1.0, mgdl)}, true, "", "proteinuric", false, "", srcMoroni},
		{"from 3.5 a +2 g rise is not enough", MoroniFlare, FlareInput{BaselineUPCR: q(3.5, gg), UPCR: q(6.9, gg), Sediment: "inactive"}, false, "", "", false, "", srcMoroni},
		{"proteinuria rise with creatinine +40% is not proteinuric", MoroniFlare, FlareInput{BaselineUPCR: q(1, gg), UPCR: q(4, gg), BaselineCreatinine: q(1.0, mgdl), Creatinine: q(1.4, mgdl), Sediment: "inactive"}, false, "", "", false, "", srcMoroni},
		// EULAR 2012.
		{"after CR doubling to 600 mg/g", EULAR2012Flare, FlareInput{BaselineUPCR: q(300, mgg), UPCR: q(600, mgg), After: "complete"}, true, "", "proteinuric", true, "inside EULAR 2012's range", srcEU12},
		{"after CR doubling to exactly 500 not >500", EULAR2012Flare, FlareInput{BaselineUPCR: q(250, mgg), UPCR: q(500, mgg), After: "complete", Sediment: "inactive"}, false, "", "", false, "", srcEU12},
		{"after PR doubling to 1100 mg/g", EULAR2012Flare, FlareInput{BaselineUPCR: q(550, mgg), UPCR: q(1100, mgg), After: "partial"}, true, "", "proteinuric", true, "", srcEU12},
		{"after PR 900 not >1000", EULAR2012Flare, FlareInput{BaselineUPCR: q(400, mgg), UPCR: q(900, mgg), After: "partial", Sediment: "inactive"}, false, "", "", false, "", srcEU12},
		{"eular nephritic", EULAR2012Flare, FlareInput{BaselineUPCR: q(300, mgg), UPCR: q(350, mgg), BaselineCreatinine: q(80, umol), Creatinine: q(104, umol), Sediment: "active", After: "complete"}, true, "", "nephritic", true, "", srcEU12},
		// AURORA 2.
		{"from 0.1 to 1.01", AURORA2Flare, FlareInput{BaselineUPCR: q(0.1, gg), UPCR: q(1.01, gg)}, true, "", "proteinuric", true, "", srcAU2},
		{"from 0.1 to exactly 1.0", AURORA2Flare, FlareInput{BaselineUPCR: q(0.1, gg), UPCR: q(1.0, gg)}, false, "", "", false, "", srcAU2},
		{"from exactly 0.2 needs >2", AURORA2Flare, FlareInput{BaselineUPCR: q(200, mgg), UPCR: q(1900, mgg)}, false, "", "", false, "", srcAU2},
		{"from 1.0 to 2.1", AURORA2Flare, FlareInput{BaselineUPCR: q(1, gg), UPCR: q(2.1, gg)}, true, "", "proteinuric", true, "", srcAU2},
		{"mg/mmol converted", AURORA2Flare, FlareInput{BaselineUPCR: q(10, mmol), UPCR: q(120, mmol)}, true, "", "proteinuric", true, "converted exactly", srcAU2},
	}
	for _, tt := range tests {
		r, err := Flare(tt.rule, tt.in)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		sev, typ := "", ""
		if r.Severity != nil {
			sev = *r.Severity
		}
		if r.Type != nil {
			typ = *r.Type
		}
		if r.Flare != tt.flare || sev != tt.severity || typ != tt.typ || r.Provisional != tt.provisional {
			t.Errorf("%s: flare %v severity %q type %q provisional %v; want %v %q %q %v (%s)\n%+v", tt.name, r.Flare, sev, typ, r.Provisional, tt.flare, tt.severity, tt.typ, tt.provisional, tt.source, r.Criteria)
		}
		if tt.warn != "" && !strings.Contains(strings.Join(r.Warnings, "\n"), tt.warn) {
			t.Errorf("%s: warnings %q lack %q", tt.name, r.Warnings, tt.warn)
		}
	}
}

func TestFlareRejects(t *testing.T) {
	mgg := units.MgPerG
	base := FlareInput{BaselineUPCR: q(300, mgg), UPCR: q(900, mgg)}
	tests := []struct {
		name  string
		rule  FlareRule
		in    func(FlareInput) FlareInput
		field string
		want  error
	}{
		{"kdigo given sediment", KDIGO2012Flare, func(in FlareInput) FlareInput { in.Sediment = "active"; return in }, "sediment", ErrNotUsed},
		{"kdigo given after", KDIGO2012Flare, func(in FlareInput) FlareInput { in.After = "complete"; return in }, "after", ErrNotUsed},
		{"moroni given rbc", MoroniFlare, func(in FlareInput) FlareInput { in.BaselineRBC, in.RBC = rbc(1), rbc(20); return in }, "rbc", ErrNotUsed},
		{"moroni given casts", MoroniFlare, func(in FlareInput) FlareInput { in.Casts = bp(true); return in }, "casts", ErrNotUsed},
		{"aurora-2 given creatinine", AURORA2Flare, func(in FlareInput) FlareInput {
			in.BaselineCreatinine, in.Creatinine = q(1, units.MgPerDL), q(2, units.MgPerDL)
			in.BaselineUPCR = q(100, mgg)
			return in
		}, "creatinine", ErrNotUsed},
		{"aurora-2 baseline above 1.0", AURORA2Flare, func(in FlareInput) FlareInput { in.BaselineUPCR = q(1.1, units.GPerG); return in }, "baseline-upcr", ErrOutOfRange},
		{"eular-2012 without after", EULAR2012Flare, func(in FlareInput) FlareInput { return in }, "after", ErrMissing},
		{"creatinine without baseline", KDIGO2012Flare, func(in FlareInput) FlareInput { in.Creatinine = q(2, units.MgPerDL); return in }, "baseline-creatinine", ErrMissing},
		{"no baseline UPCR", KDIGO2012Flare, func(in FlareInput) FlareInput { in.BaselineUPCR = units.Quantity{}; return in }, "baseline-upcr", ErrMissing},
		{"bad sediment", MoroniFlare, func(in FlareInput) FlareInput { in.Sediment = "busy"; return in }, "sediment", ErrUnknownItem},
		{"bad after", EULAR2012Flare, func(in FlareInput) FlareInput { in.After = "full"; return in }, "after", ErrUnknownItem},
		{"unknown rule", "kdigo", func(in FlareInput) FlareInput { return in }, "rule", ErrUnknownItem},
	}
	for _, tt := range tests {
		_, err := Flare(tt.rule, tt.in(base))
		var ie *InputError
		if !errors.Is(err, tt.want) || !errors.As(err, &ie) || ie.Field != tt.field {
			t.Errorf("%s: err = %v, want %v on %s", tt.name, err, tt.want, tt.field)
		}
	}
}

// TestFlareNotUsedNamesRulesThatUse (trial-cli #14): "--sediment active
// --rule aurora-2" listed every rule as one "that uses it", kdigo-2012 and
// aurora-2 included; the list names only the rules that use the input.
func TestFlareNotUsedNamesRulesThatUse(t *testing.T) {
	in := FlareInput{BaselineUPCR: q(400, units.MgPerG), UPCR: q(1300, units.MgPerG), Sediment: "active"}
	_, err := Flare(AURORA2Flare, in)
	if err == nil || !strings.HasSuffix(err.Error(), "choose a rule that uses it (moroni, eular-2012)") {
		t.Errorf("aurora-2 with sediment: %v; want the rules that use it: moroni, eular-2012", err)
	}
	in.Sediment, in.After = "", "complete"
	if _, err := Flare(MoroniFlare, in); err == nil || !strings.HasSuffix(err.Error(), "choose a rule that uses it (eular-2012)") {
		t.Errorf("moroni with after: %v; want eular-2012 alone", err)
	}
}

// TestFlareUndecided checks that a result is stated no more firmly than the
// inputs allow (issue 3, defect 2): when a criterion not assessed could
// change the flare, its type or its severity, the result is provisional and
// its verdict says so.
func TestFlareUndecided(t *testing.T) {
	mgg, gg, mmol, mgdl := units.MgPerG, units.GPerG, units.MgPerMmol, units.MgPerDL
	tests := []struct {
		name        string
		rule        FlareRule
		in          FlareInput
		flare       bool
		provisional bool
		atLeast     bool
		verdict     string
		change      string // substring of CouldChange; "" = CouldChange empty
		source      string
	}{
		{"moroni creatinine +50% without sediment", MoroniFlare, FlareInput{BaselineUPCR: q(0.5, gg), UPCR: q(0.6, gg), BaselineCreatinine: q(1.0, mgdl), Creatinine: q(1.5, mgdl)},
			false, true, false, "no flare on the criteria assessed (provisional)", "active (nephritic) urinary sediment", srcMoroni + " (issue 3 defect 2)"},
		{"moroni creatinine +50% with inactive sediment", MoroniFlare, FlareInput{BaselineUPCR: q(0.5, gg), UPCR: q(0.6, gg), BaselineCreatinine: q(1.0, mgdl), Creatinine: q(1.5, mgdl), Sediment: "inactive"},
			false, false, false, "no flare", "", srcMoroni},
		{"moroni creatinine +10% without sediment is settled", MoroniFlare, FlareInput{BaselineUPCR: q(0.5, gg), UPCR: q(0.6, gg), BaselineCreatinine: q(1.0, mgdl), Creatinine: q(1.1, mgdl)},
			false, false, false, "no flare", "", srcMoroni},
		{"moroni active sediment without creatinine", MoroniFlare, FlareInput{BaselineUPCR: q(0.5, gg), UPCR: q(0.6, gg), Sediment: "active"},
			false, true, false, "no flare on the criteria assessed (provisional)", "creatinine ≥ 30%", srcMoroni},
		{"kdigo UPCR 400 to 1200 without creatinine: at least moderate", KDIGO2012Flare, FlareInput{BaselineUPCR: q(400, mgg), UPCR: q(1200, mgg)},
			true, true, true, "at least moderate flare (provisional)", "creatinine rise (not assessed) could make it severe", srcT29 + " (issue 3 defect 2)"},
		{"kdigo UPCR 400 to 1200 with creatinine: moderate", KDIGO2012Flare, FlareInput{BaselineUPCR: q(400, mgg), UPCR: q(1200, mgg), BaselineCreatinine: q(1.0, mgdl), Creatinine: q(1.1, mgdl)},
			true, false, false, "moderate flare", "", srcT29},
		{"kdigo UPCR 400 to 300, nothing else", KDIGO2012Flare, FlareInput{BaselineUPCR: q(400, mgg), UPCR: q(300, mgg)},
			false, true, false, "no flare on the criteria assessed (provisional)", "could make it a mild flare", srcT29 + " (issue 3 defect 2)"},
		{"kdigo casts only: mild, creatinine could raise it", KDIGO2012Flare, FlareInput{BaselineUPCR: q(300, mgg), UPCR: q(300, mgg), Casts: bp(true)},
			true, true, true, "at least mild flare (provisional)", "moderate or severe", srcT29},
		{"kdigo creatinine severe needs nothing else", KDIGO2012Flare, FlareInput{BaselineUPCR: q(300, mgg), UPCR: q(300, mgg), BaselineCreatinine: q(1.0, mgdl), Creatinine: q(2.5, mgdl)},
			true, false, false, "severe flare", "", srcT29},
		{"kdigo no flare with everything assessed", KDIGO2012Flare, full(FlareInput{BaselineUPCR: q(400, mgg), UPCR: q(300, mgg)}),
			false, false, false, "no flare", "", srcT29},
		{"kdigo gap 1000 to 5000: at least moderate", KDIGO2012Flare, full(FlareInput{BaselineUPCR: q(1000, mgg), UPCR: q(5000, mgg)}),
			true, true, true, "at least moderate flare (provisional)", "Table 29 wording", srcT29},
		{"eular-2012 proteinuric, sediment not given: could be nephritic", EULAR2012Flare, FlareInput{BaselineUPCR: q(300, mgg), UPCR: q(600, mgg), After: "complete"},
			true, true, false, "proteinuric flare (provisional)", "rather than a proteinuric flare", srcEU12},
		{"eular-2012 no flare, active sediment: GFR fall not assessed", EULAR2012Flare, FlareInput{BaselineUPCR: q(300, mgg), UPCR: q(350, mgg), BaselineCreatinine: q(1.0, mgdl), Creatinine: q(1.1, mgdl), Sediment: "active", After: "complete"},
			false, true, false, "no flare on the criteria assessed (provisional)", "GFR fall", srcEU12},
		{"eular-2012 20 to 52 mg/mmol: converted exactly, no flare", EULAR2012Flare, FlareInput{BaselineUPCR: q(20, mmol), UPCR: q(52, mmol), After: "complete", Sediment: "inactive"},
			false, false, false, "no flare", "", srcEU12 + " (issue 3 defect 3: no mg/mmol numbers in the source)"},
		{"eular-2012 177 to 460 mg/g: no flare", EULAR2012Flare, FlareInput{BaselineUPCR: q(177, mgg), UPCR: q(460, mgg), After: "complete", Sediment: "inactive"},
			false, false, false, "no flare", "", srcEU12},
		{"eular-2012 20 to 57 mg/mmol (503.9 mg/g): flare", EULAR2012Flare, FlareInput{BaselineUPCR: q(20, mmol), UPCR: q(57, mmol), After: "complete", Sediment: "inactive"},
			true, true, false, "proteinuric flare (provisional)", "", srcEU12},
	}
	for _, tt := range tests {
		r, err := Flare(tt.rule, tt.in)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if r.Flare != tt.flare || r.Provisional != tt.provisional || r.SeverityAtLeast != tt.atLeast || r.Verdict != tt.verdict {
			t.Errorf("%s: flare %v provisional %v at least %v verdict %q; want %v %v %v %q (%s)\ncould change: %q", tt.name,
				r.Flare, r.Provisional, r.SeverityAtLeast, r.Verdict, tt.flare, tt.provisional, tt.atLeast, tt.verdict, tt.source, r.CouldChange)
		}
		cc := strings.Join(r.CouldChange, "\n")
		if (tt.change == "") != (cc == "") || !strings.Contains(cc, tt.change) {
			t.Errorf("%s: could change %q, want it to contain %q", tt.name, r.CouldChange, tt.change)
		}
		if tt.provisional && !strings.Contains(strings.Join(r.Warnings, "\n"), "provisional") {
			t.Errorf("%s: provisional without a warning: %q", tt.name, r.Warnings)
		}
	}
	// A mg/mmol UPCR under eular-2012 is converted, and the warning says so.
	r, _ := Flare(EULAR2012Flare, FlareInput{BaselineUPCR: q(20, mmol), UPCR: q(52, mmol), After: "complete", Sediment: "inactive"})
	if !strings.Contains(strings.Join(r.Warnings, "\n"), "converted exactly") {
		t.Errorf("eular-2012 mg/mmol: warnings %q lack the exact-conversion note", r.Warnings)
	}
}

// TestFlareFallingUPCRNeverFlares: Table 29 speaks of increases only, so a
// falling or unchanged UPCR gives no UPCR criterion in any unit (issue 3,
// defect 1: 6000 → 5500 mg/g was called severe).
func TestFlareFallingUPCRNeverFlares(t *testing.T) {
	for _, u := range []units.Unit{units.MgPerG, units.GPerG, units.MgPerMmol} {
		k := upcrScale(u)
		for _, base := range []float64{100, 499, 500, 1000, 1001, 4999, 5000, 5001, 6000, 9000, 20000} {
			for _, frac := range []float64{1, 0.99, 0.9, 0.5, 0.1} {
				in := full(FlareInput{BaselineUPCR: q(base*k, u), UPCR: q(base*frac*k, u)})
				r, err := Flare(KDIGO2012Flare, in)
				if err != nil {
					t.Fatal(err)
				}
				if r.Flare || r.Provisional {
					t.Errorf("%v %s → %v: flare %v provisional %v, want a settled no flare (%s)", base*k, u, base*frac*k, r.Flare, r.Provisional, srcT29)
				}
			}
		}
	}
}

// TestFlareSettledMeansSettled is a metamorphic check of issue 3, defect 2:
// when a kdigo-2012 result is not provisional, supplying any value for a
// criterion that was not assessed leaves flare and severity unchanged; when
// it says "at least X", no supplied value gives less than X.
func TestFlareSettledMeansSettled(t *testing.T) {
	mgg, mgdl := units.MgPerG, units.MgPerDL
	rank := map[string]int{"": 0, "mild": 1, "moderate": 2, "severe": 3}
	sev := func(r FlareResult) string {
		if r.Severity == nil {
			return ""
		}
		return *r.Severity
	}
	type fill func(FlareInput) FlareInput
	var fills []fill
	for _, c := range []float64{1.0, 1.3, 2.5} {
		fills = append(fills, func(in FlareInput) FlareInput {
			if in.Creatinine.IsZero() {
				in.BaselineCreatinine, in.Creatinine = q(1.0, mgdl), q(c, mgdl)
			}
			return in
		})
	}
	for _, v := range []float64{3, 30} {
		fills = append(fills, func(in FlareInput) FlareInput {
			if in.RBC.IsZero() {
				in.BaselineRBC, in.RBC = rbc(2), rbc(v)
			}
			return in
		})
	}
	for _, c := range []bool{false, true} {
		fills = append(fills, func(in FlareInput) FlareInput {
			if in.Casts == nil {
				in.Casts = bp(c)
			}
			return in
		})
	}
	upcrs := [][2]float64{{400, 300}, {400, 1200}, {1200, 2000}, {1000, 5000}, {100, 5200}, {6000, 5500}}
	partials := []FlareInput{
		{},
		{Casts: bp(true)},
		{Casts: bp(false), BaselineRBC: rbc(2), RBC: rbc(3)},
		{BaselineCreatinine: q(1.0, mgdl), Creatinine: q(1.1, mgdl)},
		{BaselineCreatinine: q(1.0, mgdl), Creatinine: q(1.5, mgdl)},
		{BaselineCreatinine: q(1.0, mgdl), Creatinine: q(2.5, mgdl)},
	}
	for _, up := range upcrs {
		for _, p := range partials {
			in := p
			in.BaselineUPCR, in.UPCR = q(up[0], mgg), q(up[1], mgg)
			r, err := Flare(KDIGO2012Flare, in)
			if err != nil {
				t.Fatal(err)
			}
			for i, fl := range fills {
				r2, err := Flare(KDIGO2012Flare, fl(in))
				if err != nil {
					t.Fatal(err)
				}
				switch {
				case !r.Provisional && (r2.Flare != r.Flare || sev(r2) != sev(r)):
					t.Errorf("%v with fill %d: settled %q became %q (%s)", up, i, r.Verdict, r2.Verdict, srcT29)
				case rank[sev(r2)] < rank[sev(r)]:
					t.Errorf("%v with fill %d: %q fell to %q", up, i, r.Verdict, r2.Verdict)
				}
			}
		}
	}
}

// TestTypedFlareSettledMeansSettled: the same metamorphic check for moroni
// and eular-2012 over creatinine and sediment (issue 3, defect 2: moroni with
// creatinine +50% and no sediment was a settled "no flare").
func TestTypedFlareSettledMeansSettled(t *testing.T) {
	gg, mgdl := units.GPerG, units.MgPerDL
	typ := func(r FlareResult) string {
		if r.Type == nil {
			return ""
		}
		return *r.Type
	}
	creats := []float64{0, 1.1, 1.5} // 0 = not given
	seds := []string{"", "active", "inactive"}
	src := map[FlareRule]string{MoroniFlare: srcMoroni, EULAR2012Flare: srcEU12}
	for _, rule := range []FlareRule{MoroniFlare, EULAR2012Flare} {
		for _, up := range [][2]float64{{0.5, 0.6}, {1, 3}, {0.3, 0.7}, {4, 9}} {
			for _, c := range creats {
				for _, sd := range seds {
					in := FlareInput{BaselineUPCR: q(up[0], gg), UPCR: q(up[1], gg), Sediment: sd}
					if rule == EULAR2012Flare {
						in.After = "complete"
					}
					if c > 0 {
						in.BaselineCreatinine, in.Creatinine = q(1.0, mgdl), q(c, mgdl)
					}
					r, err := Flare(rule, in)
					if err != nil {
						t.Fatal(err)
					}
					if r.Provisional {
						continue
					}
					for _, c2 := range creats[1:] {
						for _, sd2 := range seds[1:] {
							in2 := in
							if in2.Creatinine.IsZero() {
								in2.BaselineCreatinine, in2.Creatinine = q(1.0, mgdl), q(c2, mgdl)
							}
							if in2.Sediment == "" {
								in2.Sediment = sd2
							}
							r2, err := Flare(rule, in2)
							if err != nil {
								t.Fatal(err)
							}
							if r2.Flare != r.Flare || typ(r2) != typ(r) {
								t.Errorf("%s %v creatinine %v sediment %q: settled %q became %q with creatinine %v sediment %q (%s)",
									rule, up, c, sd, r.Verdict, r2.Verdict, c2, sd2, src[rule])
							}
						}
					}
				}
			}
		}
	}
}
