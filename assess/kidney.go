package assess

import (
	"errors"
	"slices"
	"sort"
	"strings"
	"time"

	"renalwatch/ckd"
	"renalwatch/egfr"
	"renalwatch/internal/labtext"
	"renalwatch/kfre"
	"renalwatch/record"
	"renalwatch/units"
)

// stageSource cites the staging rules.
const stageSource = "KDIGO 2024 CKD guideline (Kidney Int 2024;105(4S):S117-S314): GFR categories, albuminuria categories and heat map of KDIGO 2012 Tables 5-6 and Figure 9, unchanged"

func (a *assessor) kidney() {
	k := &a.out.Kidney
	a.dialysis = a.dialysisPeriods()
	for _, p := range a.dialysis {
		rep := Replacement{Kind: p.kind, Start: p.start, Events: p.events}
		if !p.end.IsZero() {
			rep.End = ptr(p.end)
		}
		k.Replacement = append(k.Replacement, rep)
	}
	for _, r := range a.tl.Replacements {
		if r.Kind == record.KidneyTransplant && !r.Start.After(a.asOf) {
			k.Replacement = append(k.Replacement, Replacement{Kind: r.Kind.String(), Start: r.Start, Events: 1})
			a.transplant = &r
		}
	}
	// In date order, dialysis periods and transplants interleaved (a
	// transplant between two dialysis periods is listed between them).
	slices.SortStableFunc(k.Replacement, func(x, y Replacement) int { return x.Start.Compare(y.Start) })
	a.onDialysis = a.dialysisAt(a.asOf)
	a.egfrSeries()
	a.stage()
	a.slope()
	a.steadyState() // steadystate.go
	a.kfre()
}

func toEGFRSex(s record.Sex) egfr.Sex {
	switch s {
	case record.Female:
		return egfr.Female
	case record.Male:
		return egfr.Male
	}
	return egfr.SexNotGiven
}

func toCKDSex(s record.Sex) ckd.Sex {
	switch s {
	case record.Female:
		return ckd.Female
	case record.Male:
		return ckd.Male
	}
	return 0
}

// egfrSeries computes an eGFR for every creatinine at or before asOf.
//
// Decisions (docs/caveats.md, "Assessment"): age is fractional years at the
// sample (days/365.25), the adult equation applies from the 18th birthday;
// a creatinine given as a bound ("<0.2 mg/dL") is not a measurement and gets
// no eGFR (a bound on creatinine is only a bound on eGFR); a creatinine with
// importer notes is computed and carries the notes; a creatinine taken on
// dialysis gets no eGFR (it does not reflect kidney function).
func (a *assessor) egfrSeries() {
	p := a.tl.Patient
	sex := toEGFRSex(p.Sex)
	a.ages = p.Ages()
	creat := a.upTo(units.Creatinine)
	k := &a.out.Kidney
	// The series holds the points and assembles each EGFRPoint when it is
	// read (a patient may have a million creatinines: issue 8 item 4).
	k.Series = newSeries(p.BirthDate, len(creat))
	a.hasCystatin = len(a.tl.Values(units.CystatinC)) > 0
	birthS, creatS := stampOf(p.BirthDate), a.obsStamps(units.Creatinine)
	for i := range creat {
		o := &creat[i]
		pt := &point{obs: o}
		ep := &EGFRPoint{Date: o.Time, Creatinine: o.Value, Comparator: string(o.Comparator), ObservationID: o.ID, Notes: o.Notes}
		sampleAge := false // ep.AgeYears is ageYears(birth, o.Time): set by computeEGFR
		switch {
		case p.BirthDate.IsZero():
			ep.Reason = "birth date unknown: age at the sample cannot be computed"
		case o.Time.Before(p.BirthDate):
			ep.Reason = "sample dated before the birth date: age cannot be computed"
		case sex == egfr.SexNotGiven:
			ep.Reason = "sex " + p.Sex.String() + ": the equations are sex-specific; eGFR not computed"
		case o.Comparator != record.Exact:
			ep.Reason = "creatinine reported as a bound (" + string(o.Comparator) + qtext(o.Value) + "), not a measurement; eGFR not computed"
		case a.dialysisAt(o.Time) != nil:
			ep.Reason = "taken during dialysis (since " + date(a.dialysisAt(o.Time).start) + "): creatinine does not estimate kidney function on dialysis"
		default:
			a.computeEGFR(pt, ep, sex, birthS, creatS[i])
			sampleAge = true
		}
		k.Series.add(*pt, ep, sampleAge)
	}
	a.points = k.Series.pts
	// Laboratory-reported eGFRs are used when no creatinine gives one
	// (issue 7 item 8); they are not in the series, which is creatinine's.
	repWhy := a.addReported()
	a.pointAt = nil // pointStamps: built from the final points
	for i := len(a.points) - 1; i >= 0; i-- {
		if a.points[i].shown {
			a.latest = &a.points[i]
			break
		}
	}
	if a.onDialysis == nil {
		// After the reasons below; with the eGFR as it stood before they
		// set it aside.
		defer a.computedEarlierMissing(a.latest)
	}
	switch {
	case a.onDialysis != nil:
		a.miss("kidney.egfr", "on dialysis since "+date(a.onDialysis.start)+": eGFR from creatinine is not a measure of kidney function")
		a.latest = nil
	case a.latest == nil && len(creat) == 0:
		a.miss("kidney.egfr", "no creatinine at or before as_of and no usable laboratory-reported eGFR"+orWhy(repWhy))
	case a.latest == nil:
		a.miss("kidney.egfr", "no creatinine gave an eGFR: "+k.Series.At(k.Series.Len()-1).Reason+orWhy(repWhy))
	case a.transplant != nil && !a.latest.obs.Time.After(a.transplant.Start):
		// The graft is another kidney: an eGFR from before the transplant
		// gives it no stage and raises no alert (review 2 items 2, 3).
		a.miss("kidney.egfr", "no eGFR after the kidney transplant of "+date(a.transplant.Start)+"; the latest ("+date(a.latest.obs.Time)+") describes the native kidney")
		a.latest = nil
	default:
		if age := a.asOf.Sub(a.latest.obs.Time); age > a.cfg.CurrentWindow {
			a.miss("kidney.egfr", "the latest eGFR is from "+date(a.latest.obs.Time)+", "+num(age.Hours()/24)+" days before as_of (older than "+
				num(a.cfg.CurrentWindow.Hours()/24)+" days): the stage describes that date, not now")
		}
		if n := k.Series.Len(); n > 0 && k.Series.At(n-1).Value == nil && !k.Series.At(n-1).Date.Before(a.latest.obs.Time) {
			last := k.Series.At(n - 1)
			a.miss("kidney.egfr", "the latest creatinine ("+date(last.Date)+") gave no eGFR ("+last.Reason+"); the eGFR shown is from "+date(a.latest.obs.Time))
		}
		if repWhy != "" && a.latest.reported == nil {
			a.miss("kidney.egfr", repWhy)
		}
		if r := a.latest.reported; r != nil {
			k.EGFR = &EGFR{Value: a.latest.value, Unit: units.MLPerMinBSA, Equation: a.latest.eq.String(), Date: a.latest.obs.Time,
				Source: reportedSource, Reported: r, Warnings: reportedWarnings(r)}
			return
		}
		eq, _ := egfr.Lookup(a.latest.eq.String())
		k.EGFR = &EGFR{Value: a.latest.value, Unit: units.MLPerMinBSA, Equation: a.latest.eq.String(), Date: a.latest.obs.Time, Source: eq.Source, Markers: markers(a.latest)}
	}
}

