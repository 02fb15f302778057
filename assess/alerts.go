package assess

import (
	"slices"
	"time"

	"renalwatch/ckd"
	"renalwatch/lupus"
	"renalwatch/record"
	"renalwatch/units"
)

// Alert codes. They are stable: programs match on them.
const (
	AlertCKDG4                   = "ckd-g4"
	AlertKFRE5yReferral          = "kfre-5y-referral"
	AlertKFRE2yMultidisciplinary = "kfre-2y-multidisciplinary"
	AlertKFRE2yKRTPlanning       = "kfre-2y-krt-planning"
	AlertRapidProgression        = "rapid-progression"
	AlertEGFRDrop                = "egfr-drop"
	AlertNephroticProteinuria    = "nephrotic-proteinuria"
	AlertActiveSediment          = "active-sediment"
	AlertRenalFlare              = "renal-flare"
	AlertNoResponse6m            = "no-response-6m"
	AlertMonitoringOverdue       = "monitoring-overdue"
	AlertAnemia                  = "anemia"
	AlertBPAboveTarget           = "bp-above-target"
	AlertHyperkalemia            = "hyperkalemia"
	AlertKidneyReplacement       = "kidney-replacement"
	AlertInvestigationalTherapy  = "investigational-therapy"
)

// Alert sources.
const (
	srcG4        = "KDIGO 2024 CKD guideline: G4 is eGFR 15-29 (KDIGO 2012 Table 5); referral to specialist kidney care at eGFR < 30 (KDIGO 2012 rec 5.1.1, lupus.md §7.5)"
	srcKFRE5y    = "KDIGO 2024 CKD guideline practice point 2.2.1: a 5-year kidney failure risk of 3%-5% can be used to determine need for nephrology referral (RenalWatch applies the configured threshold, default 5%)"
	srcKFRE2y10  = "KDIGO 2024 CKD guideline practice point 2.2.2: 2-year kidney failure risk > 10% to time multidisciplinary care (lupus.md §7.5)"
	srcKFRE2y40  = "KDIGO 2024 CKD guideline practice point 2.2.3: 2-year kidney failure risk > 40% to start modality education and kidney replacement therapy preparation (lupus.md §7.5)"
	srcRapid     = "KDIGO 2012 CKD guideline rec 2.1.3: rapid progression is a sustained decline in eGFR of more than 5 mL/min/1.73m2/year (lupus.md §7.4)"
	srcNephrotic = "Nephrotic-range proteinuria: UPCR >= 3 g/g (300 mg/mmol, the LN trial threshold) or 24-h protein >= 3.5 g/day (lupus.md §6)"
	srcSediment  = "Active (nephritic) sediment: > 5 RBC/hpf, > 5 WBC/hpf (no infection) or cellular casts; SLEDAI-2K items 11-14 and KDIGO 2012 GN Table 29 (lupus.md §6, ambiguity A2: > 5, not >= 5)"
	srcAnemia    = "KDIGO 2012 Anemia in CKD guideline rec 1.2.1: Hb < 13.0 g/dL adult men, < 12.0 g/dL adult women (age > 15); children < 11.0 (0.5-5 y), < 11.5 (5-12 y), < 12.0 (12-15 y) (lupus.md §7.6)"
	srcBP        = "KDIGO 2021 blood pressure in CKD guideline, kept in KDIGO 2024: target systolic BP < 120 mmHg when tolerated, by standardised office measurement (lupus.md §7.7)"
	srcK         = "local protocol (KDIGO 2024 gives no single cut-off; lupus.md §7.8): thresholds are configurable"
	srcMonitor   = "KDIGO 2012 CKD guideline monitoring frequency by G and A category (times per year; lupus.md §7.3) and KDIGO 2024 PP 2.1.1 (at least annually); lupus nephritis proteinuria at least every 3 months until complete renal response, every 3-6 months after (ACR 2024, lupus.md §2.4)"
)

