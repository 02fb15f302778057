package fhir

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"renalwatch/record"
	"renalwatch/units"
)

// Reader reads FHIR R4 JSON: a Bundle (collection, transaction, batch,
// searchset, document), a single resource, or Bulk Data NDJSON (one resource
// per line).
type Reader struct {
	// Now is the reading time: a resource dated after it is rejected as a
	// date in the future. It must be set.
	Now time.Time
	// System names the source system in each item's provenance when the
	// resource has no meta.source.
	System string
	// KeepNotFinal names in Result.NotFinal each Observation of a test
	// RenalWatch reads that was skipped for its status (preliminary,
	// registered, unknown): the CDS Hooks service lists them in its
	// cards. Import counts them in Result.Skipped only.
	KeepNotFinal bool
}

// file holds the state of reading one file.
type file struct {
	r                                 *Reader
	res                               *Result
	line                              int
	entry                             int
	chunk                             int // emit a chunk of this many items (ReadChunks)
	emit                              func(*record.Batch, []Rejection) error
	fullURLs                          map[string]string          // Bundle fullUrl -> Patient id
	meds                              map[string]codeableConcept // "Medication/id" -> code, from Bundles and NDJSON
	unmapped, ignored, skipped, notes counter
	in                                interner // strings the fast decoder shares between resources
	arena                             arena    // the small values it points to
	sc                                scanner  // the fast decoder's scanner, with in and arena
	values                            valueTexts
	sources                           sourceTable
	quantities                        *quantityMemo
	codes                             codeMemo
	therapies                         map[string]textTherapyMemo // textTherapy's results by text
	lastDate                          struct {                   // the date whenPrec last parsed
		s    string
		t    time.Time
		prec record.DatePrecision
	}
	cur resource // the document being read
	// typeTwice: a document read since the Session's last ReadBytesTo
	// began was rejected and its text holds "resourceType" more than once
	// (Session.TypeTwice).
	typeTwice bool
}

// scanner returns the file's scanner for the fast decoder.
func (f *file) scanner() *scanner {
	if f.sc.in == nil {
		f.sc.in, f.sc.a, f.sc.memo, f.sc.vals = &f.in, &f.arena, new(memos), new(valCaches)
	}
	return &f.sc
}

func (f *file) finish() *Result {
	f.res.Unmapped = f.unmapped.list()
	f.res.Ignored = f.ignored.list()
	f.res.Skipped = f.skipped.list()
	f.res.Notes = f.notes.list()
	return f.res
}

func (f *file) reject(rt, id string, err error) {
	f.res.Rejected = append(f.res.Rejected, Rejection{File: f.res.File, Line: f.line, Entry: f.entry, ResourceType: rt, ID: id, Err: err})
}

// rejectValue rejects an Observation (or panel component) of analyte a
// taken at t whose quantity q was refused, keeping what it was
// (Rejection.Analyte, Time, Value, Unit).
func (f *file) rejectValue(rt, id string, a units.Analyte, t time.Time, q *quantity, err error) {
	f.reject(rt, id, err)
	rj := &f.res.Rejected[len(f.res.Rejected)-1]
	rj.Analyte, rj.Time = a, t
	if q != nil {
		rj.Value, rj.Unit = quantityValue(q), sentUnit(q)
	}
}

// sentUnit is a Quantity's unit as sent: its human-readable unit, else
// its code.
func sentUnit(q *quantity) string {
	if !blank(q.Unit) {
		return q.Unit
	}
	return q.Code
}

// doc reads one JSON document: a resource or a Bundle.
func (f *file) doc(raw []byte) {
	f.cur = resource{}
	res := &f.cur
	if err := decodeDoc(raw, res, f.scanner()); err != nil {
		if !f.typeTwice && bytes.Count(raw, []byte(`"resourceType"`)) > 1 {
			f.typeTwice = true
		}
		f.res.Read++
		f.reject(peekType(raw), peekID(raw), badDoc(err))
		return
	}
	if res.ResourceType == "Bundle" {
		f.bundle(res)
		return
	}
	f.res.Read++
	f.resource(res, raw, "")
}

func (f *file) bundle(b *resource) {
	f.bundleEntries(len(b.entries), func(i int) *bundleEntry { return &b.entries[i] })
}

// bundleEntries reads the n entries of a Bundle, entry(i) the i-th.
func (f *file) bundleEntries(n int, entry func(int) *bundleEntry) {
	// First pass: Patient fullUrls and Medications, so that references
	// resolve whatever the entry order. Entries the fast decoder left
	// undecoded are decoded here.
	f.fullURLs = map[string]string{}
	for i := range n {
		e := entry(i)
		if len(e.raw) == 0 {
			continue
		}
		if !e.ok {
			if err := decodeResourceV1(e.raw, &e.res); err != nil {
				continue // reported in the second pass
			}
			e.ok = true
		}
		r := &e.res
		switch r.ResourceType {
		case "Patient":
			if id := resourceID(r, e.raw, e.fullURL); e.fullURL != "" {
				f.fullURLs[e.fullURL] = strings.TrimPrefix(id, "Patient/")
			}
		case "Medication":
			f.meds["Medication/"+r.ID] = r.Code
			if e.fullURL != "" {
				f.meds[e.fullURL] = r.Code
			}
		}
	}
	for i := range n {
		e := entry(i)
		f.entry = i + 1
		if len(e.raw) == 0 {
			continue // a DELETE in a transaction, or a search entry without a resource
		}
		f.res.Read++
		if !e.ok {
			var r resource
			err := decodeResourceV1(e.raw, &r)
			f.reject(peekType(e.raw), peekID(e.raw), badDoc(err))
			continue
		}
		if e.res.ResourceType == "Bundle" {
			f.unmapped.add("Bundle", coding{}, "nested Bundle not read")
			continue
		}
		f.resource(&e.res, e.raw, e.fullURL)
	}
	f.entry = 0
	f.fullURLs = nil
}