// orWhy appends a reason in parentheses when there is one.
func orWhy(why string) string {
	if why == "" {
		return ""
	}
	return " (" + why + ")"
}

// egfrLabel names the assessment's eGFR for messages: "54.5
// (ckd-epi-2021-cys, 2024-01-01)" or "41 (laboratory-reported, LOINC
// 33914-3, 2024-01-01)".
func (a *assessor) egfrLabel() string {
	p := a.latest
	eq := p.eq.String()
	if r := p.reported; r != nil {
		eq = "laboratory-reported, " + r.Code
		if r.LabEquation != "" {
			eq += " " + r.LabEquation
		}
	} else if p.cys != nil && p.ok {
		eq += ", creatinine and cystatin C"
	}
	return egfrInline(p.value) + " (" + eq + ", " + date(p.obs.Time) + ")"
}

// egfrInline is ckd.EGFRText for a message that goes on to compare the
// value with a category bound: when rounding would change the KDIGO G
// category, the unrounded value alone (4 significant digits), not
// "30 (29.63 unrounded)", which would read "30 is below 30" and nest
// brackets (docs/report.md, "Numbers in human text": the category is that
// of the unrounded value; KDIGO 2012 CKD guideline Table 5 bounds).
func egfrInline(v float64) string {
	s := ckd.EGFRText(v)
	if strings.Contains(s, " unrounded)") {
		return num(v)
	}
	return s
}

// How the reasons of a creatinine that gave no eGFR for want of what the
// EHR can record begin (EGFRPoint.Reason), so that a reader can tell them
// from the others (the CDS Hooks service names them in a card, trial 10
// F10): no height for a child's equation that needs one (CKiD U25,
// bedside Schwartz), a birth date too coarse to choose between the adult
// and the paediatric equation.
const (
	NoHeightReason       = "no height in the "
	BirthPrecisionReason = "birth date known to the "
)

// computeEGFR fills pt and ep for a measured creatinine.
// birthS and ts are the stamps of the birth date and of the creatinine.
func (a *assessor) computeEGFR(pt *point, ep *EGFRPoint, sex egfr.Sex, birthS, ts stamp) {
	p := &a.tl.Patient
	o := pt.obs
	age := ageYearsAt(p.BirthDate, o.Time, birthS, ts)
	ep.AgeYears = age
	whole, _ := a.ages.Next(o.Time)
	if a.ageBandUncertain(o.Time, 18) {
		ep.Reason = BirthPrecisionReason + p.BirthPrecision.String() + " only: the age at the sample may be under or over 18, so neither the adult nor the paediatric equation can be chosen"
		return
	}
	in := egfr.Input{Creatinine: o.Value, Age: age, Sex: sex}
	crEq := a.cfg.CreatinineEquation(whole)
	e, ok := a.lookupEquation(crEq)
	if !ok {
		ep.Reason = "equation " + crEq + " is not known"
		return
	}
	if age < e.MinAge {
		// Outside the equation's validated ages no value is given: under
		// 1 year GFR matures fast and CKiD U25 (Pierce CB et al. Kidney Int
		// 2021;99:948-956) and bedside Schwartz (Schwartz GJ et al. J Am Soc
		// Nephrol 2009;20:629-637) were developed from 1 year; an eGFR
		// there would be a confident wrong number.
		ep.Reason = "not computed: " + crEq + " is validated for " + e.Population + ", and the child was " + labtext.Count(calendarMonths(p.BirthDate, o.Time), "month") + " old at the sample"
		return
	}
	if e.Needs.Has(egfr.FieldHeight) {
		h, found := a.latestExact(units.Height, o.Time, a.cfg.HeightWindow)
		if !found {
			ep.Reason = NoHeightReason + num(a.cfg.HeightWindow.Hours()/24) + " days before the sample, needed by " + crEq
			// CKiD U25 has a cystatin C equation that needs no height.
			if cysEq := CystatinFallback(crEq); cysEq != "" {
				if c, ok := a.sameDayCystatin(o); ok {
					if r, err := egfr.Compute(cysEq, egfr.Input{CystatinC: c.Value, Age: age, Sex: sex}); err == nil {
						// A cystatin-only value: no creatinine-only eGFR
						// exists for this sample, so it enters no slope,
						// response or KFRE (review 2 item 15).
						pt.shown, pt.value, pt.eq, pt.cys = true, r.Value, equationOf(cysEq), c
						ep.CystatinC, ep.Warnings = ptr(c.Value), append(r.Warnings, ep.Reason+"; the same-day cystatin C gave "+cysEq+" instead (cystatin C only: the creatinine is not in this value, and the point enters no slope or creatinine-based rule)")
						ep.Reason = ""
					}
				}
			}
			return
		}
		in.Height = h.Value
		ep.Height = ptr(h.Value)
	}
	v, _, warn, err := e.Estimate(&in)
	if err != nil {
		ep.Reason = crEq + ": " + err.Error()
		return
	}
	pt.ok, pt.shown, pt.cr, pt.crEq, pt.value, pt.eq = true, true, v, a.eqID, v, a.eqID
	ep.Warnings = warn
	cysEq := a.cfg.CombinedEquation(whole)
	if cysEq == "" {
		return
	}
	// A cystatin C from the same day: the combined equation (KDIGO 2024
	// Recommendations 1.1.2.1 and 1.2.2.1, CombinedEquation).
	if c, ok := a.sameDayCystatin(o); ok {
		in2 := in
		in2.CystatinC = c.Value
		in2.Height = units.Quantity{}
		r2, err := egfr.Compute(cysEq, in2)
		if err != nil {
			ep.Warnings = append(ep.Warnings, cysEq+" not computed: "+err.Error())
			return
		}
		pt.value, pt.eq, pt.cys = r2.Value, equationOf(cysEq), c
		ep.CystatinC = ptr(c.Value)
		ep.Warnings = append(append([]string(nil), warn...), r2.Warnings...)
	}
}