var severityOrder = map[Severity]int{Critical: 0, Warning: 1, Info: 2}

func (a *assessor) alert(code string, sev Severity, msg, src string, at time.Time) {
	al := Alert{Code: code, Severity: sev, Message: msg, Source: src}
	if !at.IsZero() {
		al.Date = ptr(at)
	}
	a.out.Alerts = append(a.out.Alerts, al)
}

// current returns the latest measured value of an analyte within
// CurrentWindow before asOf.
func (a *assessor) current(an units.Analyte) (record.Observation, bool) {
	return a.latestExact(an, a.asOf, a.cfg.CurrentWindow)
}

func (a *assessor) alerts() {
	k := &a.out.Kidney
	// Kidney function.
	if a.latest != nil && a.latest.value < 30 {
		sev, what := Warning, "CKD G4"
		if a.latest.value < 15 {
			sev, what = Critical, "CKD G5 (kidney failure range)"
		}
		a.alert(AlertCKDG4, sev, what+": eGFR "+num(a.latest.value)+" mL/min/1.73m2 ("+a.latest.eq+") on "+date(a.latest.obs.Time)+" is below 30", srcG4, a.latest.obs.Time)
	}
	if r := k.KFRE; r != nil {
		if r.Risk5y >= a.cfg.KFRE5yReferral {
			a.alert(AlertKFRE5yReferral, Warning, "5-year kidney failure risk "+pct(r.Risk5y)+" (KFRE "+num(float64(r.Variables))+"-variable, ACR "+r.ACRSource+") is at or above "+pct(a.cfg.KFRE5yReferral)+": nephrology referral criterion", srcKFRE5y, time.Time{})
		}
		if r.Risk2y > a.cfg.KFRE2yMultidisciplinary {
			a.alert(AlertKFRE2yMultidisciplinary, Warning, "2-year kidney failure risk "+pct(r.Risk2y)+" is above "+pct(a.cfg.KFRE2yMultidisciplinary)+": multidisciplinary care", srcKFRE2y10, time.Time{})
		}
		if r.Risk2y > a.cfg.KFRE2yKRTPlanning {
			a.alert(AlertKFRE2yKRTPlanning, Critical, "2-year kidney failure risk "+pct(r.Risk2y)+" is above "+pct(a.cfg.KFRE2yKRTPlanning)+": plan kidney replacement therapy (modality education, vascular access, transplant referral)", srcKFRE2y40, time.Time{})
		}
	}
	for _, p := range k.Progression {
		switch {
		case p.Rule == ckd.KDIGO2012Rapid && p.Met:
			a.alert(AlertRapidProgression, Warning, "rapid eGFR decline: "+p.Detail, srcRapid, time.Time{})
		case p.Rule == ckd.KDIGO2024Change && p.Met && a.lastDrop():
			a.alert(AlertEGFRDrop, Warning, "eGFR fall beyond expected variability: "+p.Detail, p.Source, time.Time{})
		}
	}
	// Proteinuria and sediment.
	if o, ok := a.current(units.PCR); ok {
		q := reported(o)
		cut := map[units.Unit]float64{units.GPerG: 3, units.MgPerG: 3000, units.MgPerMmol: 300}[q.Unit]
		if cut > 0 && q.Value >= cut {
			a.alert(AlertNephroticProteinuria, Warning, "nephrotic-range proteinuria: UPCR "+q.Text()+" on "+date(o.Time), srcNephrotic, o.Time)
		}
	}
	if o, ok := a.current(units.UrineProtein24h); ok && o.Value.Value >= 3.5 {
		a.alert(AlertNephroticProteinuria, Warning, "nephrotic-range proteinuria: 24-h protein "+o.Value.Text()+" on "+date(o.Time), srcNephrotic, o.Time)
	}
	a.sedimentAlert()
	// Lupus.
	for _, f := range a.out.Lupus.Flares {
		if a.asOf.Sub(f.LastDate) > a.cfg.CurrentWindow {
			continue
		}
		sev := Warning
		if f.Severity != nil && *f.Severity == "severe" {
			sev = Critical
		}
		desc := "renal flare"
		if f.Severity != nil {
			desc = *f.Severity + " " + desc
		}
		if f.Type != nil {
			desc = *f.Type + " " + desc
		}
		if f.Provisional {
			desc = "provisional " + desc
		}
		a.alert(AlertRenalFlare, sev, desc+" on "+date(f.Date)+" by rule "+string(f.Rule)+": UPCR "+f.BaselineUPCR.Text()+" to "+f.UPCR.Text(), f.Source, f.Date)
	}
	if r := a.response; r != nil && r.Response != nil && (*r.Response == lupus.ResponseNone || *r.Response == lupus.NonResponder) {
		a.alert(AlertNoResponse6m, Warning, "no renal response ("+*r.Response+" by "+string(r.Rule)+") "+num(r.Months)+" months after the start of therapy on "+date(r.Since)+"; ACR 2024 suggests considering a repeat biopsy at non-response after 6 months", r.Source, time.Time{})
	}
	a.monitoring()
	a.anaemia()
	if o, ok := a.current(units.SystolicBP); ok {
		if age, known := a.tl.Patient.AgeAt(o.Time); known && age < 18 {
			a.miss("alerts.bp-above-target", "children: KDIGO targets 24-h MAP at or below the 50th percentile by ABPM, which RenalWatch does not assess")
		} else if o.Value.Value >= 120 {
			a.alert(AlertBPAboveTarget, Warning, "systolic BP "+o.Value.Text()+" on "+date(o.Time)+" is not below the target of 120 mmHg (target applies to standardised office BP; check how it was measured)", srcBP, o.Time)
		}
	} else {
		a.miss("alerts.bp-above-target", "no systolic blood pressure in the "+num(a.cfg.CurrentWindow.Hours()/24)+" days before as_of")
	}
	if o, ok := a.current(units.Potassium); ok {
		crit, _ := units.Potassium.Convert(a.cfg.PotassiumCritical, units.MmolPerL)
		high, _ := units.Potassium.Convert(a.cfg.PotassiumHigh, units.MmolPerL)
		switch {
		case o.Value.Value >= crit.Value:
			a.alert(AlertHyperkalemia, Critical, "potassium "+o.Value.Text()+" on "+date(o.Time)+" is at or above "+crit.Text(), srcK, o.Time)
		case o.Value.Value > high.Value:
			a.alert(AlertHyperkalemia, Warning, "potassium "+o.Value.Text()+" on "+date(o.Time)+" is above "+high.Text(), srcK, o.Time)
		}
	}
	// One alert for dialysis (the latest period) and one per transplant.
	var lastDialysis *Replacement
	periods := 0
	for i, r := range k.Replacement {
		if r.Kind != record.KidneyTransplant.String() {
			lastDialysis = &k.Replacement[i]
			periods++
			continue
		}
		a.alert(AlertKidneyReplacement, Info, "kidney transplant on "+date(r.Start)+": eGFR describes the graft; values before it are left out of the slope",
			"kidney replacement event in the record (KDIGO 2024: T for transplant recipients)", r.Start)
	}
	if r := lastDialysis; r != nil {
		msg := r.Kind + " since " + date(r.Start) + " (ongoing"
		if r.End != nil {
			msg = r.Kind + " from " + date(r.Start) + " to " + date(*r.End) + " (ended"
		}
		msg += ", " + num(float64(r.Events)) + " sessions or episodes recorded)"
		if periods > 1 {
			msg += "; " + num(float64(periods-1)) + " earlier dialysis periods in kidney.replacement"
		}
		a.alert(AlertKidneyReplacement, Info, msg, "kidney replacement event in the record (KDIGO 2024: G5D on dialysis)", r.Start)
	}
	for _, t := range a.out.Therapies {
		if t.Evidence == Investigational || t.Evidence == Unproven {
			a.alert(AlertInvestigationalTherapy, Warning, t.Name+" (started "+date(t.Start)+"): evidence "+string(t.Evidence)+" - "+t.EvidenceNote+"; a change after it cannot be attributed to it (therapies[].effect.caveat)", t.EvidenceSource, t.Start)
		}
	}
	slices.SortStableFunc(a.out.Alerts, func(x, y Alert) int { return severityOrder[x.Severity] - severityOrder[y.Severity] })
}

