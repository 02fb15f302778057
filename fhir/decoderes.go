package fhir

import "encoding/json"

// numStructs is the number of fieldNames below (their sites).
const numStructs = 15

// The JSON names of each struct's fields, for other's case check. They
// must list every json tag of the struct in resource.go.
var (
	codingNames      = newFieldNames(0, "system", "code", "display")
	ccNames          = newFieldNames(1, "coding", "text")
	referenceNames   = newFieldNames(2, "reference")
	quantityNames    = newFieldNames(3, "value", "comparator", "unit", "system", "code")
	extensionNames   = newFieldNames(4, "url", "valueInteger", "extension")
	periodNames      = newFieldNames(5, "start", "end")
	componentNames   = newFieldNames(6, "code", "valueQuantity", "dataAbsentReason", "valueString", "valueCodeableConcept")
	dosageNames      = newFieldNames(7, "text", "timing", "doseAndRate", "dose")
	metaNames        = newFieldNames(8, "source")
	entryNames       = newFieldNames(9, "fullUrl", "resource")
	timingNames      = newFieldNames(10, "repeat")
	repeatNames      = newFieldNames(11, "boundsPeriod")
	doseAndRateNames = newFieldNames(12, "doseQuantity")
	dispenseNames    = newFieldNames(13, "validityPeriod")
	resourceNames    = newFieldNames(14, "resourceType", "id", "meta", "extension", "birthDate", "gender", "deceasedBoolean",
		"deceasedDateTime", "status", "code", "subject", "patient", "effectiveDateTime", "effectiveInstant",
		"effectivePeriod", "valueQuantity", "valueString", "valueCodeableConcept", "valueBoolean", "valueInteger",
		"dataAbsentReason", "component", "clinicalStatus", "verificationStatus", "stage", "onsetDateTime",
		"onsetPeriod", "abatementDateTime", "abatementPeriod", "recordedDate", "performedDateTime",
		"performedPeriod", "medicationCodeableConcept", "medicationReference", "authoredOn", "dosageInstruction",
		"dosage", "dispenseRequest", "contained", "type", "entry")
)