// lookupEquation is egfr.Lookup, remembering the latest equation looked
// up: a series uses one or two equations for its every creatinine.
// The equation is the assessor's (valid until the next lookup).
func (a *assessor) lookupEquation(name string) (*egfr.Equation, bool) {
	if a.eqName != name || !a.eqOK {
		a.eq, a.eqOK = egfr.Lookup(name)
		a.eqName, a.eqID = name, equationOf(name)
	}
	return &a.eq, a.eqOK
}

// markers names the laboratory markers behind a point's reported value.
//
// The lists are shared by every point (not allocated per point: a patient
// may have a million creatinines); their capacity is their length, so an
// append copies, and callers must not modify their elements.
func markers(pt *point) []string {
	switch {
	case pt.ok && pt.cys != nil:
		return markersBoth
	case pt.ok:
		return markersCreatinine
	case pt.cys != nil:
		return markersCystatin
	}
	return nil
}

var (
	markersBoth       = []string{"creatinine", "cystatin_c"}[:2:2]
	markersCreatinine = []string{"creatinine"}[:1:1]
	markersCystatin   = []string{"cystatin_c"}[:1:1]
)

// sameDayCystatin returns a measured cystatin C from the same UTC day as
// the creatinine o, not after asOf.
func (a *assessor) sameDayCystatin(o *record.Observation) (*record.Observation, bool) {
	if !a.hasCystatin {
		return nil, false
	}
	cs := a.tl.Window(units.CystatinC, o.Time.Add(-24*time.Hour), o.Time.Add(24*time.Hour))
	for i := range cs {
		if c := &cs[i]; sameDay(c.Time, o.Time) && c.Comparator == record.Exact && !c.Time.After(a.asOf) {
			return c, true // in the timeline (shared; not to be modified)
		}
	}
	return nil, false
}

