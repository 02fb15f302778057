package lupus

import (
	"testing"

	"renalwatch/units"
)

// TestFlareCastsRecurrence: KDIGO 2012 GN guideline Table 29 counts the
// *recurrence* of ≥ 1 RBC or WBC cast as a mild relapse. Casts at the
// visit with no cast-free result since the prior response (CastsCleared
// false) are persisting activity: not met, no flare. With a cast-free
// result in between (true) they recur: a mild flare.
func TestFlareCastsRecurrence(t *testing.T) {
	const name = "mild: recurrence of ≥ 1 RBC or WBC cast (no infection)"
	for _, tc := range []struct {
		cleared bool
		flare   bool
		detail  string
	}{
		{false, false, "casts at the flare visit, but none recorded absent since the prior response: persisting activity, not a recurrence"},
		{true, true, "casts at the flare visit after a cast-free result since the prior response"},
	} {
		in := full(FlareInput{BaselineUPCR: q(300, units.MgPerG), UPCR: q(300, units.MgPerG), Casts: bp(true), CastsCleared: bp(tc.cleared)})
		r, err := Flare(KDIGO2012Flare, in)
		if err != nil {
			t.Fatal(err)
		}
		if r.Flare != tc.flare {
			t.Errorf("cleared %v: flare %v, want %v", tc.cleared, r.Flare, tc.flare)
		}
		if tc.flare && (r.Severity == nil || *r.Severity != "mild") {
			t.Errorf("cleared %v: severity %v, want mild", tc.cleared, r.Severity)
		}
		got := ""
		for _, c := range r.Criteria {
			if c.Name == name {
				got = c.Detail
				if c.Met == nil || *c.Met != tc.flare {
					t.Errorf("cleared %v: criterion met %v, want %v", tc.cleared, c.Met, tc.flare)
				}
			}
		}
		if got != tc.detail {
			t.Errorf("cleared %v: detail %q, want %q", tc.cleared, got, tc.detail)
		}
	}
	if _, err := Flare(MoroniFlare, FlareInput{BaselineUPCR: q(300, units.MgPerG), UPCR: q(300, units.MgPerG), CastsCleared: bp(true)}); err == nil {
		t.Error("moroni accepted CastsCleared")
	}
}