// decResource decodes the object at the scanner's position into r. With
// inline, the resources of its entries are decoded in the same pass when
// resourceType "Bundle" came before them; otherwise (or when one gives
// up) an entry keeps its raw resource, checked for grammar only, as
// checkDoc leaves a Bundle's entries to their own reading.
func decResource(s *scanner, r *resource, inline bool) bool {
	if null, ok := s.object(); null || !ok {
		return false // a top-level null is left to encoding/json
	}
	var mask uint64
	for n := 0; ; n++ {
		k, done, ok := s.next(resourceNames, n)
		if !ok {
			return false
		}
		if done {
			return true
		}
		f := -1
		switch string(k) {
		case "resourceType":
			f, ok = 0, s.setText(&r.ResourceType)
		case "id":
			f = 1
			switch s.peek() {
			case '"':
				if mask&1 != 0 && r.ResourceType != "" && s.peekPlain() {
					// After resourceType: "Type/id" in one string, id its tail.
					raw, _, _ := s.str()
					if len(raw) > 0 { // an empty id is no id: resourceID derives one
						r.typedID = s.a.typedID(r.ResourceType, raw)
						r.ID = r.typedID[len(r.ResourceType)+1:]
					}
					break
				}
				r.ID, ok = s.plainText()
			case 'n':
				ok = s.lit("null")
			default:
				ok = false
			}
		case "meta":
			f, ok = 2, cachedValue(s, cacheOf(s, metaCache), false, &r.Meta, decMetaPtr, detachMeta)
		case "extension":
			f, ok = 3, array(s, &r.Extension, decExtension, nil)
		case "birthDate":
			f, ok = 4, s.setText(&r.BirthDate)
		case "gender":
			f, ok = 5, s.setText(&r.Gender)
		case "deceasedBoolean":
			f, ok = 6, s.setBoolPtr(&r.DeceasedBoolean)
		case "deceasedDateTime":
			f, ok = 7, s.setText(&r.DeceasedDateTime)
		case "status":
			f, ok = 8, s.setText(&r.Status)
		case "code":
			f, ok = 9, cachedValue(s, cacheOf(s, ccCache), true, &r.Code, decCC, detachCC)
		case "subject":
			f, ok = 10, cachedValue(s, cacheOf(s, refCache), false, &r.Subject, decReference, detachRef)
		case "patient":
			f, ok = 11, cachedValue(s, cacheOf(s, refCache), false, &r.Patient, decReference, detachRef)
		case "effectiveDateTime":
			f, ok = 12, s.setText(&r.EffectiveDateTime)
		case "effectiveInstant":
			f, ok = 13, s.setText(&r.EffectiveInstant)
		case "effectivePeriod":
			f, ok = 14, pointer(s, &r.EffectivePeriod, decPeriod, &s.a.periods)
		case "valueQuantity":
			f, ok = 15, cachedValue(s, cacheOf(s, qCache), true, &r.ValueQuantity, decQuantityPtr, detachQuantity)
		case "valueString":
			f, ok = 16, s.setTextPtr(&r.ValueString)
		case "valueCodeableConcept":
			f, ok = 17, pointer(s, &r.ValueCodeableConc, decCC, &s.a.ccs)
		case "valueBoolean":
			f, ok = 18, s.setBoolPtr(&r.ValueBoolean)
		case "valueInteger":
			f, ok = 19, s.setFloatPtr(&r.ValueInteger)
		case "dataAbsentReason":
			f, ok = 20, pointer(s, &r.DataAbsentReason, decCC, &s.a.ccs)
		case "component":
			f, ok = 21, array(s, &r.Component, decComponent, nil)
		case "clinicalStatus":
			f, ok = 22, cachedValue(s, cacheOf(s, ccpCache), true, &r.ClinicalStatus, decCCPtr, detachCCPtr)
		case "verificationStatus":
			f, ok = 23, cachedValue(s, cacheOf(s, ccpCache), true, &r.VerificationStatus, decCCPtr, detachCCPtr)
		case "stage":
			f, ok = 24, array(s, &r.Stage, decRawMessage, nil)
		case "onsetDateTime":
			f, ok = 25, s.setText(&r.OnsetDateTime)
		case "onsetPeriod":
			f, ok = 26, pointer(s, &r.OnsetPeriod, decPeriod, &s.a.periods)
		case "abatementDateTime":
			f, ok = 27, s.setText(&r.AbatementDateTime)
		case "abatementPeriod":
			f, ok = 28, pointer(s, &r.AbatementPeriod, decPeriod, &s.a.periods)
		case "recordedDate":
			f, ok = 29, s.setText(&r.RecordedDate)
		case "performedDateTime":
			f, ok = 30, s.setText(&r.PerformedDateTime)
		case "performedPeriod":
			f, ok = 31, pointer(s, &r.PerformedPeriod, decPeriod, &s.a.periods)
		case "medicationCodeableConcept":
			f, ok = 32, cachedValue(s, cacheOf(s, ccpCache), true, &r.MedicationCodeableConcept, decCCPtr, detachCCPtr)
		case "medicationReference":
			f, ok = 33, pointer(s, &r.MedicationReference, decReference, nil)
		case "authoredOn":
			f, ok = 34, s.setText(&r.AuthoredOn)
		case "dosageInstruction":
			f, ok = 35, array(s, &r.DosageInstruction, decDosage, nil)
		case "dosage":
			f, ok = 36, decRawMessage(s, &r.Dosage)
		case "dispenseRequest":
			f, ok = 37, pointer(s, &r.DispenseRequest, decDispense, nil)
		case "contained":
			f, ok = 38, array(s, &r.Contained, decRawMessage, nil)
		case "type":
			f, ok = 39, s.setText(&r.Type)
		case "entry":
			f, ok = 40, decEntries(s, r, inline && mask&1 != 0 && r.ResourceType == "Bundle")
		default:
			ok = s.other(k, resourceNames)
		}
		if !ok || f >= 0 && !seen(&mask, f) {
			return false
		}
	}
}

