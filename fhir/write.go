package fhir

import (
	"crypto/sha256"
	"encoding/hex"
	"iter"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"renalwatch/assess"
	"renalwatch/record"
	"renalwatch/units"
)

// Codes and systems written in report bundles.
const (
	// LOINCEGFRCKDEPI2021 is the eGFR by the CKD-EPI 2021 creatinine
	// equation, per 1.73 m2 (docs/fhir.md, (v)).
	LOINCEGFRCKDEPI2021 = "98979-8"
	// LOINCEGFRCKDEPI2021Cys is the eGFR by the CKD-EPI 2021 creatinine and
	// cystatin C equation (docs/fhir.md, (v)).
	LOINCEGFRCKDEPI2021Cys = "98980-6"
	// LOINCEGFRCKDEPI2009 is the eGFR by the CKD-EPI (2009) creatinine
	// equation (docs/fhir.md, (v)).
	LOINCEGFRCKDEPI2009 = "62238-1"

	// SystemEquation names the RenalWatch equation that computed a value; it
	// is written on every computed eGFR, with or without a LOINC code.
	// An eGFR read back with this code is stored with it as its source
	// code, never as a laboratory eGFR (assess.ComputedEarlier).
	SystemEquation = assess.ComputedEGFRSystem
	// SystemAlert holds the stable RenalWatch alert codes (docs/report.md).
	SystemAlert = "urn:renalwatch:alert"

	systemObsCategory = "http://terminology.hl7.org/CodeSystem/observation-category"
	ucumMLMinBSA      = "mL/min/{1.73_m2}"
)

// equationLOINC gives the LOINC code of the equations that have one. The
// other equations (EKFC, CKiD U25, bedside Schwartz) have no LOINC code in
// docs/fhir.md; their Observations carry only the RenalWatch equation code
// and a text, never a borrowed LOINC code that names another formula.
var equationLOINC = map[string]struct{ code, display string }{
	"ckd-epi-2021":     {LOINCEGFRCKDEPI2021, "Glomerular filtration rate/1.73 sq M.predicted [Volume Rate/Area] in Serum, Plasma or Blood by Creatinine-based formula (CKD-EPI 2021)"},
	"ckd-epi-2021-cys": {LOINCEGFRCKDEPI2021Cys, "Glomerular filtration rate/1.73 sq M.predicted [Volume Rate/Area] in Serum, Plasma or Blood by Creatinine and Cystatin C-based formula (CKD-EPI 2021)"},
	"ckd-epi-2009":     {LOINCEGFRCKDEPI2009, "Glomerular filtration rate/1.73 sq M.predicted [Volume Rate/Area] in Serum, Plasma or Blood by Creatinine-based formula (CKD-EPI)"},
}

// The write-side FHIR elements; every field is omitted when empty.
type (
	outCoding struct {
		System  string `json:"system,omitempty"`
		Code    string `json:"code,omitempty"`
		Display string `json:"display,omitempty"`
	}
	outConcept struct {
		Coding []outCoding `json:"coding,omitempty"`
		Text   string      `json:"text,omitempty"`
	}
	outRef struct {
		Reference string `json:"reference,omitempty"`
		Display   string `json:"display,omitempty"`
	}
	outQuantity struct {
		Value  float64 `json:"value"`
		Unit   string  `json:"unit,omitempty"`
		System string  `json:"system,omitempty"`
		Code   string  `json:"code,omitempty"`
	}
	outRange struct {
		High *outQuantity `json:"high,omitempty"`
	}
	outPrediction struct {
		Outcome            *outConcept `json:"outcome,omitempty"`
		ProbabilityDecimal float64     `json:"probabilityDecimal"`
		WhenRange          *outRange   `json:"whenRange,omitempty"`
	}
	outAnnotation struct {
		Text string `json:"text"`
	}
)

// Resource is one resource written in a report Bundle.
type Resource struct {
	ResourceType string `json:"resourceType"`
	ID           string `json:"id"`
	Status       string `json:"status,omitempty"`

	Category          []outConcept    `json:"category,omitempty"`
	Code              *outConcept     `json:"code,omitempty"`
	Subject           *outRef         `json:"subject,omitempty"`
	Patient           *outRef         `json:"patient,omitempty"`
	EffectiveDateTime string          `json:"effectiveDateTime,omitempty"`
	ValueQuantity     *outQuantity    `json:"valueQuantity,omitempty"`
	Method            *outConcept     `json:"method,omitempty"`
	DerivedFrom       []outRef        `json:"derivedFrom,omitempty"`
	Note              []outAnnotation `json:"note,omitempty"`

	// RiskAssessment
	OccurrenceDateTime string          `json:"occurrenceDateTime,omitempty"`
	Prediction         []outPrediction `json:"prediction,omitempty"`
	Basis              []outRef        `json:"basis,omitempty"`

	// DetectedIssue
	Severity           string `json:"severity,omitempty"`
	IdentifiedDateTime string `json:"identifiedDateTime,omitempty"`
	Detail             string `json:"detail,omitempty"`
}