// stage computes the G and A categories, the heat-map risk and persistence.
func (a *assessor) stage() {
	st := &a.out.Kidney.Stage
	st.Source = stageSource
	st.Persistence.EGFR.Rule = ckd.PersistenceRule
	st.Persistence.Albuminuria.Rule = ckd.PersistenceRule
	switch {
	case a.onDialysis != nil:
		st.G, st.Suffix = ptr(ckd.G5), "D"
	case a.latest != nil:
		if why := a.gNotApplicable(a.latest.obs.Time); why != "" {
			st.GNotApplicable = why
			a.miss("kidney.stage.g", "not applicable: "+why)
		} else if g, err := ckd.GCategory(a.latest.value); err == nil {
			st.G = &g
			st.EGFREquation = a.latest.eq.String()
		}
		if a.transplant != nil {
			st.Suffix = "T"
		}
	default:
		a.miss("kidney.stage.g", "no eGFR")
		if a.transplant != nil {
			st.Suffix = "T"
		}
	}
	// eGFR persistence: the trailing run of eGFR < 60, over the present
	// kidney only: after the latest transplant and outside dialysis that
	// has ended (review 2 item 2; on dialysis no eGFR is computed).
	// Only the trailing run is judged, so only it is collected: from the
	// point after the latest eGFR >= 60 (a patient with a million
	// creatinines does not get a million findings; issue 8 item 4).
	from := len(a.points)
	for ; from > 0; from-- {
		if p := &a.points[from-1]; p.shown && a.currentState(p.obs.Time) && !(p.value < 60) {
			break
		}
	}
	run := make([]ckd.Finding, 0, len(a.points)-from)
	for i := from; i < len(a.points); i++ {
		// eGFR < 60 is decreased GFR from 2 years of age only
		// (ckd.GCategoryMinAge): a younger child's eGFR starts no run.
		if p := &a.points[i]; p.shown && a.currentState(p.obs.Time) && a.gNotApplicable(p.obs.Time) == "" {
			run = append(run, ckd.Finding{At: p.obs.Time, Abnormal: true})
		}
	}
	if len(run) > 0 {
		if ps, err := ckd.Persists(run, a.asOf); err == nil {
			st.Persistence.EGFR = ps
		}
	}
	a.gSince() // steadystate.go
	// Albuminuria: latest measured ACR in the current window, else UPCR.
	// The window ends at as_of, or, when the stage's eGFR is older than the
	// current window (the stage then describes that eGFR, shown with its
	// date), at the end of the eGFR's day: the A category is read around
	// the same date as the G category, and a same-day ACR/UPCR always
	// counts (inWindow: whole days, inclusive).
	anchor, anchorName := a.asOf, "as_of"
	if a.onDialysis == nil && a.latest != nil && !inWindow(a.asOf, a.latest.obs.Time, a.cfg.CurrentWindow) {
		anchor, anchorName = endOfDay(a.latest.obs.Time), "the eGFR of "+date(a.latest.obs.Time)
	}
	var af []ckd.Finding
	boundMiss := "" // trial-cli #3: why the latest ratio, a bound, gave no category
	type ratioSrc struct {
		an    units.Analyte
		name  string
		cat   func(units.Quantity) (ckd.A, error)
		bound bool
	}
	srcOf := map[units.Analyte]ratioSrc{units.ACR: {units.ACR, "acr", ckd.ACategory, false}, units.PCR: {units.PCR, "pcr", ckd.ACategoryFromPCR, false}}
	// The most recent measured ratio first (ratioOrder), then the other;
	// then ratios reported only as bounds, in the same order.
	var srcs []ratioSrc
	for _, bound := range []bool{false, true} {
		for _, an := range a.ratioOrder(a.asOf) {
			s := srcOf[an]
			s.bound = bound
			srcs = append(srcs, s)
		}
	}
	for _, src := range srcs {
		var (
			o   record.Observation
			ok  bool
			cmp = record.Exact
		)
		if !src.bound {
			o, ok = a.latestExact(src.an, a.asOf, 0)
		} else if b, isBound := a.latestBound(src.an, a.asOf); isBound && inWindow(anchor, b.Time, a.cfg.CurrentWindow) && a.currentState(b.Time) {
			// No measured ACR or UPCR gave a category: a ratio reported
			// only as a bound (a detection limit, "<3 mg/mmol") gives it
			// when the bound lies inside one category (boundCategory),
			// else the reason says so (trial-cli #3). A bound never
			// overrides a measured ratio: the measured UPCR 3.2 g/g of a
			// day whose ACR reads "<3 mg/mmol" stays A3.
			if _, inside := boundCategory(src.cat, b.Comparator, reportedAt(b)); inside {
				o, ok, cmp = *b, true, b.Comparator
			} else if boundMiss == "" {
				bq := reportedAt(b)
				boundMiss = "the latest " + acrName(src.an) + " (" + date(b.Time) + ") was reported only as a bound (" + string(b.Comparator) + num(bq.Value) + " " + bq.Unit.Display() + "), which spans more than one KDIGO albuminuria category"
			}
		}
		if !ok || !inWindow(anchor, o.Time, a.cfg.CurrentWindow) {
			continue
		}
		if !a.currentState(o.Time) {
			a.miss("kidney.stage.a", "the latest "+src.name+" ("+date(o.Time)+") "+a.stateReason(o.Time)+": it does not describe the present kidney")
			continue
		}
		q := reported(o)
		c, err := src.cat(q)
		if cmp != record.Exact {
			c, _ = boundCategory(src.cat, cmp, q)
		} else if err != nil {
			continue
		}
		st.A, st.ASource, st.AValue, st.ADate, st.AComparator = &c, src.name, &q, ptr(o.Time), string(cmp)
		// The measured values at or before as_of, with their values in
		// the unit of report (the UPCRs' are the assessment's list).
		xs, qs := a.upTo(src.an), []units.Quantity(nil)
		if src.an == units.PCR {
			ul := a.upcrs()
			xs, qs = ul.obs, ul.q
		}
		if af = run[:0]; cap(af) < len(xs) { // run's room when it has enough: Persists keeps no reference to it
			af = make([]ckd.Finding, 0, len(xs))
		}
		for i := range xs {
			x := &xs[i]
			if !a.currentState(x.Time) {
				continue
			}
			if x.Comparator != record.Exact {
				if cx, inside := boundCategory(src.cat, x.Comparator, reportedAt(x)); inside {
					af = append(af, ckd.Finding{At: x.Time, Abnormal: cx >= ckd.A2})
				}
				continue
			}
			var q units.Quantity
			if qs != nil {
				q = qs[i]
			} else {
				q = reportedAt(x)
			}
			if cx, err := src.cat(q); err == nil {
				af = append(af, ckd.Finding{At: x.Time, Abnormal: cx >= ckd.A2})
			}
		}
		break
	}
	a.olderACRWarning(anchor)
	if st.A != nil && st.ADate != nil {
		st.ANote = a.aUnder2(*st.ADate, st.ASource)
	}
	if st.A == nil && boundMiss != "" {
		a.miss("kidney.stage.a", boundMiss)
	} else if st.A == nil {
		a.miss("kidney.stage.a", "no ACR or UPCR in the "+num(a.cfg.CurrentWindow.Hours()/24)+" days before "+anchorName)
	}
	if len(af) > 0 && af[len(af)-1].Abnormal {
		st.AAbnormalValues = len(trailing(af))
		if ps, err := ckd.Persists(trailing(af), a.asOf); err == nil {
			st.Persistence.Albuminuria = ps
		}
	}
	st.Persistent = st.Persistence.EGFR.Persistent || st.Persistence.Albuminuria.Persistent
	if st.G != nil && st.A != nil {
		if r, err := ckd.HeatMapRisk(*st.G, *st.A); err == nil {
			st.Risk = &r
		}
	} else {
		a.miss("kidney.stage.risk", "needs both a G and an A category")
	}
}

