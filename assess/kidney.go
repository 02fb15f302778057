package assess

import (
	"errors"
	"fmt"
	"time"

	"renalwatch/ckd"
	"renalwatch/egfr"
	"renalwatch/kfre"
	"renalwatch/record"
	"renalwatch/units"
)

const year = 365 * ckd.Day

type kidney struct {
	a    *Assessment
	tl   *record.Timeline
	asOf time.Time
	opt  Options
}

// egfrSeries computes an eGFR for every measured creatinine: the adult
// equation from 18 years (at the sample's time), the child equation below;
// with a cystatin C the same day, the combined form.
func (k *kidney) egfrSeries() {
	p := k.tl.Patient
	creat := k.tl.Values(units.Creatinine)
	if len(creat) == 0 {
		k.a.miss("creatinine (no eGFR can be computed)")
		return
	}
	if p.BirthDate.IsZero() {
		return // already listed as missing
	}
	sex := egfrSex(p.Sex)
	if sex == egfr.SexNotGiven {
		k.a.miss("administrative sex female or male (the eGFR equations have sex-specific coefficients)")
		return
	}
	for _, cr := range creat {
		if cr.Comparator != record.Exact {
			k.a.miss(fmt.Sprintf("creatinine on %s is a bound (%s), not a measurement: no eGFR", cr.Time.Format(time.DateOnly), cr.Comparator))
			continue
		}
		age := yearsBetween(p.BirthDate, cr.Time)
		in := egfr.Input{Creatinine: cr.Value, Age: age, Sex: sex}
		e := EGFR{Date: cr.Time, CreatinineID: cr.ID}
		cys, hasCys := k.sameDayCystatin(cr.Time)
		name := k.opt.AdultEquation
		if age < 18 {
			name = k.opt.ChildEquation
			h, ok := within(k.tl, units.Height, cr.Time, year)
			if !ok && hasCys && name == "ckid-u25" {
				// Without a height, the cystatin form needs none.
				name = "ckid-u25-cys"
				in.Creatinine = units.Quantity{}
				e.CreatinineID = ""
			} else if !ok && name != "ckid-u25-cys" && name != "ekfc" {
				k.a.miss(fmt.Sprintf("height in the year before a creatinine under 18 years (%s needs it)", name))
				continue
			}
			if name == "ckid-u25" || name == "ckid-u25-avg" || name == "schwartz" {
				in.Height = h.Value
			}
			if hasCys && name == "ckid-u25" {
				name = "ckid-u25-avg"
			}
		} else if hasCys && name == "ckd-epi-2021" {
			name = "ckd-epi-2021-cys"
		}
		if name == "ckd-epi-2021-cys" || name == "ckid-u25-avg" || name == "ckid-u25-cys" {
			in.CystatinC, e.CystatinID = cys.Value, cys.ID
		}
		r, err := egfr.Compute(name, in)
		if err != nil {
			k.a.miss(fmt.Sprintf("eGFR for creatinine %s: %v", cr.ID, err))
			continue
		}
		e.Value, e.Equation, e.Warnings = r.Value, r.Equation.Name, r.Warnings
		k.a.Kidney.Series = append(k.a.Kidney.Series, e)
	}
	if n := len(k.a.Kidney.Series); n > 0 {
		last := k.a.Kidney.Series[n-1]
		k.a.Kidney.EGFR = &last
		if k.asOf.Sub(last.Date) > year {
			k.a.miss(fmt.Sprintf("creatinine in the 12 months before the as-of date (the latest eGFR is from %s)", last.Date.Format(time.DateOnly)))
		}
	}
}

func (k *kidney) sameDayCystatin(t time.Time) (record.Observation, bool) {
	for _, c := range k.tl.Values(units.CystatinC) {
		if c.Comparator == record.Exact && sameDay(c.Time, t) {
			return c, true
		}
	}
	return record.Observation{}, false
}

