package assess_test

import (
	"strings"
	"testing"

	"renalwatch/assess"
	"renalwatch/record"
	"renalwatch/units"
)

// The caveat quoting lupus nephritis trials (standard therapy alone gives
// complete renal response in about 20-45%: BLISS-LN, AURORA 1 placebo arms)
// and renal flares belong to lupus nephritis only: plain CKD and SLE
// without known nephritis get the general before/after caveat and no flare
// judgement (KDIGO 2012 GN Table 29: a flare is a relapse of lupus
// nephritis).
func TestLNCaveatOnlyWithLupusNephritis(t *testing.T) {
	build := func(cond record.ConditionKind) *builder {
		return newPatient(t, "p", "1990-01-01", record.Female).
			cond(cond, "2024-05-01", "").
			therapy(record.Mycophenolate, "mycophenolate", "2025-01-15", "").
			obs(units.Creatinine, "2025-01-10", 0.8, units.MgPerDL).
			obs(units.PCR, "2025-01-10", 0.6, units.GPerG).
			obs(units.Creatinine, "2025-07-10", 0.8, units.MgPerDL).
			obs(units.PCR, "2025-07-10", 0.2, units.GPerG).
			obs(units.Creatinine, "2026-01-10", 0.9, units.MgPerDL).
			obs(units.PCR, "2026-01-10", 1.6, units.GPerG)
	}
	for _, tc := range []struct {
		name   string
		cond   record.ConditionKind
		wantLN bool
	}{{"plain CKD", record.CKD, false}, {"SLE without nephritis", record.SLE, false}, {"lupus nephritis", record.LupusNephritis, true}} {
		t.Run(tc.name, func(t *testing.T) {
			a := assess.Assess(build(tc.cond).timeline(), day("2026-02-01"), assess.DefaultConfig())
			if len(a.Therapies) == 0 {
				t.Fatal("no therapy in the assessment")
			}
			want := assess.UncontrolledCaveat
			if tc.wantLN {
				want = assess.LNUncontrolledCaveat
			}
			for _, th := range a.Therapies {
				if th.Effect.Caveat != want {
					t.Errorf("%s: caveat %q, want %q", th.Name, th.Effect.Caveat, want)
				}
			}
			if got := assess.TherapyCaveat(a.Therapies); strings.Contains(got, "BLISS-LN") != tc.wantLN {
				t.Errorf("TherapyCaveat = %q; LN trial figures wanted: %v", got, tc.wantLN)
			}
			flareText := false
			for _, m := range a.Missing {
				if m.Path == "lupus.flares" && !strings.HasPrefix(m.Reason, "not applicable: no lupus nephritis") {
					flareText = true
				}
			}
			if !tc.wantLN && (len(a.Lupus.Flares) > 0 || flareText) {
				t.Errorf("flare judged without lupus nephritis: %+v %+v", a.Lupus.Flares, a.Missing)
			}
		})
	}
}