// olderACRWarning adds a stage warning when the A category rests on a
// UPCR in the A1 range (< 150 mg/g) and an older ACR of the current window
// (ending at anchor) was A2 or A3: the stage follows the most recent ratio
// (ratioOrder), but a low UPCR does not exclude moderately increased
// albuminuria, as PCR and ACR agree poorly at low values (Sumida K et al.
// Ann Intern Med 2020;173:426-435: PCR-ACR association inconsistent below
// 50 mg/g; sensitivity of converted PCR for A2 75%).
func (a *assessor) olderACRWarning(anchor time.Time) {
	st := &a.out.Kidney.Stage
	if st.A == nil || *st.A != ckd.A1 || st.ASource != "pcr" || st.AComparator != "" {
		return
	}
	o, ok := a.latestExact(units.ACR, a.asOf, 0)
	if !ok || !inWindow(anchor, o.Time, a.cfg.CurrentWindow) || !a.currentState(o.Time) {
		return
	}
	q := reported(o)
	if c, err := ckd.ACategory(q); err == nil && c >= ckd.A2 {
		st.Warnings = append(st.Warnings, "A1 rests on the most recent ratio, the UPCR of "+date(*st.ADate)+"; the older ACR of "+date(o.Time)+" ("+num(q.Value)+" "+q.Unit.Display()+") was "+c.String()+
			": a UPCR below 150 mg/g does not exclude albuminuria of 30 mg/g or more, as PCR and ACR agree poorly at low values (Sumida K et al. Ann Intern Med 2020;173:426-435)")
	}
}

// gNotApplicable says why the KDIGO GFR categories (and the eGFR < 60
// criterion of CKD) do not apply to an eGFR of time t: the child was under
// ckd.GCategoryMinAge (2 years) at the sample, or may have been (a partial
// birth date). It returns "" when they apply.
func (a *assessor) gNotApplicable(t time.Time) string {
	return a.under2(t, "eGFR", ckd.GCategoryUnder2)
}

// aUnder2 is the caveat of an A category read from the ratio of time t
// (source "acr" or "pcr") when the child was under ckd.GCategoryMinAge (2
// years) at it, or may have been: ckd.ACategoryUnder2 after the age. ""
// from 2 years.
func (a *assessor) aUnder2(t time.Time, source string) string {
	return a.ratioUnder2(t, source, ckd.ACategoryUnder2)
}

// ratioUnder2 is under2 for a urine ratio (source "acr" or "pcr") of time
// t, with the caveat why.
func (a *assessor) ratioUnder2(t time.Time, source, why string) string {
	name := "ACR"
	if source == "pcr" {
		name = "UPCR"
	}
	return a.under2(t, name, why)
}

// under2 is why, after the child's age at the result (what) of time t,
// when the child was under ckd.GCategoryMinAge (2 years) at it or may have
// been (a partial birth date); "" from 2 years.
func (a *assessor) under2(t time.Time, what, why string) string {
	if a.ageBandUncertain(t, ckd.GCategoryMinAge) {
		return "birth date known to the " + a.tl.Patient.BirthPrecision.String() + " only: the child may have been under 2 years at the " + what + " of " + date(t) + "; " + why
	}
	if whole, ok := a.ages.Next(t); ok && !ckd.GCategoryApplies(float64(whole)) {
		return "age " + labtext.Count(calendarMonths(a.tl.Patient.BirthDate, t), "month") + " at the " + what + " of " + date(t) + ": " + why
	}
	return ""
}

// calendarMonths is the age in completed calendar months at t of a person
// born on birth (0 before the first month is complete).
func calendarMonths(birth, t time.Time) int {
	y, m, d := t.Date()
	by, bm, bd := birth.Date()
	n := (y-by)*12 + int(m-bm)
	if d < bd {
		n--
	}
	return max(n, 0)
}

// trailing returns the run of abnormal findings at the end of fs.
func trailing(fs []ckd.Finding) []ckd.Finding {
	i := len(fs)
	for i > 0 && fs[i-1].Abnormal {
		i--
	}
	return fs[i:]
}

// slopePoints returns the creatinine-only eGFR points in [from, to], after
// the latest transplant, and the equations they came from. The points are
// held in the assessor's buffer, reused by the next call (an assessment
// asks for several windows, each read before the next is asked for).
func (a *assessor) slopePoints(from, to time.Time) ([]ckd.Point, []string) {
	// a.points is in time order: only those from from to to are read.
	all, ss := a.points, a.pointStamps()
	lo, toS := searchFrom(ss, stampOf(from)), stampOf(to)
	hi := lo + sort.Search(len(ss)-lo, func(i int) bool { return ss[lo+i].after(toS) })
	var eqs []string
	if cap(a.slopeBuf) < hi-lo {
		a.slopeBuf = make([]ckd.Point, 0, hi-lo)
	}
	pts := a.slopeBuf[:0]
	for i := lo; i < hi; i++ {
		p := &all[i]
		if !p.ok {
			continue
		}
		t := p.obs.Time
		if a.transplant != nil && !t.After(a.transplant.Start) {
			continue
		}
		pts = append(pts, ckd.Point{Time: t, EGFR: p.cr})
		switch {
		case len(eqs) == 0:
			eqs = p.crEq.list()
		case eqs[len(eqs)-1] != p.crEq.String():
			eqs = append(eqs, p.crEq.String())
		}
	}
	return pts, eqs
}

func toSlope(s ckd.Slope, pts []ckd.Point, eqs []string) *Slope {
	from, to := pointSpan(pts)
	eq := ""
	for i, e := range eqs {
		if i > 0 {
			eq += " then "
		}
		eq += e
	}
	out := &Slope{PerYear: s.PerYear, CINote: s.NoCI,
		Points: s.Points, Days: s.Days, From: from, To: to, Equation: eq, Method: s.Method}
	if s.NoCI == "" {
		out.CI95 = &s.CI95
	}
	return out
}

