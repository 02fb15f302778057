package assess

import (
	"strings"

	"renalwatch/ckd"
	"renalwatch/record"
	"renalwatch/units"
)

// labEGFRCode is what a LOINC code for a laboratory-reported eGFR names.
type labEGFRCode struct {
	equation string // the equation the code names; "" when it names none
	race     bool   // a race-specific legacy code (among blacks / non-blacks)
}

// labEGFRCodes names the equation of each LOINC code the importers map to
// units.EGFR. Each was checked against its LOINC long name as published in
// the HL7 CPG CKD "eGFR Lab Results" value set, the HL7 Switzerland lab
// report profiles and the OHDSI Athena listing of LOINC:
//
//	98979-8  ... by Creatinine-based formula (CKD-EPI 2021)
//	98980-6  ... by Creatinine and Cystatin C-based formula (CKD-EPI 2021)
//	62238-1  ... by Creatinine-based formula (CKD-EPI); the code predates 2021
//	88293-6  ... among blacks ... by Creatinine-based formula (CKD-EPI)
//	88294-4  ... among non-blacks ... by Creatinine-based formula (CKD-EPI)
//	33914-3  ... in Serum or Plasma by Creatinine-based formula (MDRD)
//	77147-7  ... in Serum, Plasma or Blood by Creatinine-based formula (MDRD)
//	76633-7  ... in Blood by Creatinine-based formula (MDRD)
//	48642-3  ... among non-blacks ... by Creatinine-based formula (MDRD)
//	48643-1  ... among blacks ... by Creatinine-based formula (MDRD)
//	50044-7  ... among females ... by Creatinine-based formula (MDRD)
//	70969-1  ... among males ... by Creatinine-based formula (MDRD)
//	50210-4  ... by Cystatin-based formula (the formula is not named)
//	69405-9  Glomerular filtration rate/1.73 sq M.predicted (no method)
//
// 94677-2 is mapped by the importer but its long name was not confirmed
// here: it is reported with no equation named.
var labEGFRCodes = map[string]labEGFRCode{
	"98979-8": {"CKD-EPI 2021 creatinine", false},
	"98980-6": {"CKD-EPI 2021 creatinine-cystatin C", false},
	"62238-1": {"CKD-EPI creatinine (version not named by the code; 2021 has its own code 98979-8)", false},
	"88293-6": {"CKD-EPI creatinine, value for Black patients (race coefficient)", true},
	"88294-4": {"CKD-EPI creatinine, value for non-Black patients", true},
	"33914-3": {"MDRD creatinine", false},
	"77147-7": {"MDRD creatinine", false},
	"76633-7": {"MDRD creatinine (blood)", false},
	"48642-3": {"MDRD creatinine, value for non-Black patients", true},
	"48643-1": {"MDRD creatinine, value for Black patients (race coefficient)", true},
	"50044-7": {"MDRD creatinine, among females", false},
	"70969-1": {"MDRD creatinine, among males", false},
	"50210-4": {"a cystatin C-based formula (not named by the code)", false},
	"69405-9": {"", false},
}

// reportedSource is kidney.egfr.source for a laboratory-reported eGFR.
const reportedSource = "laboratory-reported eGFR, used because no creatinine in the record gives a computed eGFR (RenalWatch prefers its own eGFR from creatinine when both exist); the laboratory's calculation cannot be checked here"

// reportedPoint returns the point of a laboratory-reported eGFR o and
// whether it can be used: a measured value (not a bound such as ">60").
func reportedPoint(o *record.Observation) (point, string) {
	if o.Comparator != record.Exact {
		return point{}, "the laboratory eGFR of " + date(o.Time) + " is reported as a bound (" + string(o.Comparator) + o.Value.Text() + "), not a value"
	}
	if u, ok := units.LookupUnit(o.SourceUnit()); ok && u == units.MLPerMin {
		// A store imported before 2026-12 holds eGFRs written in mL/min
		// relabelled as mL/min/1.73 m² (trial-cli #1); the importer now
		// skips them. Never used as an indexed eGFR.
		return point{}, "the laboratory eGFR of " + date(o.Time) + " was reported in mL/min, not mL/min/1.73 m²: a value not indexed to body surface area is not used as an eGFR"
	}
	code := o.SourceCode()
	r := &ReportedEGFR{ObservationID: o.ID, System: code.System, Code: code.Code, Display: code.Display, ResourceType: o.Provenance().ResourceType}
	if code.System == "" || strings.Contains(code.System, "loinc") {
		if c, ok := labEGFRCodes[code.Code]; ok {
			r.LabEquation, r.RaceSpecific = c.equation, c.race
		}
	}
	return point{obs: o, shown: true, value: o.Value.Value, eq: eqReported, reported: r}, ""
}

