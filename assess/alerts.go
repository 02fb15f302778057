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
	AlertCKDG5                   = "ckd-g5"
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
	srcG4 = "KDIGO 2024 CKD guideline: G4 is eGFR 15-29 (KDIGO 2012 Table 5); referral to specialist kidney care at eGFR < 30 (KDIGO 2012 rec 5.1.1, kept in KDIGO 2024)"
	// srcG5: G5 (kidney failure) is eGFR < 15 mL/min/1.73 m² (KDIGO 2012
	// CKD guideline Table 5, kept in KDIGO 2024; kidney.md §4).
	srcG5        = "KDIGO 2024 CKD guideline: G5 (kidney failure) is eGFR < 15 (KDIGO 2012 Table 5); referral to specialist kidney care at eGFR < 30 (KDIGO 2012 rec 5.1.1, kept in KDIGO 2024)"
	srcKFRE5y    = "KDIGO 2024 CKD guideline practice point 2.2.1: a 5-year kidney failure risk of 3%-5% can be used to determine need for nephrology referral (RenalWatch applies the configured threshold, default 5%)"
	srcKFRE2y10  = "KDIGO 2024 CKD guideline practice point 2.2.2: 2-year kidney failure risk > 10% to time multidisciplinary care"
	srcKFRE2y40  = "KDIGO 2024 CKD guideline practice point 2.2.3: 2-year kidney failure risk > 40% to start modality education and kidney replacement therapy preparation"
	srcRapid     = "KDIGO 2012 CKD guideline rec 2.1.3: rapid progression is a sustained decline in eGFR of more than 5 mL/min/1.73 m²/year"
	srcNephrotic = "Nephrotic-range proteinuria: 24-h protein >= 3.5 g/day or UPCR >= 3 g/g (>= 300 mg/mmol; the threshold of the LN trials) (Nat Rev Dis Primers 2020;6:68, Table 1 clinical definitions)"
	srcSediment  = "SLEDAI-2K haematuria, pyuria and urinary casts items (Gladman DD et al. J Rheumatol 2002;29:288-91) and KDIGO 2012 GN guideline Table 29"
	srcAnemia    = "KDIGO 2012 Anemia in CKD guideline rec 1.2.1: Hb < 13.0 g/dL adult men, < 12.0 g/dL adult women (age > 15); children < 11.0 (0.5-5 y), < 11.5 (5-12 y), < 12.0 (12-15 y)"
	srcK         = "local protocol (the KDIGO 2024 CKD guideline gives no single potassium cut-off): thresholds are configurable"
	// The monitoring sources: the KDIGO frequency for the creatinine and
	// for ACR/UPCR by stage; the ACR 2024 intervals for UPCR in lupus.
	srcMonitor   = "KDIGO 2024 CKD guideline monitoring frequency table (KDIGO 2012 Figure 9: times per year by G and A category; G4-G5 at least 3 times a year) and KDIGO 2024 PP 2.1.1 (at least annually)"
	srcMonitorLN = "ACR (American College of Rheumatology) 2024 lupus nephritis guideline: proteinuria at least every 3 months until complete renal response, every 3-6 months after; SLE without known kidney disease, proteinuria screening at least every 6-12 months"
)

var severityOrder = map[Severity]int{Critical: 0, Warning: 1, Info: 2}

func (a *assessor) alert(code string, sev Severity, msg, src string, at time.Time) {
	a.alertT(code, sev, str(msg), src, at)
}

// alertT is alert with a message that quotes quantities (text).
func (a *assessor) alertT(code string, sev Severity, msg text, src string, at time.Time) {
	al := Alert{Code: code, Severity: sev, Message: msg.s, Source: src, Quotes: msg.quotes()}
	if !at.IsZero() {
		al.Date = ptr(at)
	}
	a.out.Alerts = append(a.out.Alerts, al)
}