// slope fits the eGFR slope over SlopeWindow and applies the progression
// rules. Creatinine-only values are fitted, so that a day with a cystatin C
// does not jump to another equation's bias; values before a transplant are
// left out (the graft is another kidney).
func (a *assessor) slope() {
	k := &a.out.Kidney
	if a.onDialysis != nil {
		a.miss("kidney.slope", "on dialysis: no eGFR slope")
		return
	}
	pts, eqs := a.slopePoints(a.asOf.Add(-a.cfg.SlopeWindow), a.asOf)
	s, err := ckd.EGFRSlope(pts)
	if err != nil {
		a.miss("kidney.slope", a.noSlopeReason(pts))
	} else {
		k.Slope = toSlope(s, pts, eqs)
		if len(eqs) > 1 {
			a.miss("kidney.slope.equation", "the slope spans a change of equation ("+k.Slope.Equation+"); part of the trend may be the change")
		}
		k.Progression = append(k.Progression, rapid(s))
	}
	if len(pts) >= 2 {
		prev, last := pts[len(pts)-2], pts[len(pts)-1]
		ch := ckd.RelativeChange(prev.EGFR, last.EGFR)
		limit, why := ckd.ChangeThreshold, "KDIGO 2024 CKD practice point 2.1.3 (> 20% change on a subsequent test)"
		if th := a.haemodynamicStart(prev.Time, last.Time); th != "" {
			limit, why = 0.30, "KDIGO 2024 CKD practice point 2.1.4 (> 30% after starting a haemodynamically active therapy: "+th+")"
		}
		met := ch > limit || ch < -limit
		pct, note := egfrPct(prev.EGFR, last.EGFR, pctChange, -100*limit, 100*limit)
		k.Progression = append(k.Progression, Progression{Rule: ckd.KDIGO2024Change, Met: met,
			Detail: "eGFR " + ckd.EGFRText(prev.EGFR) + " (" + date(prev.Time) + ") to " + ckd.EGFRText(last.EGFR) + " (" + date(last.Time) + "): " + pct + "%" + paren(note),
			Source: why})
		first := pts[0]
		pct, note = egfrPct(first.EGFR, last.EGFR, pctChange, -25)
		k.Progression = append(k.Progression, Progression{Rule: ckd.KDIGO2012CertainDrop, Met: ckd.CertainDrop(first.EGFR, last.EGFR),
			Detail: "eGFR " + ckd.EGFRText(first.EGFR) + " (" + date(first.Time) + ", first in the window) to " + ckd.EGFRText(last.EGFR) + " (" + date(last.Time) + "): " + pct + "%" + paren(note) + "; certain drop is a fall in G category with a decline of 25% or more",
			Source: "KDIGO 2012 CKD guideline rec 2.1.3"})
	}
}

// rapid applies KDIGO 2012 rec 2.1.3, "rapid progression is a sustained
// decline in eGFR of more than 5 mL/min/1.73m2/year", to a fitted slope.
// "Sustained" is read as: the whole 95% confidence interval lies below −5,
// i.e. its upper bound is below −5 (review 2 item 8). A point estimate below
// −5 whose interval reaches −5 or above is reported as Possible, with the
// interval, and raises no alert: three noisy values can give −7 [−170,
// +155], which is no evidence of any decline. An upper bound below 0 would
// only show that eGFR falls, not that it falls faster than 5 a year.
func rapid(s ckd.Slope) Progression {
	p := Progression{Rule: ckd.KDIGO2012Rapid, Source: "KDIGO 2012 CKD guideline rec 2.1.3"}
	// The slope and its bounds at one precision, as the report's trend
	// line (internal/textfmt.Slope) prints them.
	n := labtext.SameDecimals(4, s.PerYear, s.CI95[0], s.CI95[1])
	slope, ci := n[0], "95% CI "+n[1]+" to "+n[2]
	if s.NoCI != "" {
		// No interval, so no "sustained" decline can be shown (below).
		slope, ci = num(s.PerYear), s.NoCI
	}
	p.Detail = "slope " + slope + " " + units.MLPerMinBSA.Display() + "/year (" + ci + ") over " + num(float64(s.Points)) + " values; rapid is a sustained decline faster than 5 " + units.MLPerMinBSA.Display() + "/year, taken as the whole 95% CI below -5"
	switch {
	case s.NoCI == "" && s.CI95[1] < -ckd.RapidDeclinePerYear:
		p.Met = true
	case ckd.RapidProgression(s):
		p.Possible = true
		p.Detail = "possible rapid decline, not shown to be sustained: " + p.Detail + "; the interval reaches -5 or above, so more values are needed"
	}
	return p
}

// restartGap is how long a RAAS blocker or SGLT2 inhibitor must have been
// stopped for a new record of the same class to count as starting it again
// (KDIGO 2024 PP 2.1.4's > 30% applies after a start). A new record while
// the class is running, or within this gap of its end, is a refill or a
// switch within the class and keeps PP 2.1.3's > 20%. 90 days covers
// 90-day prescriptions and gaps between recorded refills; erring long
// keeps the stricter 20% threshold, which raises the alert sooner
// (review 2 item 5).
const restartGap = 90 * day

// haemodynamicStart names a RAAS blocker or SGLT2 inhibitor started in
// (from, to], or returns "". A record of a class that was already running
// (or ended less than restartGap before) is not a start.
func (a *assessor) haemodynamicStart(from, to time.Time) string {
	for _, th := range a.tl.Therapies {
		if (th.Class == record.RAASBlockade || th.Class == record.SGLT2Inhibitor) && th.Start.After(from) && !th.Start.After(to) && !a.classRunning(th) {
			return th.Class.String() + " from " + date(th.Start)
		}
	}
	return ""
}