// resourceID returns the stable item id for a resource: Type/id, or
// Type/uuid from a urn:uuid fullUrl, or an id derived from the content.
func resourceID(r *resource, raw []byte, fullURL string) string {
	switch {
	case r.typedID != "":
		return r.typedID
	case r.ID != "":
		return r.ResourceType + "/" + r.ID
	case strings.HasPrefix(fullURL, "urn:uuid:"):
		return r.ResourceType + "/" + strings.TrimPrefix(fullURL, "urn:uuid:")
	}
	return record.DeriveID(r.ResourceType, string(raw))
}

func (f *file) resource(r *resource, raw []byte, fullURL string) {
	id := resourceID(r, raw, fullURL)
	if err := checkID(r, fullURL); err != nil {
		f.reject(r.ResourceType, shortID(r.ID), err)
		return
	}
	switch r.ResourceType {
	case "Patient":
		f.patient(r, id)
	case "Observation":
		f.observation(r, id)
	case "Condition":
		f.condition(r, id)
	case "Procedure":
		f.procedure(r, id)
	case "MedicationRequest", "MedicationStatement", "MedicationAdministration":
		f.medication(r, id)
	case "Medication":
		f.meds["Medication/"+r.ID] = r.Code
	case "":
		f.reject("", "", fmt.Errorf("%w: resourceType", ErrMissing))
	default:
		f.unmapped.add(r.ResourceType, coding{}, "resource type not read")
	}
}

func (f *file) prov(r *resource, cd coding) record.Provenance {
	sys := f.r.System
	if r.Meta != nil && r.Meta.Source != "" {
		sys = r.Meta.Source
	}
	return record.Provenance{System: sys, ResourceType: r.ResourceType, ResourceID: r.ID, Code: record.Coding(cd),
		File: f.res.File, Line: f.line}
}

func (f *file) patient(r *resource, id string) {
	p := record.Patient{ID: strings.TrimPrefix(id, "Patient/"), Provenance: f.prov(r, coding{}), Updated: lastUpdated(r)}
	if r.BirthDate != "" {
		t, prec, err := parseDate(r.BirthDate)
		if err != nil {
			f.reject(r.ResourceType, r.ID, fmt.Errorf("birthDate: %w", err))
			return
		}
		if t.After(f.r.Now) {
			f.reject(r.ResourceType, r.ID, fmt.Errorf("%w: birthDate %s is after %s", ErrFuture, r.BirthDate, f.r.Now.Format(time.DateOnly)))
			return
		}
		if t.Before(record.EarliestBirth) {
			f.reject(r.ResourceType, r.ID, fmt.Errorf("%w: birthDate %s is before %s; check the source", ErrBadDate, r.BirthDate,
				record.EarliestBirth.Format(time.DateOnly)))
			return
		}
		if prec == record.PrecisionInstant {
			prec = record.PrecisionDay // birthDate is a FHIR date: the day is what it gives
		}
		p.BirthDate, p.BirthPrecision = t, prec
		if prec != record.PrecisionDay {
			// The day is not guessed: the record keeps the precision and
			// the age range (record.Patient.AgeRangeAt) shows the doubt.
			f.notes.add("Patient", coding{}, "birthDate gives only the "+prec.String()+": kept with precision "+prec.String()+
				" (the first day of the "+prec.String()+" is stored); ages near an age-band boundary are uncertain")
		}
	}
	sex, ok := record.ParseSex(r.Gender)
	if !ok {
		f.notes.add("Patient", coding{Code: r.Gender}, "gender not one of male, female, other, unknown: kept as unknown")
	}
	p.Sex = sex
	p.DeceasedGiven = r.DeceasedDateTime != "" || r.DeceasedBoolean != nil
	switch {
	case r.DeceasedDateTime != "":
		p.Deceased = true
		t, prec, err := parseDate(r.DeceasedDateTime)
		switch {
		case err != nil:
			f.notes.add("Patient", coding{}, "deceasedDateTime not a FHIR dateTime: recorded as deceased, date unknown")
		case t.After(f.r.Now):
			f.notes.add("Patient", coding{}, "deceasedDateTime in the future: recorded as deceased, date unknown")
		default:
			p.DeceasedDate = t
			if prec == record.PrecisionMonth || prec == record.PrecisionYear {
				f.notes.add("Patient", coding{}, "deceasedDateTime gives only the "+prec.String()+": date of death taken as its first day")
			}
		}
	case r.DeceasedBoolean != nil && *r.DeceasedBoolean:
		p.Deceased = true
		f.notes.add("Patient", coding{}, "deceasedBoolean true without a date: recorded as deceased, date unknown")
	}
	f.res.Batch.Patients = append(f.res.Batch.Patients, p)
}