// Bundle is a FHIR R4 Bundle of type collection.
type Bundle struct {
	ResourceType string  `json:"resourceType"`
	ID           string  `json:"id"`
	Type         string  `json:"type"`
	Timestamp    string  `json:"timestamp"`
	Entry        []Entry `json:"entry"`
}

// Entry is one Bundle entry.
type Entry struct {
	FullURL  string   `json:"fullUrl"`
	Resource Resource `json:"resource"`
}

// ReportBundle writes an assessment as a FHIR R4 collection Bundle:
//   - one Observation per computed eGFR (LOINC 98979-8 for CKD-EPI 2021
//     creatinine, 98980-6 for the creatinine-cystatin form, 62238-1 for
//     CKD-EPI 2009; other equations by their RenalWatch equation code only),
//     in mL/min/{1.73_m2}, derivedFrom the creatinine Observation and with
//     the equation and its source as the method;
//   - one RiskAssessment for the KFRE, with the 2- and 5-year probabilities
//     of kidney failure, the model, calibration and ACR source in method
//     and note, and as basis the eGFR Observation of this bundle that
//     gave the KFRE's eGFR, its creatinine, and the ACR or UPCR
//     Observation the KFRE used when tl is given and it can be identified;
//   - one DetectedIssue per alert, its code in urn:renalwatch:alert, its
//     severity mapped critical→high, warning→moderate, info→low,
//     identifiedDateTime the date of the result that raised it (the
//     assessment's as-of time when the alert has no date), and its
//     message and source in detail.
//
// tl is the record the assessment was made from; it may be nil, and then
// the RiskAssessment's basis lacks the ACR or UPCR.
//
// The output depends only on its inputs. Every resource's id is a
// name-based UUID (RFC 4122 version 5) of what identifies it (the patient,
// the creatinine and equation of an eGFR; the as-of time, code, date and
// message of an alert), and its fullUrl is urn:uuid:<id>; ids are unique
// within the bundle (FHIR bdl-7) even when two alerts share a code. The
// timestamp is the assessment's as-of time.
func ReportBundle(a assess.Assessment, tl *record.Timeline) Bundle {
	b := reportHead(a)
	for e := range reportEntries(a, tl) {
		b.Entry = append(b.Entry, e)
	}
	return b
}

// reportHead is the report Bundle of a without its entries.
func reportHead(a assess.Assessment) Bundle {
	return Bundle{ResourceType: "Bundle", ID: derivedID("report", a.Patient.ID, stamp(a.AsOf)), Type: "collection", Timestamp: stamp(a.AsOf)}
}