// current returns the latest measured value of an analyte within its
// window before asOf (window), if that value describes the present kidney
// state: not from before the latest transplant, nor from a dialysis period
// that has ended (currentState). When the latest value is excluded for that
// reason nothing earlier is used either: earlier values are older still.
func (a *assessor) current(an units.Analyte) (record.Observation, bool) {
	o, ok := a.latestExact(an, a.asOf, a.window(an))
	if !ok || !a.currentState(o.Time) {
		return record.Observation{}, false
	}
	return o, true
}

// window is how old a value of an analyte may be and still be current:
// the per-analyte windows of Config (potassium, haemoglobin, systolic
// BP), each capped by CurrentWindow, else CurrentWindow.
func (a *assessor) window(an units.Analyte) time.Duration {
	w := a.cfg.CurrentWindow
	var own time.Duration
	switch an {
	case units.Potassium:
		own = a.cfg.PotassiumWindow
	case units.Hemoglobin:
		own = a.cfg.HemoglobinWindow
	case units.SystolicBP:
		own = a.cfg.BPWindow
	}
	if own > 0 && own < w {
		w = own
	}
	return w
}

// notCurrent explains in words why current(an) found nothing, for missing.
func (a *assessor) notCurrent(an units.Analyte, what string) string {
	w := num(a.window(an).Hours() / 24)
	if o, ok := a.latestExact(an, a.asOf, a.window(an)); ok && !a.currentState(o.Time) {
		return "the latest " + what + " (" + date(o.Time) + ") " + a.stateReason(o.Time) + ": it does not describe the present state"
	}
	msg := "no " + what + " in the " + w + " days before as_of"
	if o, ok := a.latestExact(an, a.asOf, 0); ok {
		msg += " (the latest is from " + date(o.Time) + ")"
	}
	return msg
}

// stale reports whether a result taken at t is older than CurrentWindow
// and, if so, records why the alert at path was not judged.
func (a *assessor) stale(path, what string, t time.Time) bool {
	if inWindow(a.asOf, t, a.cfg.CurrentWindow) {
		return false
	}
	// Trial-cli #12: printed under the monitoring alerts that the same old
	// value raises ("last measured ...; due every N days"), the reason
	// says which alerts were not judged and that those were.
	still := "; monitoring alerts are still raised"
	if a.tl.Patient.DeadAt(a.asOf) {
		still = "" // no alert is raised after death (assess.go)
	}
	a.miss(path, "not judged, as "+what+" is from "+date(t)+", "+num(a.asOf.Sub(t).Hours()/24)+" days before as_of (older than "+num(a.cfg.CurrentWindow.Hours()/24)+" days)"+still)
	return true
}