func pct(p float64) string { return num(p*100) + "%" }

// lastDrop reports whether the last two slope values fell.
func (a *assessor) lastDrop() bool {
	pts, _ := a.slopePoints(a.asOf.Add(-a.cfg.SlopeWindow), a.asOf)
	return len(pts) >= 2 && pts[len(pts)-1].EGFR < pts[len(pts)-2].EGFR
}

// sedimentAlert reads the latest urine microscopy visit in the current window.
func (a *assessor) sedimentAlert() {
	var last time.Time
	for _, an := range []units.Analyte{units.UrineRBC, units.UrineWBC} {
		if o, ok := a.current(an); ok && o.Time.After(last) {
			last = o.Time
		}
	}
	for _, f := range a.tl.Findings {
		if f.Code == record.FindingUrinaryCasts && !f.Time.After(a.asOf) && a.asOf.Sub(f.Time) <= a.cfg.CurrentWindow && f.Time.After(last) {
			last = f.Time
		}
	}
	if last.IsZero() {
		if a.lupusOn {
			a.miss("alerts.active-sediment", "no urine microscopy (RBC, WBC or casts) in the "+num(a.cfg.CurrentWindow.Hours()/24)+" days before as_of")
		}
		return
	}
	var what []string
	for _, s := range []struct {
		an   units.Analyte
		name string
	}{{units.UrineRBC, "RBC"}, {units.UrineWBC, "WBC"}} {
		if o, ok := a.nearestExact(s.an, last, visitTolerance); ok && o.Value.Value > 5 {
			what = append(what, num(o.Value.Value)+" "+s.name+"/hpf")
		}
	}
	if c := a.castsNear(last); c != nil && *c {
		what = append(what, "urinary casts")
	}
	if len(what) > 0 {
		msg := "active urinary sediment on " + date(last) + ":"
		for i, w := range what {
			if i > 0 {
				msg += ","
			}
			msg += " " + w
		}
		a.alert(AlertActiveSediment, Warning, msg+" (exclude infection, stones and menstruation)", srcSediment, last)
	}
}