// decEntries decodes Bundle.entry: each entry's fullUrl, and its resource
// in the same pass when inline.
func decEntries(s *scanner, r *resource, inline bool) bool {
	switch s.peek() {
	case 'n':
		return s.lit("null")
	case '[':
	default:
		return false
	}
	if !s.open() {
		return false
	}
	r.entries = []bundleEntry{}
	for n := 0; ; n++ {
		done, ok := s.elem(n)
		if !ok {
			return false
		}
		if done {
			return true
		}
		r.entries = append(r.entries, bundleEntry{})
		if !decEntry(s, &r.entries[len(r.entries)-1], inline) {
			return false
		}
	}
}

func decEntry(s *scanner, e *bundleEntry, inline bool) bool {
	return s.members(entryNames, func(k []byte) (int, bool) {
		switch string(k) {
		case "fullUrl":
			return 0, s.setText(&e.fullURL)
		case "resource":
			return 1, decEntryResource(s, e, inline)
		}
		return -1, true
	})
}

// decEntryResource decodes an entry's resource: inline when asked and it
// can, else its bytes are kept (checked for grammar only) for decodeDoc or
// decodeResourceV1.
func decEntryResource(s *scanner, e *bundleEntry, inline bool) bool {
	start, depth := s.i, s.depth
	if inline && s.peek() == '{' {
		if decResource(s, &e.res, false) {
			e.raw, e.ok = s.b[start:s.i], true
			return true
		}
		e.res = resource{}
		s.i, s.depth = start, depth
	}
	strict := s.strict
	s.strict = false
	raw, ok := s.span()
	s.strict = strict
	e.raw = raw
	return ok
}

// members decodes the object at the scanner's position (or null, which
// leaves the struct as it is): field decodes the value of a member whose
// key names one of the struct's fields and returns the field's number
// (below 64), or returns -1 without reading for any other key.
func (s *scanner) members(names *fieldNames, field func(k []byte) (int, bool)) bool {
	if null, ok := s.object(); null || !ok {
		return ok
	}
	var mask uint64
	for n := 0; ; n++ {
		k, done, ok := s.next(names, n)
		if !ok {
			return false
		}
		if done {
			return true
		}
		f, ok := field(k)
		if f < 0 {
			ok = s.other(k, names)
		}
		if !ok || f >= 0 && !seen(&mask, f) {
			return false
		}
	}
}

// The kinds of the value cache (valcache.go), and the pointer fields it
// holds.
func metaCache(v *valCaches) *valCache[*metaSource]     { return &v.meta }
func ccCache(v *valCaches) *valCache[codeableConcept]   { return &v.cc }
func ccpCache(v *valCaches) *valCache[*codeableConcept] { return &v.ccp }
func refCache(v *valCaches) *valCache[reference]        { return &v.ref }
func qCache(v *valCaches) *valCache[*quantity]          { return &v.q }

func decMetaPtr(s *scanner, m **metaSource) bool { return pointer(s, m, decMeta, &s.a.metas) }
func decQuantityPtr(s *scanner, q **quantity) bool {
	return pointer(s, q, decQuantity, &s.a.quantities)
}
func decCCPtr(s *scanner, c **codeableConcept) bool {
	return pointer(s, c, decCC, &s.a.ccs)
}

func decMeta(s *scanner, m *metaSource) bool {
	return s.members(metaNames, func(k []byte) (int, bool) {
		if string(k) == "source" {
			return 0, s.setText(&m.Source)
		}
		return -1, true
	})
}

func decCoding(s *scanner, c *coding) bool {
	return s.members(codingNames, func(k []byte) (int, bool) {
		switch string(k) {
		case "system":
			return 0, s.setText(&c.System)
		case "code":
			return 1, s.setText(&c.Code)
		case "display":
			return 2, s.setText(&c.Display)
		}
		return -1, true
	})
}

func decCC(s *scanner, c *codeableConcept) bool {
	return s.members(ccNames, func(k []byte) (int, bool) {
		switch string(k) {
		case "coding":
			return 0, array(s, &c.Coding, decCoding, &s.a.codings)
		case "text":
			return 1, s.setText(&c.Text)
		}
		return -1, true
	})
}

func decReference(s *scanner, r *reference) bool {
	return s.members(referenceNames, func(k []byte) (int, bool) {
		if string(k) == "reference" {
			return 0, s.setText(&r.Reference)
		}
		return -1, true
	})
}

