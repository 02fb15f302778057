package assess

import (
	"renalwatch/record"
)

// comorbidities lists the established diagnoses that are inputs to an
// equation (diabetes, hypertension, and diabetic kidney disease, which
// implies diabetes), with onset at or before asOf, in onset order.
func (a *assessor) comorbidities() []Comorbidity {
	out := []Comorbidity{}
	for _, c := range a.tl.Conditions {
		switch c.Kind {
		case record.Diabetes, record.Hypertension, record.DiabeticKidneyDisease:
		default:
			continue
		}
		if c.Onset.After(a.asOf) || !c.Established() {
			continue
		}
		code := c.Provenance.Code.Code
		if c.Provenance.Code.System != "" {
			code = c.Provenance.Code.System + "|" + code
		}
		cm := Comorbidity{Kind: c.Kind.String(), Code: code, Display: c.Provenance.Code.Display}
		if !c.Onset.IsZero() {
			cm.Onset = ptr(c.Onset)
		}
		out = append(out, cm)
	}
	return out
}

// hasDiabetes reports whether diabetes is recorded: a diabetes diagnosis,
// or diabetic kidney disease (kidney disease due to diabetes mellitus).
// It returns the first such condition's description for the report.
func (a *assessor) hasDiabetes() (bool, string) {
	return a.firstOf(record.Diabetes, record.DiabeticKidneyDisease)
}

// hasHypertension reports whether a hypertension diagnosis is recorded.
func (a *assessor) hasHypertension() (bool, string) {
	return a.firstOf(record.Hypertension)
}

// firstOf returns the first comorbidity of one of kinds, described as
// "display (code, from date)".
func (a *assessor) firstOf(kinds ...record.ConditionKind) (bool, string) {
	for _, c := range a.out.Patient.Comorbidities {
		for _, k := range kinds {
			if c.Kind == k.String() {
				what := c.Display
				if what == "" {
					what = c.Kind
				}
				when := "onset not recorded"
				if c.Onset != nil {
					when = "from " + date(*c.Onset)
				}
				if c.Code != "" {
					when = c.Code + ", " + when
				}
				what += " (" + when + ")"
				return true, what
			}
		}
	}
	return false, ""
}