// subject resolves a resource's patient reference to a patient id.
func (f *file) subject(r *resource) (string, error) {
	ref := r.Subject.Reference
	if ref == "" {
		ref = r.Patient.Reference
	}
	switch {
	case ref == "":
		return "", fmt.Errorf("%w: subject", ErrMissing)
	case strings.HasPrefix(ref, "Patient/") && plainID(ref[len("Patient/"):]):
		return ref[len("Patient/"):], nil
	}
	if id, ok := f.fullURLs[ref]; ok {
		return id, nil
	}
	if u, ok := strings.CutPrefix(ref, "urn:uuid:"); ok && u != "" {
		// Bulk exports of Synthea bundles keep the urn:uuid of the patient's
		// entry, which is the Patient's id; the store checks it exists.
		return u, nil
	}
	if i := strings.LastIndex(ref, "/Patient/"); i >= 0 && plainID(ref[i+len("/Patient/"):]) {
		return ref[i+len("/Patient/"):], nil // absolute URL
	}
	return "", fmt.Errorf("%w: %q", ErrBadReference, ref)
}

// plainID reports whether the tail of a reference after "Patient/" holds
// no '/' or '?' (no version, no search), as strings.ContainsAny(s, "/?")
// would say false, in a loop the compiler keeps inline.
func plainID(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '/' || s[i] == '?' {
			return false
		}
	}
	return true
}

// when parses a date and checks it is not after Now.
func (f *file) when(field, s string) (time.Time, error) {
	t, _, err := f.whenPrec(field, s)
	return t, err
}

// whenPrec is when that also says how much of the date was given.
func (f *file) whenPrec(field, s string) (time.Time, record.DatePrecision, error) {
	var (
		t    time.Time
		prec record.DatePrecision
		err  error
	)
	if s == f.lastDate.s && s != "" {
		t, prec = f.lastDate.t, f.lastDate.prec // the resources of one visit share their date
	} else {
		t, prec, err = parseDate(s)
		if err != nil {
			return time.Time{}, 0, fmt.Errorf("%s: %w", field, err)
		}
		f.lastDate.s, f.lastDate.t, f.lastDate.prec = s, t, prec
	}
	if t.After(f.r.Now) {
		return time.Time{}, 0, fmt.Errorf("%w: %s %s is after %s", ErrFuture, field, s, f.r.Now.UTC().Format(time.RFC3339))
	}
	return t, prec, nil
}

func firstCoding(cc codeableConcept, system string) (coding, bool) {
	for _, c := range cc.Coding {
		if c.System == system {
			return c, true
		}
	}
	return coding{}, false
}

// ComputedEGFRNote is the import summary's note (Result.Notes) on an eGFR
// of a RenalWatch report Bundle (renalWatchEGFR).
const ComputedEGFRNote = "eGFR computed by RenalWatch in an earlier report, not a laboratory result: kept, listed under Not used in reports, never used as an eGFR"

// renalWatchEGFR returns the RenalWatch equation coding (SystemEquation)
// of an eGFR of a RenalWatch report Bundle (ReportBundle): a value
// computed by RenalWatch, not by a laboratory. The equation's code is in
// code, and in method too for an Observation coded eGFR by LOINC (a
// receiver may keep only the LOINC coding of code). The observation is
// kept with this coding as its source code, whatever LOINC code it also
// carries, so that no reader takes it for a laboratory eGFR
// (assess.ComputedEarlier lists it under not_used).
func renalWatchEGFR(r *resource, analyte units.Analyte) (coding, bool) {
	if c, ok := firstCoding(r.Code, SystemEquation); ok {
		return c, true
	}
	if r.Method != nil && analyte == units.EGFR {
		return firstCoding(*r.Method, SystemEquation)
	}
	return coding{}, false
}

// effective is an Observation's effective[x] as sent: effectiveDateTime,
// effectiveInstant or effectivePeriod.start; "" when none is given.
func effective(r *resource) string {
	switch {
	case r.EffectiveDateTime != "":
		return r.EffectiveDateTime
	case r.EffectiveInstant != "":
		return r.EffectiveInstant
	case r.EffectivePeriod != nil:
		return r.EffectivePeriod.Start
	}
	return ""
}

func anyCoding(cc codeableConcept) coding {
	if len(cc.Coding) > 0 {
		return cc.Coding[0]
	}
	return coding{Display: cc.Text}
}

func statusCode(cc *codeableConcept) string {
	if cc == nil || len(cc.Coding) == 0 {
		return ""
	}
	return cc.Coding[0].Code
}

