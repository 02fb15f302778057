package assess

import "renalwatch/ckd"

// Steady state (trial-cli #4). A creatinine-based eGFR estimates GFR only
// when creatinine is in steady state: while it is rising or falling fast the
// same creatinine corresponds to another GFR (Chen S. Retooling the
// creatinine clearance equation to estimate kinetic GFR when the plasma
// creatinine is changing acutely. J Am Soc Nephrol 2013;24:877-888), so the
// G category read from it may describe no lasting state, and KDIGO defines
// CKD by an abnormality present for more than 3 months (KDIGO 2012 CKD
// guideline 1.1.1, kept in KDIGO 2024). The KFRE was developed and validated
// in people with established CKD G3-G5 (eGFR 10-59) under nephrology care
// (Tangri N et al. JAMA 2011;305:1553-1559; Tangri 2016), not during an
// acute fall, where a high 2-year risk may reflect acute kidney injury or a
// rapidly progressive glomerulonephritis that can recover with treatment.
//
// "Changing fast" is the condition of the egfr-drop alert: the latest eGFR
// fell from the one before by more than expected variability (KDIGO 2024
// CKD practice point 2.1.3, > 20%; 2.1.4, > 30% after a RAAS blocker or
// SGLT2 inhibitor is started). A fast rise is not flagged: it is recovery or
// response (or a child's growth under CKiD U25), and the warning's advice,
// to look for acute kidney injury, would mislead.

const (
	// unsteadyStage is the stage's warning.
	unsteadyStage = "creatinine not in steady state: the eGFR and its G category assume a stable creatinine, and CKD needs the abnormality for more than 3 months (KDIGO 2012/2024): evaluate for acute kidney injury or rapidly progressive disease before reading the category as established"
	// unsteadyKFRE is the KFRE's warning.
	unsteadyKFRE = "creatinine not in steady state: the KFRE was validated in stable CKD G3-G5 (Tangri 2011, 2016), not during an acute change; the risk assumes the eGFR is stable"
	// unsteadyAlert ends the KFRE alerts' messages.
	unsteadyAlert = " (creatinine not in steady state: the KFRE was validated in stable CKD; evaluate the acute change first)"
)

// steadyState adds the steady-state warning to the stage when the latest
// eGFR changed beyond expected variability (a.unsteady, set by slope).
func (a *assessor) steadyState() {
	if a.unsteady == "" || a.out.Kidney.Stage.G == nil {
		return
	}
	st := &a.out.Kidney.Stage
	st.Warnings = append(st.Warnings, unsteadyStage+"; "+a.unsteady)
}

// gSince sets Stage.GSince: the first eGFR of the trailing run, over the
// present kidney, whose G category is that of the stage.
func (a *assessor) gSince() {
	st := &a.out.Kidney.Stage
	if st.G == nil || a.onDialysis != nil || a.latest == nil {
		return
	}
	for i := len(a.points) - 1; i >= 0; i-- {
		p := &a.points[i]
		if !p.shown || !a.currentState(p.obs.Time) || p.obs.Time.After(a.latest.obs.Time) {
			continue
		}
		if g, err := ckd.GCategory(p.value); err != nil || g != *st.G {
			break
		}
		st.GSince = ptr(p.obs.Time)
	}
}