func decQuantity(s *scanner, q *quantity) bool {
	return s.members(quantityNames, func(k []byte) (int, bool) {
		switch string(k) {
		case "value":
			return 0, s.setFloatPtr(&q.Value)
		case "comparator":
			return 1, s.setText(&q.Comparator)
		case "unit":
			return 2, s.setText(&q.Unit)
		case "system":
			return 3, s.setText(&q.System)
		case "code":
			return 4, s.setText(&q.Code)
		}
		return -1, true
	})
}

func decExtension(s *scanner, e *extension) bool {
	return s.members(extensionNames, func(k []byte) (int, bool) {
		switch string(k) {
		case "url":
			return 0, s.setText(&e.URL)
		case "valueInteger":
			return 1, s.setFloatPtr(&e.ValueInteger)
		case "extension":
			return 2, array(s, &e.Extension, decExtension, nil)
		}
		return -1, true
	})
}

func decPeriod(s *scanner, p *period) bool {
	return s.members(periodNames, func(k []byte) (int, bool) {
		switch string(k) {
		case "start":
			return 0, s.setText(&p.Start)
		case "end":
			return 1, s.setText(&p.End)
		}
		return -1, true
	})
}

func decComponent(s *scanner, c *component) bool {
	return s.members(componentNames, func(k []byte) (int, bool) {
		switch string(k) {
		case "code":
			return 0, cachedValue(s, cacheOf(s, ccCache), true, &c.Code, decCC, detachCC)
		case "valueQuantity":
			return 1, cachedValue(s, cacheOf(s, qCache), true, &c.ValueQuantity, decQuantityPtr, detachQuantity)
		case "dataAbsentReason":
			return 2, pointer(s, &c.DataAbsentReason, decCC, &s.a.ccs)
		case "valueString":
			return 3, s.setTextPtr(&c.ValueString)
		case "valueCodeableConcept":
			return 4, pointer(s, &c.ValueCodeableConc, decCC, &s.a.ccs)
		}
		return -1, true
	})
}

func decDosage(s *scanner, d *dosage) bool {
	return s.members(dosageNames, func(k []byte) (int, bool) {
		switch string(k) {
		case "text":
			return 0, s.setText(&d.Text)
		case "timing":
			return 1, pointer(s, &d.Timing, decTiming, nil)
		case "doseAndRate":
			return 2, array(s, &d.DoseAndRate, decDoseAndRate, nil)
		case "dose":
			return 3, pointer(s, &d.Dose, decQuantity, &s.a.quantities)
		}
		return -1, true
	})
}

func decTiming(s *scanner, t *timing) bool {
	return s.members(timingNames, func(k []byte) (int, bool) {
		if string(k) == "repeat" {
			return 0, pointer(s, &t.Repeat, decRepeat, nil)
		}
		return -1, true
	})
}

func decRepeat(s *scanner, r *timingRepeat) bool {
	return s.members(repeatNames, func(k []byte) (int, bool) {
		if string(k) == "boundsPeriod" {
			return 0, pointer(s, &r.BoundsPeriod, decPeriod, &s.a.periods)
		}
		return -1, true
	})
}

func decDoseAndRate(s *scanner, d *doseAndRate) bool {
	return s.members(doseAndRateNames, func(k []byte) (int, bool) {
		if string(k) == "doseQuantity" {
			return 0, pointer(s, &d.DoseQuantity, decQuantity, &s.a.quantities)
		}
		return -1, true
	})
}

func decDispense(s *scanner, d *dispenseRequest) bool {
	return s.members(dispenseNames, func(k []byte) (int, bool) {
		if string(k) == "validityPeriod" {
			return 0, pointer(s, &d.ValidityPeriod, decPeriod, &s.a.periods)
		}
		return -1, true
	})
}

// decRawMessage keeps the value's bytes, as a json.RawMessage does (null
// too: encoding/json hands "null" to RawMessage.UnmarshalJSON).
func decRawMessage(s *scanner, m *json.RawMessage) bool {
	v, ok := s.span()
	*m = v
	return ok
}
