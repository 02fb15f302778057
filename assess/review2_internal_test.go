package assess

import (
	"strings"
	"testing"

	"renalwatch/ckd"
	"renalwatch/record"
	"renalwatch/units"
)

// at sets creatinine-only eGFR points at the given days before t0.
func at(a *assessor, days []int, vals []float64) {
	for i, d := range days {
		a.points = append(a.points, point{ok: true, shown: true, value: vals[i], cr: vals[i], crEq: equationOf("ckd-epi-2021"), eq: equationOf("ckd-epi-2021"),
			obs: &record.Observation{Time: t0.AddDate(0, 0, -d), Analyte: units.Creatinine}})
	}
}

// Review item 8: KDIGO 2012 rec 2.1.3 calls rapid progression a
// *sustained* decline faster than 5 mL/min/1.73m2/year; the rule is met
// only when the whole 95% CI lies below -5.
func TestRapidNeedsCIBelowMinus5(t *testing.T) {
	src := "KDIGO 2012 CKD rec 2.1.3 (lupus.md §7.4): sustained decline > 5/year, read as 95% CI upper bound < -5"
	for _, r := range []struct {
		name          string
		s             ckd.Slope
		met, possible bool
	}{
		{"upper bound -5.001", ckd.Slope{PerYear: -8, CI95: [2]float64{-11, -5.001}}, true, false},
		{"upper bound exactly -5", ckd.Slope{PerYear: -8, CI95: [2]float64{-11, -5}}, false, true},
		{"review: -7.1 [-170, +155] from 3 points", ckd.Slope{PerYear: -7.1, CI95: [2]float64{-170, 155}}, false, true},
		{"point estimate -5 (not faster than 5)", ckd.Slope{PerYear: -5, CI95: [2]float64{-9, -1}}, false, false},
		{"point estimate -4.9", ckd.Slope{PerYear: -4.9, CI95: [2]float64{-6, -3.8}}, false, false},
		// Values on a straight line: no interval, so a decline faster than
		// 5 a year is possible but not shown to be sustained.
		{"no CI (values on a line)", ckd.Slope{PerYear: -9, NoCI: ckd.NoCIFlat}, false, true},
	} {
		p := rapid(r.s)
		if p.Met != r.met || p.Possible != r.possible || !strings.Contains(p.Detail, "95% CI") {
			t.Errorf("%s: met %v possible %v (%s), want met %v possible %v (%s)", r.name, p.Met, p.Possible, p.Detail, r.met, r.possible, src)
		}
	}
	// Three noisy values: point estimate below -5, wide CI: no alert.
	a := bare()
	at(a, []int{200, 100, 0}, []float64{50, 40, 47})
	a.slope()
	a.alerts()
	if a.out.Kidney.Slope == nil || a.out.Kidney.Slope.PerYear >= -5 || raised(a, AlertRapidProgression) != "" {
		t.Errorf("slope %+v: rapid-progression %q, want no alert (%s)", a.out.Kidney.Slope, raised(a, AlertRapidProgression), src)
	}
}

// Review item 6: rapid-progression and egfr-drop obey the current-data
// window and carry the date of the last eGFR.
func TestProgressionAlertsCurrentAndDated(t *testing.T) {
	src := "KDIGO 2012 rec 2.1.3, KDIGO 2024 PP 2.1.3; current_window_days 365 (review 2 item 6)"
	// A steady decline of 10/year, ending at `end` days before as_of, with
	// a last fall of more than 20%.
	for _, r := range []struct {
		end  int
		want bool
	}{{365, true}, {366, false}} {
		a := bare()
		e := r.end
		at(a, []int{e + 600, e + 365, e + 180, e}, []float64{60, 52, 46, 35})
		a.slope()
		a.alerts()
		for _, code := range []string{AlertRapidProgression, AlertEGFRDrop} {
			var got *Alert
			for i := range a.out.Alerts {
				if a.out.Alerts[i].Code == code {
					got = &a.out.Alerts[i]
				}
			}
			last := t0.AddDate(0, 0, -e)
			switch {
			case r.want && (got == nil || got.Date == nil || !got.Date.Equal(last)):
				t.Errorf("last eGFR %d days old: %s %+v, want raised, dated %s (%s); progression %+v", e, code, got, date(last), src, a.out.Kidney.Progression)
			case !r.want && (got != nil || !hasPath(a, "alerts."+code)):
				t.Errorf("last eGFR %d days old: %s %+v, want none and a missing entry (%s)", e, code, got, src)
			}
		}
	}
}

func hasPath(a *assessor, path string) bool {
	for _, m := range a.out.Missing {
		if m.Path == path {
			return true
		}
	}
	return false
}