// stage: G from the latest eGFR; A from the latest ACR in the 12 months
// before asOf, else from the latest UPCR by KDIGO's PCR equivalents;
// persistence by ckd.Persists over eGFR < 60 and ACR >= 30 mg/g findings.
func (k *kidney) stage() {
	e := k.a.Kidney.EGFR
	if e == nil {
		return
	}
	g, err := ckd.GCategory(e.Value)
	if err != nil {
		k.a.miss(fmt.Sprintf("G category: %v", err))
		return
	}
	st := &Stage{G: g.String()}
	var (
		acat     ckd.A
		findings []ckd.Finding
	)
	if acr, ok := within(k.tl, units.ACR, k.asOf, year); ok {
		if acat, err = ckd.ACategory(acr.Value); err == nil {
			st.ASource = "acr"
		}
	} else if pcr, ok := within(k.tl, units.PCR, k.asOf, year); ok {
		if acat, err = ckd.ACategoryFromPCR(pcr.Value); err == nil {
			st.ASource = "pcr"
		}
	}
	if st.ASource != "" {
		as := acat.String()
		st.A = &as
		if risk, err := ckd.HeatMapRisk(g, acat); err == nil {
			rs := risk.String()
			st.Risk = &rs
		}
	} else {
		k.a.miss("ACR or UPCR in the 12 months before the as-of date (albuminuria category and KFRE)")
	}
	for _, x := range k.a.Kidney.Series {
		findings = append(findings, ckd.Finding{At: x.Date, Abnormal: x.Value < 60})
	}
	for _, o := range k.tl.Values(units.ACR) {
		if o.Comparator == record.Exact {
			ac, err := ckd.ACategory(o.Value)
			if err == nil {
				findings = append(findings, ckd.Finding{At: o.Time, Abnormal: ac >= ckd.A2})
			}
		}
	}
	if p, err := ckd.Persists(findings, k.asOf); err == nil {
		st.Persistent, st.Rule = p.Persistent, p.Rule
	}
	k.a.Kidney.Stage = st
}

func (k *kidney) slope() {
	var pts []ckd.Point
	from := k.asOf.Add(-k.opt.SlopeWindow)
	for _, x := range k.a.Kidney.Series {
		if !x.Date.Before(from) {
			pts = append(pts, ckd.Point{Time: x.Date, EGFR: x.Value})
		}
	}
	s, err := ckd.EGFRSlope(pts)
	if err != nil {
		if errors.Is(err, ckd.ErrTooFewPoints) || len(pts) < ckd.MinSlopePoints {
			k.a.miss(fmt.Sprintf("eGFR slope: %d eGFR values in the %d days before the as-of date; it needs at least %d spanning at least 90 days",
				len(pts), int(k.opt.SlopeWindow/ckd.Day), ckd.MinSlopePoints))
		} else {
			k.a.miss(fmt.Sprintf("eGFR slope: %v", err))
		}
		return
	}
	k.a.Kidney.Slope = &Slope{PerYear: s.PerYear, CI95: s.CI95, Points: s.Points, Method: s.Method}
}

// kfre: adults (18 years or more) with eGFR < 60 and a measured ACR in the
// 12 months before asOf (KDIGO 2024 rec 2.2.1: CKD G3-G5).
func (k *kidney) kfre() {
	e, age := k.a.Kidney.EGFR, k.a.Patient.Age
	if e == nil || age == nil || *age < 18 || e.Value >= 60 {
		return
	}
	acr, ok := within(k.tl, units.ACR, k.asOf, year)
	if !ok {
		k.a.miss("measured ACR in the 12 months before the as-of date for the KFRE (estimating it from UPCR needs diabetes and hypertension status)")
		return
	}
	ageAt := yearsBetween(k.tl.Patient.BirthDate, k.asOf)
	r, err := kfre.Predict(kfre.Input{Age: ageAt, Sex: egfrSex(k.tl.Patient.Sex), EGFR: e.Value, ACR: acr.Value, Region: k.opt.Region})
	if err != nil {
		k.a.miss(fmt.Sprintf("KFRE: %v", err))
		return
	}
	k.a.Kidney.KFRE = &KFRE{Variables: r.Variables, Risk2y: r.Risk2y, Risk5y: r.Risk5y, ACRSource: "measured", Source: r.Source}
}