// classRunning reports whether another therapy of th's class started
// before th and was running at th's start or ended within restartGap of it.
func (a *assessor) classRunning(th record.Therapy) bool {
	for _, o := range a.tl.Therapies {
		if o.ID == th.ID || o.Class != th.Class || !o.Start.Before(th.Start) {
			continue
		}
		if o.End.IsZero() || !o.End.Before(th.Start.Add(-restartGap)) {
			return true
		}
	}
	return false
}

// kfre computes the KFRE when eligible: adult, latest eGFR < 60 and
// current, not on dialysis and never transplanted.
func (a *assessor) kfre() {
	p := a.tl.Patient
	age, ok := p.AgeAt(a.asOf)
	switch {
	case p.DeadAt(a.out.AsOf):
		// A risk of kidney failure in the next 2 or 5 years (Tangri N et
		// al. JAMA 2011;305:1553-1559) describes the living: none is given
		// for a patient recorded as deceased (trial #16), so such a
		// patient has no KFRE and sorts last by it.
		when := "on a date not recorded"
		if !p.DeceasedDate.IsZero() {
			when = "on " + date(p.DeceasedDate)
		}
		a.miss("kidney.kfre", "not applicable: deceased "+when)
		return
	case a.onDialysis != nil:
		a.miss("kidney.kfre", "not applicable: on dialysis (the KFRE predicts kidney failure)")
		return
	case a.transplant != nil:
		a.miss("kidney.kfre", "not applicable: kidney transplant recipient (the KFRE was developed in native-kidney CKD)")
		return
	case !ok:
		a.miss("kidney.kfre", "age unknown")
		return
	case a.ageBandUncertain(a.asOf, 18):
		a.miss("kidney.kfre", "birth date known to the "+p.BirthPrecision.String()+" only: the patient may be under 18, and the KFRE was developed and validated in adults")
		return
	case age < 18:
		a.miss("kidney.kfre", "not applicable: age "+num(float64(age))+" (the KFRE was developed and validated in adults)")
		return
	case a.latest == nil:
		a.miss("kidney.kfre", "no eGFR")
		return
	case a.asOf.Sub(a.latest.obs.Time) > a.cfg.CurrentWindow:
		a.miss("kidney.kfre", "latest eGFR ("+date(a.latest.obs.Time)+") is older than "+num(a.cfg.CurrentWindow.Hours()/24)+" days")
		return
	case a.latest.value >= 60:
		// The eGFR of the assessment (issue 7 item 7): with a same-day
		// cystatin C that is eGFRcr-cys, as the stage shows.
		a.miss("kidney.kfre", "not applicable: eGFR "+a.egfrLabel()+" is not below 60 (the KFRE applies to CKD G3-G5)")
		return
	}
	sex := toCKDSex(p.Sex)
	if sex == 0 {
		a.miss("kidney.kfre", "sex "+p.Sex.String()+": the KFRE is sex-specific")
		return
	}
	t := a.latest.obs.Time
	in := kfre.Input{Age: ageYears(p.BirthDate, t), Sex: sex, EGFR: a.latest.value, Region: a.cfg.KFRERegion}
	out := &KFRE{ACRSource: "measured", EGFREquation: a.latest.eq.String(), EGFRDate: t}
	// The ratio the A category reads (ratioOrder): a measured ACR unless
	// a UPCR is more recent, then the ACR estimated from that UPCR.
	acr, okA := a.latestExact(units.ACR, a.asOf, a.cfg.CurrentWindow)
	okA = okA && acr.Value.Value > 0
	pcr, okP := a.latestExact(units.PCR, a.asOf, a.cfg.CurrentWindow)
	okP = okP && pcr.Value.Value > 0
	if okA && okP && a.ratioOrder(a.asOf)[0] == units.PCR {
		okA = false
	}
	if o, ok := acr, okA; ok {
		in.ACR = o.Value
	} else if o, ok := pcr, okP; ok {
		// Sumida's diabetes and hypertension terms come from the record's
		// established diagnoses (issue 7 item 10); one not recorded is
		// taken as absent, and the note says which were found.
		diabetes, dmWhat := a.hasDiabetes()
		htn, htnWhat := a.hasHypertension()
		est, err := ckd.EstimateACR(ckd.PCRInput{PCR: o.Value, Sex: sex, Diabetes: diabetes, Hypertension: htn})
		if err != nil {
			a.miss("kidney.kfre", "UPCR could not be converted to an ACR: "+err.Error())
			return
		}
		in.ACR = est.ACR
		out.ACRSource = "estimated"
		// What each term moves the estimate by, computed by the equation
		// itself with the term flipped (Sumida: exp(0.0797) = 1.083 for
		// diabetes, exp(0.1265) = 1.135 for hypertension; kidney.md §3).
		flip := func(dm, ht bool) units.Quantity {
			e, _ := ckd.EstimateACR(ckd.PCRInput{PCR: o.Value, Sex: sex, Diabetes: dm, Hypertension: ht})
			return e.ACR
		}
		more := ""
		if !htn {
			more = a.hypertensionEvidence(o.Time)
		}
		parts := []text{str("ACR estimated from UPCR "), labT(units.PCR, reported(o)), str(" (" + date(o.Time) + ") by " + est.Source + "; diabetes ")}
		parts = append(parts, found(diabetes, dmWhat, est.ACR, flip(!diabetes, htn))...)
		parts = append(parts, str("; hypertension "))
		parts = append(parts, found(htn, htnWhat, est.ACR, flip(diabetes, !htn))...)
		note := a.cat(append(parts, str(more))...)
		out.ACRNote, out.ACRNoteQuotes = note.s, note.quotes()
	} else {
		why := "no ACR or UPCR in the " + num(a.cfg.CurrentWindow.Hours()/24) + " days before as_of"
		for _, an := range []units.Analyte{units.ACR, units.PCR} {
			// Trial 3 #5: a ratio of 0 is there too, and staged A1; it
			// is not missing, it cannot enter the logarithm.
			if o, ok := a.latestExact(an, a.asOf, a.cfg.CurrentWindow); ok && o.Value.Value == 0 {
				q := reportedAt(&o)
				why = kfre.ZeroACRReason("the latest " + acrName(an) + " (" + num(q.Value) + " " + q.Unit.Display() + " on " + date(o.Time) + ")")
				break
			}
			// Trial-cli #3: a ratio reported only as a bound is there, but
			// the KFRE takes ln(ACR) of a measured value (Tangri 2011).
			if b, ok := a.latestBound(an, a.asOf); ok && inWindow(a.asOf, b.Time, a.cfg.CurrentWindow) {
				bq := reportedAt(b)
				why = "no measured ACR or UPCR in the " + num(a.cfg.CurrentWindow.Hours()/24) + " days before as_of: the latest " + acrName(an) + " (" + date(b.Time) +
					") was reported only as a bound (" + string(b.Comparator) + num(bq.Value) + " " + bq.Unit.Display() + "); the KFRE needs a measured value"
				break
			}
		}
		a.miss("kidney.kfre", why)
		return
	}
	// 8-variable model when all four labs are within the window of the eGFR.
	labs := []struct {
		an  units.Analyte
		dst *units.Quantity
	}{{units.Albumin, &in.Albumin}, {units.Phosphate, &in.Phosphate}, {units.Bicarbonate, &in.Bicarbonate}, {units.Calcium, &in.Calcium}}
	all := true
	for _, l := range labs {
		o, ok := a.nearestExact(l.an, t, a.cfg.KFRELabWindow)
		if !ok {
			all = false
			break
		}
		*l.dst = o.Value
	}
	if !all {
		for _, l := range labs {
			*l.dst = units.Quantity{}
		}
	}
	r, err := kfre.Predict(in)
	if err != nil {
		var me *kfre.MissingError
		if errors.As(err, &me) {
			a.miss("kidney.kfre", err.Error())
		} else {
			a.miss("kidney.kfre", "KFRE not computed: "+err.Error())
		}
		return
	}
	out.Variables, out.Region = r.Variables, r.Region
	out.Risk2y, out.Risk5y = r.Risk2y, r.Risk5y // unrounded: JSON is never rounded (docs/report.md)
	out.ACR, out.Inputs, out.Warnings, out.Source = in.ACR, r.Inputs, r.Warnings.Strings(), r.Source
	if !all {
		out.Warnings = append(out.Warnings, "4-variable model: albumin, phosphate, bicarbonate and calcium were not all measured within "+num(a.cfg.KFRELabWindow.Hours()/24)+" days of the eGFR")
	}
	if a.unsteady != "" {
		out.Warnings = append(out.Warnings, unsteadyKFRE+"; "+a.unsteady)
	}
	out.Warnings = append(out.Warnings, "eGFR entered: "+a.egfrLabel()+", the eGFR the report shows")
	if a.latest.reported != nil {
		out.Warnings = append(out.Warnings, "the eGFR entered is the laboratory's, not computed by RenalWatch")
	}
	a.out.Kidney.KFRE = out
}