// monitoringPerYear is the KDIGO 2012 monitoring frequency (times per year)
// by G and A category, as encoded in the GDL CKD_classification model
// (lupus.md §7.3 [V]); G3b A1 = 2 is read from the KDIGO 2012 figure [M];
// "≥ 4" is taken as 4.
var monitoringPerYear = map[ckd.G][3]float64{
	ckd.G1: {1, 1, 2}, ckd.G2: {1, 1, 2}, ckd.G3a: {1, 2, 3}, ckd.G3b: {2, 3, 3}, ckd.G4: {3, 3, 4}, ckd.G5: {4, 4, 4},
}

func (a *assessor) monitoring() {
	if a.onDialysis != nil {
		return
	}
	st := a.out.Kidney.Stage
	ckdKnown := a.hasCondition(record.CKD) || (st.G != nil && *st.G >= ckd.G3a) || (st.A != nil && *st.A >= ckd.A2)
	if !a.lupusOn && !ckdKnown {
		return
	}
	perYear := 1.0 // KDIGO 2024 PP 2.1.1: at least annually
	if st.G != nil {
		ai := 0
		if st.A != nil {
			ai = int(*st.A) - 1
		}
		perYear = monitoringPerYear[*st.G][ai]
	}
	interval := time.Duration(365.25 / perYear * float64(day))
	check := func(what string, ans []units.Analyte, every time.Duration, why string) {
		var last time.Time
		for _, an := range ans {
			if o, ok := a.tl.Latest(an, a.asOf); ok && o.Time.After(last) {
				last = o.Time
			}
		}
		switch {
		case last.IsZero():
			a.alert(AlertMonitoringOverdue, Info, "no "+what+" in the record; due every "+num(every.Hours()/24)+" days ("+why+")", srcMonitor, time.Time{})
		case a.asOf.Sub(last) > every:
			a.alert(AlertMonitoringOverdue, Info, what+" last measured "+date(last)+" ("+num(a.asOf.Sub(last).Hours()/24)+" days ago); due every "+num(every.Hours()/24)+" days ("+why+")", srcMonitor, last)
		}
	}
	stage := "stage unknown: at least annually"
	if st.G != nil {
		stage = st.G.String()
		if st.A != nil {
			stage += st.A.String()
		}
		stage += ": " + num(perYear) + " times a year"
	}
	check("creatinine", []units.Analyte{units.Creatinine}, interval, "KDIGO "+stage)
	if a.lupusOn {
		every, why := 92*day, "lupus nephritis before complete renal response: every 3 months (ACR 2024)"
		if a.response != nil && a.response.Response != nil && *a.response.Response == lupus.ResponseComplete {
			every, why = 183*day, "lupus nephritis in complete renal response: every 3-6 months (ACR 2024)"
		}
		check("UPCR", []units.Analyte{units.PCR, units.UrineProtein24h}, every, why)
	} else {
		check("ACR or UPCR", []units.Analyte{units.ACR, units.PCR, units.UrineProtein24h}, interval, "KDIGO "+stage)
	}
}