func (f *file) observation(r *resource, id string) {
	switch r.Status {
	case "final":
	case "amended", "corrected":
		// Read as any Observation, then handed over as corrections of the
		// items stored under the same ids (correct).
		defer f.correct(r, len(f.res.Batch.Observations))
	case "":
		f.reject(r.ResourceType, r.ID, fmt.Errorf("%w: status", ErrMissing))
		return
	case "entered-in-error":
		f.retract(r, id, record.RetractObservation, "status "+r.Status, anyCoding(r.Code))
		return
	case "preliminary", "registered", "unknown":
		f.notFinal(r)
		return
	default:
		f.skipped.add(r.ResourceType, anyCoding(r.Code), "status "+r.Status)
		return
	}
	var (
		cd      coding
		analyte units.Analyte
		panel   bool
		finding bool
	)
	for _, c := range r.Code.Coding {
		if c.System == systemLOINC {
			if cf := f.codes.facts(c.Code); cf.analyteK {
				cd, analyte = c, cf.analyte
				break
			} else if cf.panel {
				cd, panel = c, true
				break
			}
		}
		if c.System == systemRenalOnly {
			cd, finding = c, true
			break
		}
	}
	if analyte == units.EGFR || analyte == 0 && !panel && !finding {
		if c, ok := renalWatchEGFR(r, analyte); ok {
			cd, analyte = c, units.EGFR
		}
	}
	if analyte == 0 && !panel && !finding {
		c, ok := firstCoding(r.Code, systemLOINC)
		if !ok {
			c = anyCoding(r.Code)
		}
		f.unmapped.add(r.ResourceType, c, "code not read")
		return
	}
	pid, err := f.subject(r)
	if err != nil {
		f.reject(r.ResourceType, r.ID, err)
		return
	}
	eff := effective(r)
	if eff == "" {
		f.reject(r.ResourceType, r.ID, fmt.Errorf("%w: effective[x] (the time the sample was taken)", ErrMissing))
		return
	}
	t, prec, err := f.whenPrec("effective", eff)
	if err != nil {
		f.reject(r.ResourceType, r.ID, err)
		return
	}
	switch {
	case finding:
		f.finding(r, id, pid, cd, t)
	case panel:
		used := 0
		for _, comp := range r.Component {
			cc, ok := firstCoding(comp.Code, systemLOINC)
			a := f.codes.facts(cc.Code).analyte
			if !ok || (a != units.SystolicBP && a != units.DiastolicBP) {
				f.unmapped.add(r.ResourceType+".component", anyCoding(comp.Code), "panel component not read")
				continue
			}
			used++
			cid := joinText(&f.arena, id, '#', cc.Code)
			if comp.DataAbsentReason != nil || comp.ValueQuantity == nil {
				f.skipped.add(r.ResourceType, cc, "component without a numeric value")
				continue
			}
			o, unit, text, err := f.mappedQuantity(a, cc, comp.ValueQuantity)
			if err != nil {
				f.rejectValue(r.ResourceType, r.ID+"#"+cc.Code, a, t, comp.ValueQuantity, err)
				continue
			}
			p := f.prov(r, cc)
			p.Unit, p.Value = unit, text
			o.ID, o.PatientID, o.Time, o.TimePrecision = cid, pid, t, prec
			f.sources.set(&o, p)
			for _, n := range o.Notes {
				f.notes.add(r.ResourceType, cc, n)
			}
			f.res.Batch.Observations = append(f.res.Batch.Observations, o)
		}
		if used == 0 {
			f.skipped.add(r.ResourceType, cd, "blood pressure panel without systolic or diastolic component")
		}
	default:
		if r.DataAbsentReason != nil {
			f.skipped.add(r.ResourceType, cd, "no value: dataAbsentReason "+statusCode(r.DataAbsentReason))
			return
		}
		if r.ValueQuantity == nil {
			if r.ValueString != nil || r.ValueCodeableConc != nil || r.ValueBoolean != nil {
				f.skipped.add(r.ResourceType, cd, "non-numeric value (valueString or valueCodeableConcept)")
				return
			}
			f.rejectValue(r.ResourceType, r.ID, analyte, t, nil, fmt.Errorf("%w: valueQuantity", ErrMissing))
			return
		}
		o, unit, text, err := f.mappedQuantity(analyte, cd, r.ValueQuantity)
		if errors.Is(err, errEGFRNotIndexed) {
			f.skipped.addExample(r.ResourceType, cd, EGFRSkipReason, r.ResourceType+"/"+r.ID+": "+quantityValue(r.ValueQuantity)+" "+quantityUnit(r.ValueQuantity))
			return
		}
		if err != nil {
			f.rejectValue(r.ResourceType, r.ID, analyte, t, r.ValueQuantity, err)
			return
		}
		p := f.prov(r, cd)
		p.Unit, p.Value = unit, text
		o.ID, o.PatientID, o.Time, o.TimePrecision = id, pid, t, prec
		f.sources.set(&o, p)
		if len(o.Notes) > 0 {
			for _, n := range o.Notes {
				f.notes.add(r.ResourceType, cd, n)
			}
		}
		if cd.System == SystemEquation {
			f.notes.add(r.ResourceType, cd, ComputedEGFRNote)
		}
		f.res.Batch.Observations = append(f.res.Batch.Observations, o)
	}
}