// reportEntries yields the entries of the report Bundle of a, in order, one
// at a time (ReportBundle and WriteReportBundle both take them from here);
// it holds no entry once yielded, only the set of ids written so far.
func reportEntries(a assess.Assessment, tl *record.Timeline) iter.Seq[Entry] {
	return func(yield func(Entry) bool) {
		pid := a.Patient.ID
		patient := &outRef{Reference: "Patient/" + pid}
		ns := reportNamespace()
		seen := map[[16]byte]bool{}
		// newID returns the UUID of the name parts; a name met before (two
		// identical alerts) gets an occurrence number so the id stays unique.
		newID := func(parts ...string) string {
			name := strings.Join(parts, "\x00")
			u := nameUUID(ns, name)
			for n := 2; seen[u]; n++ {
				u = nameUUID(ns, name+"\x00"+strconv.Itoa(n))
			}
			seen[u] = true
			return formatUUID(u)
		}
		entry := func(r Resource) Entry { return Entry{FullURL: "urn:uuid:" + r.ID, Resource: r} }
		kfreIdx := kfreEGFRIndex(a) // the point the KFRE's basis names
		kfreURL := ""               // fullUrl of that point
		for i, p := range a.Kidney.Series.All() {
			if p.Value == nil {
				continue
			}
			code := outConcept{
				Coding: []outCoding{{System: SystemEquation, Code: p.Equation}},
				Text:   "eGFR (" + p.Equation + ")",
			}
			if l, ok := equationLOINC[p.Equation]; ok {
				code.Coding = append([]outCoding{{System: systemLOINC, Code: l.code, Display: l.display}}, code.Coding...)
			}
			r := Resource{
				ResourceType:      "Observation",
				ID:                newID("egfr", pid, p.ObservationID, p.Equation, stamp(p.Date)),
				Status:            "final",
				Category:          []outConcept{{Coding: []outCoding{{System: systemObsCategory, Code: "laboratory"}}}},
				Code:              &code,
				Subject:           patient,
				EffectiveDateTime: stamp(p.Date),
				ValueQuantity:     &outQuantity{Value: *p.Value, Unit: ucumMLMinBSA, System: systemUCUM, Code: ucumMLMinBSA},
				// The equation's code in method too, so that a receiver
				// that keeps only the LOINC coding of code still says who
				// computed the value (the reader recognises either).
				Method: &outConcept{Coding: []outCoding{{System: SystemEquation, Code: p.Equation}}, Text: "computed by RenalWatch with " + p.Equation},
			}
			// derivedFrom names exactly the markers the value was computed from
			// (assess EGFRPoint.Markers): a cystatin-only value (ckid-u25-cys)
			// does not claim the creatinine.
			usesCreatinine := len(p.Markers) == 0 || slices.Contains(p.Markers, "creatinine")
			if p.ObservationID != "" && usesCreatinine {
				r.DerivedFrom = append(r.DerivedFrom, outRef{Reference: p.ObservationID, Display: "creatinine " + humanQ(p.Creatinine)})
			}
			if p.CystatinObservationID != "" && p.CystatinC != nil {
				r.DerivedFrom = append(r.DerivedFrom, outRef{Reference: p.CystatinObservationID, Display: "cystatin C " + humanQ(*p.CystatinC)})
			}
			for _, w := range append(append([]string(nil), p.Notes...), p.Warnings...) {
				r.Note = append(r.Note, outAnnotation{Text: w})
			}
			if i == kfreIdx {
				kfreURL = "urn:uuid:" + r.ID
			}
			if !yield(entry(r)) {
				return
			}
		}
		if k := a.Kidney.KFRE; k != nil {
			outcome := &outConcept{Text: "kidney failure (treatment by dialysis or kidney transplant)"}
			years := func(n float64) *outRange {
				return &outRange{High: &outQuantity{Value: n, Unit: "years", System: systemUCUM, Code: "a"}}
			}
			r := Resource{
				ResourceType:       "RiskAssessment",
				ID:                 newID("kfre", pid, stamp(a.AsOf)),
				Status:             "final",
				Subject:            patient,
				OccurrenceDateTime: stamp(a.AsOf),
				Method:             &outConcept{Text: "Kidney Failure Risk Equation, " + strconv.Itoa(k.Variables) + "-variable, " + k.Region.String() + " calibration; " + k.Source},
				Prediction: []outPrediction{
					{Outcome: outcome, ProbabilityDecimal: k.Risk2y, WhenRange: years(2)},
					{Outcome: outcome, ProbabilityDecimal: k.Risk5y, WhenRange: years(5)},
				},
				Basis: kfreBasis(a, tl, kfreIdx, kfreURL),
				Note:  []outAnnotation{{Text: "ACR " + k.ACRSource + ": " + humanQ(k.ACR)}},
			}
			if k.ACRNote != "" {
				r.Note = append(r.Note, outAnnotation{Text: k.ACRNote})
			}
			for _, w := range k.Warnings {
				r.Note = append(r.Note, outAnnotation{Text: w})
			}
			if !yield(entry(r)) {
				return
			}
		}
		for _, al := range a.Alerts {
			when, date, detail := a.AsOf, "", al.Message
			if al.Date != nil {
				when, date = *al.Date, stamp(*al.Date)
				detail += " (result of " + al.Date.UTC().Format(time.DateOnly) + "; assessed as of " + a.AsOf.UTC().Format(time.DateOnly) + ")"
			}
			r := Resource{
				ResourceType:       "DetectedIssue",
				ID:                 newID("alert", pid, stamp(a.AsOf), al.Code, date, al.Message),
				Status:             "final",
				Code:               &outConcept{Coding: []outCoding{{System: SystemAlert, Code: al.Code}}, Text: al.Code},
				Severity:           issueSeverity(al.Severity),
				Patient:            patient,
				IdentifiedDateTime: stamp(when),
				Detail:             detail + " Source: " + al.Source,
			}
			if !yield(entry(r)) {
				return
			}
		}
	}
}