// anaemia applies the KDIGO 2012 anaemia thresholds to the latest
// haemoglobin in the current window, in the unit of report.
func (a *assessor) anaemia() {
	o, ok := a.current(units.Hemoglobin)
	if !ok {
		a.miss("alerts.anemia", "no haemoglobin in the "+num(a.cfg.CurrentWindow.Hours()/24)+" days before as_of")
		return
	}
	p := a.tl.Patient
	age, known := p.AgeAt(o.Time)
	if !known {
		a.miss("alerts.anemia", "age unknown: the anaemia threshold depends on age")
		return
	}
	var cut float64
	var who string
	switch {
	case ageYears(p.BirthDate, o.Time) < 0.5:
		a.miss("alerts.anemia", "KDIGO gives no threshold below 6 months of age")
		return
	case age < 5:
		cut, who = 11.0, "children 0.5-5 years"
	case age < 12:
		cut, who = 11.5, "children 5-12 years"
	case age <= 15:
		cut, who = 12.0, "children 12-15 years"
	case p.Sex == record.Male:
		cut, who = 13.0, "adult men"
	case p.Sex == record.Female:
		cut, who = 12.0, "adult women"
	default:
		// Sex unknown: below both adult thresholds is anaemia either way.
		cut, who = 12.0, "adults of either sex (sex unknown; the threshold for men is 13.0)"
		if o.Value.Value >= 12.0 && o.Value.Value < 13.0 {
			a.miss("alerts.anemia", "sex "+p.Sex.String()+": Hb "+o.Value.Text()+" is anaemia for men (< 13.0) but not for women (< 12.0)")
		}
	}
	q := reported(o)
	c := cut
	if q.Unit == units.GPerL {
		c = cut * 10
	}
	if q.Value < c {
		a.alert(AlertAnemia, Warning, "anaemia: Hb "+q.Text()+" on "+date(o.Time)+" is below "+num(c)+" "+string(q.Unit)+" ("+who+"); in SLE consider haemolysis before calling it anaemia of CKD", srcAnemia, o.Time)
	}
}