func quantityUnit(q *quantity) string {
	if q.Code != "" {
		return q.Code
	}
	return q.Unit
}

// formatFloat writes v as fmt.Sprint does (%v: strconv's shortest 'g'),
// without fmt's reflection.
func formatFloat(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

func quantityValue(q *quantity) string {
	if q.Value == nil {
		return ""
	}
	return q.Comparator + formatFloat(*q.Value)
}

// valueTexts remembers the text of the values quantityValue last wrote:
// lab values repeat (a blood pressure of 120, a creatinine of 0.9), and
// the same float64 always has the same text. A direct-mapped table.
type valueTexts struct {
	bits  [256]uint64
	texts [256]string
}

// text is quantityValue(q).
func (t *valueTexts) text(q *quantity) string {
	if q.Value == nil || q.Comparator != "" {
		return quantityValue(q)
	}
	b := math.Float64bits(*q.Value)
	h := (b ^ b>>29 ^ b>>47) % uint64(len(t.bits))
	if t.texts[h] != "" && t.bits[h] == b {
		return t.texts[h]
	}
	v := formatFloat(*q.Value)
	t.bits[h], t.texts[h] = b, v
	return v
}

// errEGFRNotIndexed marks an eGFR whose value is written in mL/min: a
// clearance not indexed to body surface area, not the mL/min/1.73 m² every
// eGFR code read here defines.
var errEGFRNotIndexed = errors.New("eGFR in mL/min, not per 1.73 m²")

// EGFRSkipReason is the reason, in Result.Skipped, of the one summary line for eGFR values written in mL/min.
// RenalWatch never guesses a unit: such a value is not stored, so it is never
// staged, alerted on or shown as mL/min/1.73 m² (the CSV import refuses it and
// `stage --egfr 42mL/min` calls it a clearance). The KDIGO GFR categories
// (KDIGO 2012 Table 5, kept in KDIGO 2024) are in mL/min/1.73 m²; an
// unindexed value differs from it by the factor body surface area / 1.73 m²,
// which the record does not give. See docs/caveats.md.
const EGFRSkipReason = "valueQuantity unit mL/min, but the code defines an eGFR in mL/min/1.73 m²: not imported (a value not indexed to body surface area is not used as an eGFR for staging or alerts)"

// quantity turns a FHIR Quantity into an observation value of analyte a in
// its canonical unit.
func (f *file) quantity(a units.Analyte, cd coding, q *quantity) (record.Observation, error) {
	var o record.Observation
	o.Analyte = a
	if q.Value == nil {
		return o, fmt.Errorf("%w: valueQuantity.value", ErrMissing)
	}
	v := *q.Value
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return o, fmt.Errorf("%w: %v", ErrImplausible, v)
	}
	switch record.Comparator(q.Comparator) {
	case record.Exact, record.Less, record.LessOrEqual, record.Greater, record.GreaterOrEqual:
		o.Comparator = record.Comparator(q.Comparator)
	default:
		return o, fmt.Errorf("%w: %q (accepted: <, <=, >, >=)", ErrBadComparator, q.Comparator)
	}
	spelled, err := quantitySpelling(q)
	if err != nil {
		return o, err
	}
	if blank(spelled) {
		u, note, ok := loincDefinedUnit(a, cd)
		if !ok {
			return o, fmt.Errorf("%w: %s %v has no unit; accepted units: %s", ErrMissingUnit, a, v, unitList(a))
		}
		spelled = string(u)
		o.Notes = append(o.Notes, note)
	}
	u, ok := units.LookupUnit(spelled)
	if !ok {
		return o, fmt.Errorf("%w: %s unit %q; accepted units: %s", ErrUnknownUnit, a, spelled, unitList(a))
	}
	if a == units.EGFR && u == units.MLPerMin {
		// Every eGFR code read here is defined per 1.73 m2; Synthea writes
		// about a third of them as mL/min. See EGFRSkipReason.
		return o, errEGFRNotIndexed
	}
	n, err := a.Normalize("", units.Quantity{Value: v, Unit: u})
	if err != nil {
		if errors.Is(err, units.ErrImplausible) {
			return o, fmt.Errorf("%w: %w", ErrImplausible, err) // the units.RangeError stays reachable (errors.As)
		}
		return o, fmt.Errorf("%w: %v", ErrWrongUnit, err)
	}
	o.Value = n
	return o, nil
}

// blank is strings.TrimSpace(s) == "", without trimming a string that
// starts with a printable ASCII byte.
func blank(s string) bool {
	return s == "" || (s[0] <= ' ' || s[0] >= 0x80) && strings.TrimSpace(s) == ""
}

func unitList(a units.Analyte) string {
	var s []string
	for _, u := range a.Units() {
		s = append(s, string(u))
	}
	return strings.Join(s, ", ")
}

// findingCodes is the set of record.FindingCodes.
var findingCodes = func() map[string]bool {
	m := map[string]bool{}
	for _, c := range record.FindingCodes() {
		m[c] = true
	}
	return m
}()

