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
	metaNames        = newFieldNames(8, "source", "lastUpdated")
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
		"dosage", "dispenseRequest", "contained", "type", "entry", "method")
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
		f, done, ok := s.next(resourceNames, n)
		if !ok {
			return false
		}
		if done {
			return true
		}
		switch f {
		case 0: // resourceType
			ok = s.setText(&r.ResourceType)
		case 1: // id
			switch s.peek() {
			case '"':
				var raw []byte
				var esc bool
				if raw, esc, ok = s.str(); !ok {
					break
				}
				switch {
				case esc:
					r.ID = unquote(raw)
				case mask&1 != 0 && r.ResourceType != "" && len(raw) > 0:
					// After resourceType: "Type/id" in one string, id its
					// tail (an empty id is no id: resourceID derives one).
					r.typedID = joinText(s.a, r.ResourceType, '/', raw)
					r.ID = r.typedID[len(r.ResourceType)+1:]
				default:
					r.ID = string(raw)
				}
			case 'n':
				ok = s.lit("null")
			default:
				ok = false
			}
		case 2: // meta
			ok = cachedValue(s, cacheOf(s, metaCache), false, &r.Meta, decMetaPtr, detachMeta)
		case 3: // extension
			ok = array(s, &r.Extension, decExtension, nil)
		case 4: // birthDate
			ok = s.setText(&r.BirthDate)
		case 5: // gender
			ok = s.setText(&r.Gender)
		case 6: // deceasedBoolean
			ok = s.setBoolPtr(&r.DeceasedBoolean)
		case 7: // deceasedDateTime
			ok = s.setText(&r.DeceasedDateTime)
		case 8: // status
			ok = s.setText(&r.Status)
		case 9: // code
			ok = cachedValue(s, cacheOf(s, ccCache), true, &r.Code, decCC, detachCC)
		case 10: // subject
			ok = cachedValue(s, cacheOf(s, refCache), false, &r.Subject, decReference, detachRef)
		case 11: // patient
			ok = cachedValue(s, cacheOf(s, refCache), false, &r.Patient, decReference, detachRef)
		case 12: // effectiveDateTime
			ok = s.setText(&r.EffectiveDateTime)
		case 13: // effectiveInstant
			ok = s.setText(&r.EffectiveInstant)
		case 14: // effectivePeriod
			ok = pointer(s, &r.EffectivePeriod, decPeriod, &s.a.periods)
		case 15: // valueQuantity
			ok = cachedValue(s, cacheOf(s, qCache), true, &r.ValueQuantity, decQuantityPtr, detachQuantity)
		case 16: // valueString
			ok = s.setTextPtr(&r.ValueString)
		case 17: // valueCodeableConcept
			ok = pointer(s, &r.ValueCodeableConc, decCC, &s.a.ccs)
		case 18: // valueBoolean
			ok = s.setBoolPtr(&r.ValueBoolean)
		case 19: // valueInteger
			ok = s.setFloatPtr(&r.ValueInteger)
		case 20: // dataAbsentReason
			ok = pointer(s, &r.DataAbsentReason, decCC, &s.a.ccs)
		case 21: // component
			ok = array(s, &r.Component, decComponent, &s.a.components)
		case 22: // clinicalStatus
			ok = cachedValue(s, cacheOf(s, ccpCache), true, &r.ClinicalStatus, decCCPtr, detachCCPtr)
		case 23: // verificationStatus
			ok = cachedValue(s, cacheOf(s, ccpCache), true, &r.VerificationStatus, decCCPtr, detachCCPtr)
		case 24: // stage
			ok = array(s, &r.Stage, decRawMessage, nil)
		case 25: // onsetDateTime
			ok = s.setText(&r.OnsetDateTime)
		case 26: // onsetPeriod
			ok = pointer(s, &r.OnsetPeriod, decPeriod, &s.a.periods)
		case 27: // abatementDateTime
			ok = s.setText(&r.AbatementDateTime)
		case 28: // abatementPeriod
			ok = pointer(s, &r.AbatementPeriod, decPeriod, &s.a.periods)
		case 29: // recordedDate
			ok = s.setText(&r.RecordedDate)
		case 30: // performedDateTime
			ok = s.setText(&r.PerformedDateTime)
		case 31: // performedPeriod
			ok = pointer(s, &r.PerformedPeriod, decPeriod, &s.a.periods)
		case 32: // medicationCodeableConcept
			ok = cachedValue(s, cacheOf(s, ccpCache), true, &r.MedicationCodeableConcept, decCCPtr, detachCCPtr)
		case 33: // medicationReference
			ok = pointer(s, &r.MedicationReference, decReference, nil)
		case 34: // authoredOn
			ok = s.setText(&r.AuthoredOn)
		case 35: // dosageInstruction
			ok = array(s, &r.DosageInstruction, decDosage, nil)
		case 36: // dosage
			ok = decRawMessage(s, &r.Dosage)
		case 37: // dispenseRequest
			ok = pointer(s, &r.DispenseRequest, decDispense, nil)
		case 38: // contained
			ok = array(s, &r.Contained, decRawMessage, nil)
		case 39: // type
			ok = s.setText(&r.Type)
		case 40: // entry
			ok = decEntries(s, r, inline && mask&1 != 0 && r.ResourceType == "Bundle")
		case 41: // method
			ok = pointer(s, &r.Method, decCC, &s.a.ccs)
		default:
			ok = s.other()
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
	return s.members(entryNames, func(f int) bool {
		switch f {
		case 0: // fullUrl
			return s.setText(&e.fullURL)
		case 1: // resource
			return decEntryResource(s, e, inline)
		}
		return true
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
// leaves the struct as it is): field decodes the value of the member
// whose field number (next) is f, below 64; other keys' values are passed
// over.
func (s *scanner) members(names *fieldNames, field func(f int) bool) bool {
	if null, ok := s.object(); null || !ok {
		return ok
	}
	var mask uint64
	for n := 0; ; n++ {
		f, done, ok := s.next(names, n)
		if !ok {
			return false
		}
		if done {
			return true
		}
		if f == otherField {
			ok = s.other()
		} else {
			ok = field(f)
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
	return s.members(metaNames, func(f int) bool {
		switch f {
		case 0: // source
			return s.setText(&m.Source)
		case 1: // lastUpdated
			return s.setText(&m.LastUpdated)
		}
		return true
	})
}

func decCoding(s *scanner, c *coding) bool {
	return s.members(codingNames, func(f int) bool {
		switch f {
		case 0: // system
			return s.setText(&c.System)
		case 1: // code
			return s.setText(&c.Code)
		case 2: // display
			return s.setText(&c.Display)
		}
		return true
	})
}

func decCC(s *scanner, c *codeableConcept) bool {
	return s.members(ccNames, func(f int) bool {
		switch f {
		case 0: // coding
			return array(s, &c.Coding, decCoding, &s.a.codings)
		case 1: // text
			return s.setText(&c.Text)
		}
		return true
	})
}

func decReference(s *scanner, r *reference) bool {
	return s.members(referenceNames, func(f int) bool {
		if f == 0 { // reference
			return s.setText(&r.Reference)
		}
		return true
	})
}

func decQuantity(s *scanner, q *quantity) bool {
	return s.members(quantityNames, func(f int) bool {
		switch f {
		case 0: // value
			return s.setFloatPtr(&q.Value)
		case 1: // comparator
			return s.setText(&q.Comparator)
		case 2: // unit
			return s.setText(&q.Unit)
		case 3: // system
			return s.setText(&q.System)
		case 4: // code
			return s.setText(&q.Code)
		}
		return true
	})
}

func decExtension(s *scanner, e *extension) bool {
	return s.members(extensionNames, func(f int) bool {
		switch f {
		case 0: // url
			return s.setText(&e.URL)
		case 1: // valueInteger
			return s.setFloatPtr(&e.ValueInteger)
		case 2: // extension
			return array(s, &e.Extension, decExtension, nil)
		}
		return true
	})
}

func decPeriod(s *scanner, p *period) bool {
	return s.members(periodNames, func(f int) bool {
		switch f {
		case 0: // start
			return s.setText(&p.Start)
		case 1: // end
			return s.setText(&p.End)
		}
		return true
	})
}

func decComponent(s *scanner, c *component) bool {
	return s.members(componentNames, func(f int) bool {
		switch f {
		case 0: // code
			return cachedValue(s, cacheOf(s, ccCache), true, &c.Code, decCC, detachCC)
		case 1: // valueQuantity
			return cachedValue(s, cacheOf(s, qCache), true, &c.ValueQuantity, decQuantityPtr, detachQuantity)
		case 2: // dataAbsentReason
			return pointer(s, &c.DataAbsentReason, decCC, &s.a.ccs)
		case 3: // valueString
			return s.setTextPtr(&c.ValueString)
		case 4: // valueCodeableConcept
			return pointer(s, &c.ValueCodeableConc, decCC, &s.a.ccs)
		}
		return true
	})
}

func decDosage(s *scanner, d *dosage) bool {
	return s.members(dosageNames, func(f int) bool {
		switch f {
		case 0: // text
			return s.setText(&d.Text)
		case 1: // timing
			return pointer(s, &d.Timing, decTiming, nil)
		case 2: // doseAndRate
			return array(s, &d.DoseAndRate, decDoseAndRate, nil)
		case 3: // dose
			return pointer(s, &d.Dose, decQuantity, &s.a.quantities)
		}
		return true
	})
}

func decTiming(s *scanner, t *timing) bool {
	return s.members(timingNames, func(f int) bool {
		if f == 0 { // repeat
			return pointer(s, &t.Repeat, decRepeat, nil)
		}
		return true
	})
}

func decRepeat(s *scanner, r *timingRepeat) bool {
	return s.members(repeatNames, func(f int) bool {
		if f == 0 { // boundsPeriod
			return pointer(s, &r.BoundsPeriod, decPeriod, &s.a.periods)
		}
		return true
	})
}

func decDoseAndRate(s *scanner, d *doseAndRate) bool {
	return s.members(doseAndRateNames, func(f int) bool {
		if f == 0 { // doseQuantity
			return pointer(s, &d.DoseQuantity, decQuantity, &s.a.quantities)
		}
		return true
	})
}

func decDispense(s *scanner, d *dispenseRequest) bool {
	return s.members(dispenseNames, func(f int) bool {
		if f == 0 { // validityPeriod
			return pointer(s, &d.ValidityPeriod, decPeriod, &s.a.periods)
		}
		return true
	})
}

// decRawMessage keeps the value's bytes, as a json.RawMessage does (null
// too: encoding/json hands "null" to RawMessage.UnmarshalJSON).
func decRawMessage(s *scanner, m *json.RawMessage) bool {
	v, ok := s.span()
	*m = v
	return ok
}