func (a *assessor) alerts() {
	k := &a.out.Kidney
	// Kidney function.
	// G4 is eGFR 15-29 and G5 eGFR < 15 (KDIGO 2012 CKD guideline Table
	// 5, kept in KDIGO 2024): one code per category, so that filters and
	// CDS feedback counts of ckd-g4 do not mix in kidney failure.
	// No G category, no G4/G5 alert: under 2 years the categories do not
	// apply (ckd.GCategoryMinAge; the stage's missing entry says why).
	if a.latest != nil && k.Stage.GNotApplicable == "" && a.latest.value < 30 {
		code, sev, msg, src := AlertCKDG4, Warning, "CKD G4: eGFR "+a.egfrLabel()+" is below 30 "+units.MLPerMinBSA.Display(), srcG4
		if a.latest.value < 15 {
			code, sev, msg, src = AlertCKDG5, Critical, "CKD G5 (kidney failure): eGFR "+a.egfrLabel()+" is below 15 "+units.MLPerMinBSA.Display(), srcG5
		}
		if !a.stale("alerts."+code, "the latest eGFR", a.latest.obs.Time) {
			a.alert(code, sev, msg, src, a.latest.obs.Time)
		}
	}
	if r := k.KFRE; r != nil {
		var at time.Time // the eGFR entered
		if a.latest != nil {
			at = a.latest.obs.Time
		}
		caveat := "" // trial-cli #4 (steadystate.go)
		if a.unsteady != "" {
			caveat = unsteadyAlert
		}
		if r.Risk5y >= a.cfg.KFRE5yReferral {
			a.alert(AlertKFRE5yReferral, Warning, "5-year kidney failure risk "+riskPct(r.Risk5y)+" (KFRE "+num(float64(r.Variables))+"-variable, eGFR "+ckd.EGFRText(r.Inputs.EGFR)+" ("+eqName(r.EGFREquation)+", "+date(r.EGFRDate)+"), ACR "+r.ACRSource+") is at or above "+pct(a.cfg.KFRE5yReferral)+": nephrology referral criterion"+caveat, srcKFRE5y, at)
		}
		if r.Risk2y > a.cfg.KFRE2yMultidisciplinary {
			a.alert(AlertKFRE2yMultidisciplinary, Warning, "2-year kidney failure risk "+riskPct(r.Risk2y)+" is above "+pct(a.cfg.KFRE2yMultidisciplinary)+", the 2-year risk above which KDIGO 2024 (practice point 2.2.2) suggests multidisciplinary care"+caveat, srcKFRE2y10, at)
		}
		if r.Risk2y > a.cfg.KFRE2yKRTPlanning {
			// Trial-cli #4: while creatinine is not in steady state the risk
			// is outside the KFRE's validation (steadystate.go); the fall
			// itself is raised (egfr-drop, ckd-g5), and planning access for
			// a kidney that may recover is not the first step: warning.
			// RenalWatch informs, never prescribes (trial 3 #7): the message
			// states the guideline's threshold, not an order.
			sev, msg := Critical, "2-year kidney failure risk "+riskPct(r.Risk2y)+" is above "+pct(a.cfg.KFRE2yKRTPlanning)+", the 2-year risk above which KDIGO 2024 (practice point 2.2.3) suggests preparing for kidney replacement therapy (modality education, vascular access, transplant referral)"
			if a.unsteady != "" {
				sev, msg = Warning, msg+caveat
			}
			a.alert(AlertKFRE2yKRTPlanning, sev, msg, srcKFRE2y40, at)
		}
	}
	// Progression alerts are dated by the last eGFR of the slope window and
	// judged only when it is current.
	pts, _ := a.slopePoints(a.asOf.Add(-a.cfg.SlopeWindow), a.asOf)
	for _, p := range k.Progression {
		switch {
		case p.Rule == ckd.KDIGO2012Rapid && p.Met && !a.stale("alerts."+AlertRapidProgression, "the latest eGFR of the slope", k.Slope.To):
			a.alert(AlertRapidProgression, Warning, "rapid eGFR decline: "+p.Detail, srcRapid, k.Slope.To)
		case p.Rule == ckd.KDIGO2024Change && p.Met && lastDrop(pts) && !a.stale("alerts."+AlertEGFRDrop, "the latest eGFR", pts[len(pts)-1].Time):
			a.alert(AlertEGFRDrop, Warning, "eGFR fall beyond expected variability: "+p.Detail, p.Source, pts[len(pts)-1].Time)
		}
	}
	// SLE without known lupus nephritis: the biopsy prompt reads the eGFR
	// alerts above and comes before the proteinuria alerts it summarises.
	a.lnEvaluation()
	// Proteinuria and sediment.
	a.nephroticAlert()
	a.albuminuriaReferral()
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
		a.alertT(AlertRenalFlare, sev, a.cat(str(desc+" on "+date(f.Date)+" by rule "+string(f.Rule)+": UPCR "), labT(units.PCR, f.BaselineUPCR), str(" to "), labT(units.PCR, f.UPCR)), f.Source, f.Date)
	}
	if r := a.response; r != nil && r.Response != nil && (*r.Response == lupus.ResponseNone || *r.Response == lupus.NonResponder) {
		a.noResponseAlert(r)
	}
	a.monitoring()
	a.anaemia()
	a.bpAlert()
	if o, ok := a.current(units.Potassium); !ok {
		if _, seen := a.latestExact(units.Potassium, a.asOf, 0); seen {
			a.miss("alerts.hyperkalemia", a.notCurrent(units.Potassium, "potassium"))
		}
	} else {
		crit, _ := units.Potassium.Convert(a.cfg.PotassiumCritical, units.MmolPerL)
		high, _ := units.Potassium.Convert(a.cfg.PotassiumHigh, units.MmolPerL)
		switch {
		case o.Value.Value >= crit.Value:
			a.alertT(AlertHyperkalemia, Critical, a.cat(str("potassium "), labT(units.Potassium, o.Value, crit.Value, high.Value), str(" on "+date(o.Time)+" is at or above "+qtext(crit))), srcK, o.Time)
		case o.Value.Value > high.Value:
			a.alertT(AlertHyperkalemia, Warning, a.cat(str("potassium "), labT(units.Potassium, o.Value, crit.Value, high.Value), str(" on "+date(o.Time)+" is above "+qtext(high))), srcK, o.Time)
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
		kind := record.ReplacementTitle(r.Kind) // "peritoneal dialysis", not the code peritoneal_dialysis
		msg := kind + " since " + date(r.Start) + " (ongoing"
		if r.End != nil {
			msg = kind + " from " + date(r.Start) + " to " + date(*r.End) + " (ended"
		}
		if r.Events == 1 {
			msg += ", 1 session or episode recorded)"
		} else {
			msg += ", " + num(float64(r.Events)) + " sessions or episodes recorded)"
		}
		switch {
		case periods == 2:
			msg += "; 1 earlier dialysis period in kidney.replacement"
		case periods > 2:
			msg += "; " + num(float64(periods-1)) + " earlier dialysis periods in kidney.replacement"
		}
		a.alert(AlertKidneyReplacement, Info, msg, "kidney replacement event in the record (KDIGO 2024: G5D on dialysis)", r.Start)
	}
	for _, t := range a.out.Therapies {
		if t.Evidence.Unestablished() {
			a.alert(AlertInvestigationalTherapy, Warning, t.Name+" (started "+date(t.Start)+"): evidence "+string(t.Evidence)+" - "+t.EvidenceNote+"; a change after it cannot be attributed to it", t.EvidenceSource, t.Start)
		}
	}
	slices.SortStableFunc(a.out.Alerts, func(x, y Alert) int { return severityOrder[x.Severity] - severityOrder[y.Severity] })
}