func (f *file) finding(r *resource, id, pid string, cd coding, t time.Time) {
	if !f.codes.facts(cd.Code).finding {
		f.reject(r.ResourceType, r.ID, fmt.Errorf("%w: %q", ErrBadFindingCode, cd.Code))
		return
	}
	fd := record.Finding{ID: id, PatientID: pid, Code: cd.Code, Time: t, Provenance: f.prov(r, cd)}
	switch {
	case cd.Code == record.FindingSLEDAI2KScore:
		var v *float64
		if r.ValueInteger != nil {
			v = r.ValueInteger
		} else if r.ValueQuantity != nil {
			v = r.ValueQuantity.Value
		}
		if v == nil || *v < 0 || *v > 105 || *v != math.Trunc(*v) {
			f.reject(r.ResourceType, r.ID, fmt.Errorf("%w: SLEDAI-2K score must be a whole number from 0 to 105", ErrImplausible))
			return
		}
		fd.Score, fd.Present = v, *v > 0
	case r.ValueBoolean != nil:
		fd.Present = *r.ValueBoolean
	default:
		f.reject(r.ResourceType, r.ID, fmt.Errorf("%w: valueBoolean (present or absent)", ErrMissing))
		return
	}
	f.res.Batch.Findings = append(f.res.Batch.Findings, fd)
}

func (f *file) condition(r *resource, id string) {
	switch statusCode(r.VerificationStatus) {
	case "entered-in-error", "refuted":
		// refuted: "ruled out by subsequent diagnostic and clinical
		// evidence" (FHIR R4 condition-ver-status): like an entry in
		// error, it withdraws the diagnosis stored under its id (trial 4
		// #2: a refuted lupus nephritis kept the lupus rules on).
		f.retract(r, id, record.RetractCondition, "verificationStatus "+statusCode(r.VerificationStatus), anyCoding(r.Code))
		return
	}
	var (
		cc    conditionCode
		cd    coding
		found bool
	)
	for _, c := range r.Code.Coding {
		switch c.System {
		case systemSNOMED:
			cc, found = snomedConditions[c.Code]
		case systemICD10CM:
			cc, found = icd10Condition(c.Code)
		}
		if found {
			cd = c
			break
		}
	}
	text := r.Code.Text
	for _, c := range r.Code.Coding {
		text += " " + c.Display
	}
	for _, s := range r.Stage {
		text += " " + string(s)
	}
	lt := strings.ToLower(text)
	if !found && strings.Contains(lt, "lupus") && strings.Contains(lt, "nephritis") && lnClass(text) != "" {
		// WHO/ISN class-specific lupus nephritis concepts: no code of
		// theirs is confirmed in docs/fhir.md, so they are read by their
		// display ("... lupus nephritis, class IV").
		cc, cd, found = conditionCode{kind: record.LupusNephritis}, anyCoding(r.Code), true
		f.notes.add(r.ResourceType, cd, "lupus nephritis class read from the display text")
	}
	if !found {
		if why, ok := recognizedCode(r.Code); ok {
			f.ignored.add(r.ResourceType, anyCoding(r.Code), why)
			return
		}
		c, ok := firstCoding(r.Code, systemSNOMED)
		if !ok {
			c = anyCoding(r.Code)
		}
		f.unmapped.add(r.ResourceType, c, "code not read")
		return
	}
	pid, err := f.subject(r)
	if err != nil {
		f.reject(r.ResourceType, r.ID, err)
		return
	}
	c := record.Condition{ID: id, PatientID: pid, Kind: cc.kind, Stage: cc.stage, Status: statusCode(r.ClinicalStatus),
		Verification: statusCode(r.VerificationStatus), Provenance: f.prov(r, cd)}
	if !c.Established() {
		// Kept so the record shows it, but record.Condition.Established is
		// false: it must not switch rules on (docs/caveats.md).
		f.notes.add(r.ResourceType, cd, "verificationStatus "+c.Verification+": kept, not an established diagnosis")
	}
	if cc.kind == record.LupusNephritis {
		c.LNClass = lnClass(text)
	}
	onset := r.OnsetDateTime
	if onset == "" && r.OnsetPeriod != nil {
		onset = r.OnsetPeriod.Start
	}
	if onset == "" {
		onset = r.RecordedDate
	}
	if onset != "" {
		if c.Onset, err = f.when("onset", onset); err != nil {
			f.reject(r.ResourceType, r.ID, err)
			return
		}
	}
	abate := r.AbatementDateTime
	if abate == "" && r.AbatementPeriod != nil {
		abate = r.AbatementPeriod.Start
	}
	if abate != "" {
		if c.Abatement, err = f.when("abatement", abate); err != nil {
			f.reject(r.ResourceType, r.ID, err)
			return
		}
	}
	f.res.Batch.Conditions = append(f.res.Batch.Conditions, c)
}

func recognizedCode(cc codeableConcept) (string, bool) {
	for _, c := range cc.Coding {
		if why, ok := recognized[c.System+"|"+c.Code]; ok {
			return why, true
		}
	}
	return "", false
}