// hypertensionEvidence says, for the Sumida hypertension term taken as
// absent (no hypertension diagnosis recorded), what the record does show
// that CKD Prognosis Consortium analyses count as hypertension (systolic BP
// >= 140 mmHg, diastolic >= 90 mmHg, or antihypertensive drug use): the
// latest such BP reading of the current window before the UPCR, and a RAAS
// blocker running at the UPCR (trial #24: ramipril and BP 148/94 read as
// "hypertension absent"). RAAS blockade is also given for proteinuria alone
// (KDIGO 2024 LN guideline), so neither is taken as the diagnosis; the
// reader decides, with the size of the term in front of them.
func (a *assessor) hypertensionEvidence(at time.Time) string {
	var seen []string
	sys, dia := a.upTo(units.SystolicBP), a.upTo(units.DiastolicBP)
	for i := len(sys) - 1; i >= 0; i-- {
		s := &sys[i]
		if s.Time.After(at) {
			continue
		}
		if !inWindow(at, s.Time, a.cfg.CurrentWindow) {
			break
		}
		d := -1.0
		for j := range dia {
			if dia[j].Time.Equal(s.Time) {
				d = dia[j].Value.Value
			}
		}
		if s.Value.Value >= 140 || d >= 90 {
			bp := num(s.Value.Value)
			if d >= 0 {
				bp += "/" + num(d)
			}
			seen = append(seen, "BP "+bp+" mmHg on "+date(s.Time))
			break
		}
	}
	for _, th := range a.tl.Therapies {
		if th.Class == record.RAASBlockade && !th.Start.After(at) && (th.End.IsZero() || !th.End.Before(at)) {
			seen = append(seen, displayName(th)+" since "+date(th.Start)+" (RAAS blockade, also given for proteinuria alone)")
			break
		}
	}
	if len(seen) == 0 {
		return ""
	}
	return "; the record has " + strings.Join(seen, " and ") + ", which CKD Prognosis Consortium analyses count as hypertension (BP >= 140/90 mmHg or antihypertensive drugs)"
}

// found describes a Sumida covariate: recorded (with what), or taken as
// absent with what the estimate would be with the term, computed by the
// equation (est is the estimate used, alt the one with the term flipped).
func found(yes bool, what string, est, alt units.Quantity) []text {
	if yes {
		return []text{str("recorded: " + what)}
	}
	return []text{str("not recorded as a diagnosis, taken as absent (with it the estimate would be "), estT(units.ACR, alt),
		str(", " + labtext.Pct(100*(alt.Value/est.Value-1)) + "% higher)")}
}