// reportedWarnings are the warnings shown with a reported eGFR.
func reportedWarnings(r *ReportedEGFR) []string {
	var w []string
	if r.LabEquation == "" {
		who := r.Origin()
		if r.Code == "" {
			who = "the source (" + who + ")"
		}
		w = append(w, who+" does not name the equation the laboratory used")
	}
	if r.RaceSpecific {
		w = append(w, r.Origin()+" is a race-specific legacy eGFR ("+r.LabEquation+"): race coefficients are no longer recommended (NKF-ASN Task Force 2021; KDIGO 2024 uses the race-free CKD-EPI 2021); the value may differ from a race-free eGFR by about 16-21%")
	}
	return w
}

// addReported adds the laboratory-reported eGFRs at or before asOf to
// a.points (in time order) when no creatinine of the present kidney state
// gives a computed eGFR (issue 7 item 8: "use a reported eGFR when no
// creatinine allows a computed one; a computed eGFR is preferred when both
// exist"). The preference is per record, not per day: a laboratory eGFR
// on a day without a creatinine in the record is not mixed into a
// computed series (in the shared Synthea data such values contradict the
// creatinines around them: 130-158 next to creatinine 2.6-3.4 mg/dL). A
// newer laboratory eGFR left out that way is named in missing. Values
// taken during dialysis are not used. It returns why the latest reported
// eGFR was not used, for missing, or "".
func (a *assessor) addReported() string {
	rep := a.upTo(units.EGFR)
	if len(rep) == 0 {
		return ""
	}
	var latest *point
	for i := range a.points {
		if p := &a.points[i]; p.shown && a.currentState(p.obs.Time) {
			latest = p
		}
	}
	if latest != nil {
		o := rep[len(rep)-1]
		if o.Time.After(latest.obs.Time) && a.currentState(o.Time) {
			return "a laboratory eGFR (" + ckd.EGFRText(o.Value.Value) + " " + o.Value.Unit.Display() + ", " +
				labEGFROrigin(o.SourceCode().System, o.SourceCode().Code, o.Provenance().ResourceType) + ") of " + date(o.Time) + " is newer than the latest computed eGFR, but no creatinine of that day is in the record: computed eGFRs are preferred and it is not used; check the creatinine behind it"
		}
		return ""
	}
	why := ""
	var add []point
	for i := range rep {
		o := &rep[i]
		why = ""
		if d := a.dialysisAt(o.Time); d != nil {
			why = "the laboratory eGFR of " + date(o.Time) + " was taken during dialysis (since " + date(d.start) + ")"
			continue
		}
		pt, w := reportedPoint(o)
		if w != "" {
			why = w
			continue
		}
		add = append(add, pt)
	}
	if len(add) == 0 {
		return why
	}
	merged := make([]point, 0, len(a.points)+len(add))
	i, j := 0, 0
	for i < len(a.points) || j < len(add) {
		if j == len(add) || (i < len(a.points) && !a.points[i].obs.Time.After(add[j].obs.Time)) {
			merged = append(merged, a.points[i])
			i++
		} else {
			merged = append(merged, add[j])
			j++
		}
	}
	a.points = merged
	return why
}

// eqName is an eGFR equation as messages write it: "laboratory-reported"
// for a reported eGFR.
func eqName(eq string) string {
	if eq == "reported" {
		return "laboratory-reported"
	}
	return eq
}

// labEGFROrigin names the source of a laboratory eGFR (ReportedEGFR.Origin):
// its code ("LOINC 33914-3"; another system's code with that system), or,
// without one, the kind of source it was read from.
func labEGFROrigin(system, code, resourceType string) string {
	switch {
	case code != "" && (system == "" || strings.Contains(system, "loinc")):
		return "LOINC " + code
	case code != "":
		return system + " code " + code
	case resourceType == "csv":
		return "a CSV row, no LOINC code"
	case resourceType != "":
		return "a " + resourceType + " without a LOINC code"
	}
	return "a source without a LOINC code"
}