func derefTime(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}

func pct(p float64) string { return num(p*100) + "%" }

// lastDrop reports whether the last two slope values fell.
func lastDrop(pts []ckd.Point) bool {
	return len(pts) >= 2 && pts[len(pts)-1].EGFR < pts[len(pts)-2].EGFR
}

// nephroticCuts are the nephrotic-range UPCR of each unit (Quote.Cuts):
// 3 g/g, 3000 mg/g and 300 mg/mmol, the pairing of the LN trials and of
// KDIGO (300 mg/mmol is 2.65 g/g).
var nephroticCuts = []units.Quantity{units.Q(3, units.GPerG), units.Q(3000, units.MgPerG), units.Q(300, units.MgPerMmol)}

// nephroticAlert raises one nephrotic-proteinuria alert for the latest
// proteinuria visit (the latest current UPCR or 24-h protein, with the
// other measure within visitTolerance of it), naming every measure that
// met its threshold (review 2 item 12): UPCR >= 3 g/g (3000 mg/g, 300
// mg/mmol) in the unit of report, 24-h protein >= 3.5 g/day (lupus.md §6).
func (a *assessor) nephroticAlert() {
	pcr, okP := a.current(units.PCR)
	p24, ok24 := a.current(units.UrineProtein24h)
	var visit time.Time
	switch {
	case okP && (!ok24 || !p24.Time.After(pcr.Time)):
		visit = pcr.Time
	case ok24:
		visit = p24.Time
	default:
		return
	}
	var what []text
	var last time.Time
	if okP && visit.Sub(pcr.Time) <= visitTolerance {
		q := reported(pcr)
		cut := map[units.Unit]float64{units.GPerG: 3, units.MgPerG: 3000, units.MgPerMmol: 300}[q.Unit]
		if cut > 0 && q.Value >= cut {
			what, last = append(what, a.cat(str("UPCR "), labT(units.PCR, q, cut).withCuts(nephroticCuts), str(" on "+date(pcr.Time)))), pcr.Time
		}
	}
	if ok24 && visit.Sub(p24.Time) <= visitTolerance && p24.Value.Value >= 3.5 {
		what = append(what, str("24-h protein "+qtext(p24.Value)+" on "+date(p24.Time)))
		if p24.Time.After(last) {
			last = p24.Time
		}
	}
	if len(what) == 0 {
		return
	}
	msg := a.cat(str("nephrotic-range proteinuria: "), what[0])
	if len(what) > 1 {
		msg = a.cat(msg, str(" and "), what[1])
	}
	a.alertT(AlertNephroticProteinuria, Warning, msg, srcNephrotic, last)
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
	// Overdue monitoring is a warning at G4-G5, where the KDIGO
	// monitoring frequency grid (KDIGO 2012 CKD guideline Figure 9, kept
	// in the KDIGO 2024 CKD guideline) asks for 3 to at least 4
	// measurements a year and a missed one leaves kidney failure
	// unplanned (trial #4: a G4 patient unseen for 5.7 years was info);
	// info elsewhere.
	sev, sevWhy := Info, ""
	if st.G != nil && *st.G >= ckd.G4 {
		sev, sevWhy = Warning, "; overdue at G4-G5 is a warning"
	}
	check := func(what string, ans []units.Analyte, every time.Duration, why, src string) {
		var last time.Time
		for _, an := range ans {
			if obs := a.upTo(an); len(obs) > 0 && obs[len(obs)-1].Time.After(last) {
				last = obs[len(obs)-1].Time
			}
		}
		if !last.IsZero() && a.asOf.Sub(last) <= every {
			return
		}
		due := &Due{What: what, Analytes: ans, Last: last, Interval: "due every " + wholeDays(every) + " days (" + why + sevWhy + ")"}
		msg := "no " + what + " in the record; " + due.Interval
		if !last.IsZero() {
			msg = what + " last measured " + date(last) + " (" + wholeDays(a.asOf.Sub(last)) + " days ago); " + due.Interval
		}
		a.alert(AlertMonitoringOverdue, sev, msg, src, last) // no date when last is zero
		a.out.Alerts[len(a.out.Alerts)-1].Due = due
	}
	stage := "stage unknown: at least annually"
	if st.G != nil {
		stage = st.G.String()
		if st.A != nil {
			stage += st.A.String()
		}
		stage += ": " + timesAYear(perYear)
	}
	// A laboratory-reported eGFR is a creatinine measured elsewhere.
	check("creatinine (or laboratory eGFR)", []units.Analyte{units.Creatinine, units.EGFR}, interval, "KDIGO "+stage, srcMonitor)
	switch {
	case a.lupusOn && a.knownNephritis():
		every, why := a.lnProteinuriaEvery()
		check("UPCR", []units.Analyte{units.PCR, units.UrineProtein24h}, every, why, srcMonitorLN)
	case a.lupusOn:
		check("UPCR", []units.Analyte{units.PCR, units.UrineProtein24h}, sleScreenEvery, "SLE without known lupus nephritis: proteinuria screening at least every 6-12 months by the ACR (American College of Rheumatology) 2024 lupus nephritis guideline", srcMonitorLN)
		if ckdKnown && interval < sleScreenEvery {
			check("ACR or UPCR", []units.Analyte{units.ACR, units.PCR, units.UrineProtein24h}, interval, "KDIGO "+stage, srcMonitor)
		}
	default:
		check("ACR or UPCR", []units.Analyte{units.ACR, units.PCR, units.UrineProtein24h}, interval, "KDIGO "+stage, srcMonitor)
	}
}