func (f *file) procedure(r *resource, id string) {
	switch r.Status {
	case "completed", "in-progress":
	default:
		f.skipped.add(r.ResourceType, anyCoding(r.Code), "status "+r.Status)
		return
	}
	var (
		kind record.ReplacementKind
		cd   coding
	)
	for _, c := range r.Code.Coding {
		if c.System == systemSNOMED {
			if k, ok := snomedProcedures[c.Code]; ok {
				kind, cd = k, c
				break
			}
		}
	}
	text := r.Code.Text
	for _, c := range r.Code.Coding {
		text += " " + c.Display
	}
	biopsy := kind == 0 && isKidneyBiopsy(text)
	msc := kind == 0 && !biopsy && strings.Contains(strings.ToLower(text), "mesenchymal")
	if kind == 0 && !biopsy && !msc {
		if why, ok := recognizedCode(r.Code); ok {
			f.ignored.add(r.ResourceType, anyCoding(r.Code), why)
			return
		}
		f.unmapped.add(r.ResourceType, anyCoding(r.Code), "code not read")
		return
	}
	if cd.Code == "" {
		cd = anyCoding(r.Code)
	}
	pid, err := f.subject(r)
	if err != nil {
		f.reject(r.ResourceType, r.ID, err)
		return
	}
	start, end := r.PerformedDateTime, ""
	if start == "" && r.PerformedPeriod != nil {
		start, end = r.PerformedPeriod.Start, r.PerformedPeriod.End
	}
	if start == "" {
		f.reject(r.ResourceType, r.ID, fmt.Errorf("%w: performed[x]", ErrMissing))
		return
	}
	st, err := f.when("performed", start)
	if err != nil {
		f.reject(r.ResourceType, r.ID, err)
		return
	}
	var et time.Time
	if end != "" {
		if et, err = f.when("performedPeriod.end", end); err != nil {
			f.reject(r.ResourceType, r.ID, err)
			return
		}
	}
	p := f.prov(r, cd)
	switch {
	case biopsy:
		b := record.Biopsy{ID: id, PatientID: pid, Time: st, Provenance: p}
		if c := lnClass(text); c != "" {
			b.Classes = strings.Split(c, "+")
		}
		if err := nihItems(&b, r.Extension); err != nil {
			f.reject(r.ResourceType, r.ID, err)
			return
		}
		f.notes.add(r.ResourceType, cd, "kidney biopsy read from the display text")
		f.res.Batch.Biopsies = append(f.res.Batch.Biopsies, b)
	case msc:
		f.notes.add(r.ResourceType, cd, "mesenchymal stem cell infusion read from the display text")
		f.res.Batch.Therapies = append(f.res.Batch.Therapies, record.Therapy{ID: id, PatientID: pid, Class: record.MSCInfusion,
			Name: "mesenchymal stem cells", Start: st, End: et, Status: r.Status, Provenance: p})
	default:
		f.res.Batch.Replacements = append(f.res.Batch.Replacements, record.Replacement{ID: id, PatientID: pid, Kind: kind, Start: st, End: et, Provenance: p})
	}
}

func (f *file) medication(r *resource, id string) {
	switch r.Status {
	case "entered-in-error", "cancelled", "draft", "not-taken", "not-done":
		f.skipped.add(r.ResourceType, coding{}, "status "+r.Status)
		return
	}
	var cc codeableConcept
	switch {
	case r.MedicationCodeableConcept != nil:
		cc = *r.MedicationCodeableConcept
	case r.MedicationReference != nil:
		ref := r.MedicationReference.Reference
		m, ok := f.meds[ref]
		if !ok && strings.HasPrefix(ref, "#") {
			m, ok = containedMedication(r, ref[1:])
		}
		if !ok {
			f.unmapped.add(r.ResourceType, coding{Code: ref}, "medicationReference not found in the file")
			return
		}
		cc = m
	default:
		f.reject(r.ResourceType, r.ID, fmt.Errorf("%w: medication[x]", ErrMissing))
		return
	}
	drug, cd, ok := f.therapyOf(cc)
	if !ok {
		c, found := firstCoding(cc, systemRxNorm)
		if !found {
			c = anyCoding(cc)
		}
		f.unmapped.add(r.ResourceType, c, "medication not a therapy RenalWatch follows")
		return
	}
	pid, err := f.subject(r)
	if err != nil {
		f.reject(r.ResourceType, r.ID, err)
		return
	}
	var start, end, dose string
	switch r.ResourceType {
	case "MedicationRequest":
		start = r.AuthoredOn
		if len(r.DosageInstruction) > 0 {
			d := r.DosageInstruction[0]
			if d.Timing != nil && d.Timing.Repeat != nil && d.Timing.Repeat.BoundsPeriod != nil {
				if s := d.Timing.Repeat.BoundsPeriod.Start; s != "" {
					start = s
				}
				end = d.Timing.Repeat.BoundsPeriod.End
			}
			dose = dosageText(d)
		}
		if end == "" && r.DispenseRequest != nil && r.DispenseRequest.ValidityPeriod != nil {
			end = r.DispenseRequest.ValidityPeriod.End
		}
	default: // MedicationStatement, MedicationAdministration
		start = r.EffectiveDateTime
		if start != "" && r.ResourceType == "MedicationAdministration" {
			end = start
		}
		if start == "" && r.EffectivePeriod != nil {
			start, end = r.EffectivePeriod.Start, r.EffectivePeriod.End
		}
		dose = rawDosageText(r.Dosage)
	}
	if start == "" {
		f.reject(r.ResourceType, r.ID, fmt.Errorf("%w: start date (authoredOn, effective[x] or dosage bounds)", ErrMissing))
		return
	}
	th := record.Therapy{ID: id, PatientID: pid, Class: drug.class, Name: drug.name, Dose: dose, Status: r.Status, Provenance: f.prov(r, cd)}
	if th.Start, err = f.when("start", start); err != nil {
		f.reject(r.ResourceType, r.ID, err)
		return
	}
	if end != "" {
		if th.End, err = f.when("end", end); err != nil {
			f.reject(r.ResourceType, r.ID, err)
			return
		}
		if th.End.Before(th.Start) {
			f.reject(r.ResourceType, r.ID, fmt.Errorf("%w: end %s is before start %s", ErrBadDate, end, start))
			return
		}
	}
	f.res.Batch.Therapies = append(f.res.Batch.Therapies, th)
}