// kfreEGFRIndex is the index in a's eGFR series of the point whose
// Observation a KFRE RiskAssessment names as its basis: the latest computed
// point on the date of the eGFR the KFRE entered (kidney.egfr), or -1 when
// there is none or that eGFR was the laboratory's own.
func kfreEGFRIndex(a assess.Assessment) int {
	e := a.Kidney.EGFR
	if e == nil || e.Reported != nil {
		return -1
	}
	for i := a.Kidney.Series.Len() - 1; i >= 0; i-- {
		if p := a.Kidney.Series.At(i); p.Value != nil && p.Date.Equal(e.Date) {
			return i
		}
	}
	return -1
}

// kfreBasis returns the references a KFRE RiskAssessment rests on: the
// bundle's eGFR Observation of the latest eGFR (the eGFR the KFRE entered,
// kidney.egfr) and the creatinine it came from, or the laboratory's own
// eGFR Observation when that was used, and the ACR (measured) or UPCR (estimated ACR) Observation. The
// ACR or UPCR is looked up in tl the way assess chooses it (the latest
// measured value at or before as-of) and kept only when it matches what
// the KFRE used: the same ACR value, or the UPCR date named in the ACR
// note. When it cannot be identified it is left out rather than guessed.
// egfrIdx is the point kfreEGFRIndex chose (-1 for none) and egfrURL its
// fullUrl in the bundle.
func kfreBasis(a assess.Assessment, tl *record.Timeline, egfrIdx int, egfrURL string) []outRef {
	var out []outRef
	if e := a.Kidney.EGFR; e != nil && e.Reported != nil {
		out = append(out, outRef{Reference: e.Reported.ObservationID, Display: "laboratory-reported eGFR " + e.Date.UTC().Format(time.DateOnly) + " (LOINC " + e.Reported.Code + ")"})
	} else if egfrIdx >= 0 && egfrURL != "" {
		p := a.Kidney.Series.At(egfrIdx)
		out = append(out, outRef{Reference: egfrURL, Display: "eGFR " + p.Date.UTC().Format(time.DateOnly) + " (" + p.Equation + ")"})
		if p.ObservationID != "" {
			out = append(out, outRef{Reference: p.ObservationID, Display: "creatinine " + humanQ(p.Creatinine)})
		}
	}
	k := a.Kidney.KFRE
	if tl == nil || k == nil {
		return out
	}
	an, label := units.ACR, "ACR "
	if k.ACRSource == "estimated" {
		an, label = units.PCR, "UPCR "
	}
	obs := tl.Values(an)
	for i := len(obs) - 1; i >= 0; i-- {
		o := obs[i]
		if o.Time.After(a.AsOf) || o.Comparator != record.Exact {
			continue
		}
		match := false
		if an == units.ACR {
			match = o.Value.Unit == k.ACR.Unit && math.Abs(o.Value.Value-k.ACR.Value) <= 1e-9*math.Max(1, math.Abs(k.ACR.Value))
		} else {
			match = strings.Contains(k.ACRNote, "("+o.Time.UTC().Format(time.DateOnly)+")")
		}
		if match {
			out = append(out, outRef{Reference: o.ID, Display: label + humanQ(o.Value) + " " + o.Time.UTC().Format(time.DateOnly)})
		}
		break
	}
	return out
}

// issueSeverity maps an alert severity to DetectedIssue.severity
// (high | moderate | low).
func issueSeverity(s assess.Severity) string {
	switch s {
	case assess.Critical:
		return "high"
	case assess.Warning:
		return "moderate"
	}
	return "low"
}

// humanQ formats a quantity for a display or note, which people read: at
// most 6 significant digits, as docs/report.md ("Numbers") sets for a value
// as measured or converted from one (2.00226 mg/dL, not
// 2.002262443438914). Numbers in valueQuantity and probabilityDecimal are
// never rounded.
func humanQ(q units.Quantity) string {
	r, _ := strconv.ParseFloat(strconv.FormatFloat(q.Value, 'g', 6, 64), 64)
	return strconv.FormatFloat(r, 'f', -1, 64) + " " + string(q.Unit)
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// derivedID is a stable FHIR id (64 characters at most, [A-Za-z0-9-.]).
func derivedID(kind string, parts ...string) string {
	h := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return kind + "-" + hex.EncodeToString(h[:12])
}