// timesAYear spells a monitoring frequency: "once a year", "twice a
// year", "3 times a year" (trial #28: not "1 times a year").
func timesAYear(n float64) string {
	switch n {
	case 1:
		return "once a year"
	case 2:
		return "twice a year"
	}
	return num(n) + " times a year"
}

// anaemia applies the KDIGO 2012 anaemia thresholds to the latest
// haemoglobin in the current window, in the unit of report.
func (a *assessor) anaemia() {
	o, ok := a.current(units.Hemoglobin)
	if !ok {
		a.miss("alerts.anemia", a.notCurrent(units.Hemoglobin, "haemoglobin"))
		return
	}
	p := a.tl.Patient
	if _, known := p.AgeAt(o.Time); !known {
		a.miss("alerts.anemia", "age unknown: the anaemia threshold depends on age")
		return
	}
	for _, boundary := range []int{5, 12, 15, 16} {
		if a.ageBandUncertain(o.Time, boundary) {
			a.miss("alerts.anemia", "birth date known to the "+p.BirthPrecision.String()+" only: the KDIGO anaemia band at this age is uncertain")
			return
		}
	}
	// Exact age at the sample, by calendar (not whole years): KDIGO's
	// adult bands are "age > 15" years, so a boy of 15.5 is an adult here
	// (review 2 item 16); on the 15th birthday itself he is still in the
	// 12-15 band. Each band's lower bound is its birthday.
	b := p.BirthDate
	var cut float64
	var who string
	switch t := o.Time; {
	case t.Before(b.AddDate(0, 6, 0)):
		a.miss("alerts.anemia", "KDIGO gives no threshold below 6 months of age")
		return
	case t.Before(b.AddDate(5, 0, 0)):
		cut, who = 11.0, "children 0.5-5 years"
	case t.Before(b.AddDate(12, 0, 0)):
		cut, who = 11.5, "children 5-12 years"
	case !t.After(b.AddDate(15, 0, 0)):
		cut, who = 12.0, "children 12-15 years"
	case p.Sex == record.Male:
		cut, who = 13.0, "adult men"
	case p.Sex == record.Female:
		cut, who = 12.0, "adult women"
	default:
		// Sex unknown: below both adult thresholds is anaemia either way.
		cut, who = 12.0, "adults of either sex (sex unknown; the threshold for men is 13.0)"
		if o.Value.Value >= 12.0 && o.Value.Value < 13.0 {
			a.miss("alerts.anemia", "sex "+p.Sex.String()+": Hb "+qtext(o.Value)+" is anaemia for men (< 13.0) but not for women (< 12.0)")
		}
	}
	q := reported(o)
	c := cut
	if q.Unit == units.GPerL {
		c = cut * 10
	}
	if q.Value < c {
		// The haemolysis clause only where the record shows lupus (trial
		// 5 #5: it was said to patients without SLE); KDIGO 2012 Anemia
		// rec 1.2.1 itself names no cause.
		why := ")"
		if a.hasCondition(record.SLE) || a.hasCondition(record.LupusNephritis) {
			why = "); in SLE, haemolysis is a cause other than CKD"
		}
		a.alertT(AlertAnemia, Warning, a.cat(str("anaemia: Hb "), labT(units.Hemoglobin, q, c), str(" on "+date(o.Time)+" is below "), thresholdT(units.Hemoglobin, units.Q(c, q.Unit)), str(" ("+who+why)), srcAnemia, o.Time)
	}
}