func containedMedication(r *resource, id string) (codeableConcept, bool) {
	for _, raw := range r.Contained {
		var c resource
		if json.Unmarshal(raw, &c) == nil && c.ResourceType == "Medication" && c.ID == id {
			return c.Code, true
		}
	}
	return codeableConcept{}, false
}

// therapyOf maps a medication code: RxNorm codes first, then ATC, then the
// ingredient in the display or text.
func (f *file) therapyOf(cc codeableConcept) (therapyDrug, coding, bool) {
	for _, c := range cc.Coding {
		if c.System == systemRxNorm {
			if d, ok := rxnormTherapies[c.Code]; ok {
				return d, c, true
			}
		}
	}
	for _, c := range cc.Coding {
		if c.System == systemATC {
			if d, ok := atcTherapy(c.Code); ok {
				if t, ok := f.textTherapy(c.Display + " " + cc.Text); ok && t.class == d.class {
					d.name = t.name
				}
				return d, c, true
			}
		}
	}
	texts := []string{cc.Text}
	for _, c := range cc.Coding {
		texts = append(texts, c.Display)
	}
	for _, t := range texts {
		if d, ok := f.textTherapy(t); ok {
			return d, anyCoding(cc), true
		}
	}
	return therapyDrug{}, coding{}, false
}

// textTherapy is textTherapy(text), remembered for the texts read before
// (medications repeat their texts, and the word and route matching take
// about 20,000 instructions each time).
func (f *file) textTherapy(text string) (therapyDrug, bool) {
	if m, ok := f.therapies[text]; ok {
		return m.d, m.ok
	}
	d, ok := textTherapy(text)
	if f.therapies == nil || len(f.therapies) >= 1024 {
		f.therapies = map[string]textTherapyMemo{}
	}
	f.therapies[text] = textTherapyMemo{d, ok}
	return d, ok
}

type textTherapyMemo struct {
	d  therapyDrug
	ok bool
}

func dosageText(d dosage) string {
	if d.Text != "" {
		return d.Text
	}
	for _, dr := range d.DoseAndRate {
		if q := dr.DoseQuantity; q != nil && q.Value != nil {
			return strings.TrimSpace(fmt.Sprint(*q.Value) + " " + quantityUnit(q))
		}
	}
	return ""
}

func rawDosageText(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var one dosage
	if json.Unmarshal(raw, &one) == nil {
		if one.Dose != nil && one.Dose.Value != nil && one.Text == "" {
			return strings.TrimSpace(fmt.Sprint(*one.Dose.Value) + " " + quantityUnit(one.Dose))
		}
		return dosageText(one)
	}
	var many []dosage
	if json.Unmarshal(raw, &many) == nil && len(many) > 0 {
		return dosageText(many[0])
	}
	return ""
}

// parseDate reads a FHIR date, dateTime or instant, and says how much of
// it was given. A date without a time is midnight UTC; a dateTime without
// a zone is taken as UTC. A partial date ("2008", "2008-05") is the first
// day of its year or month.
func parseDate(s string) (time.Time, record.DatePrecision, error) {
	if t, prec, ok := parseDateFast(s); ok {
		return t, prec, nil
	}
	for _, l := range []struct {
		layout string
		prec   record.DatePrecision
	}{{time.RFC3339Nano, record.PrecisionInstant}, {"2006-01-02T15:04:05", record.PrecisionInstant}, {"2006-01-02", record.PrecisionDay},
		{"2006-01", record.PrecisionMonth}, {"2006", record.PrecisionYear}} {
		if t, err := time.Parse(l.layout, s); err == nil {
			return t.UTC(), l.prec, nil
		}
	}
	return time.Time{}, 0, fmt.Errorf("%w: %q is not a FHIR date (YYYY, YYYY-MM, YYYY-MM-DD or an RFC 3339 dateTime)", ErrBadDate, s)
}
