package synth

import (
	"math"
	"strconv"
)

// FHIR Bulk Data NDJSON, one resource per line, in the shapes
// `renalwatch import` reads (fhir/read.go, fhir/codes.go): LOINC-coded
// Observations with UCUM quantities, the 85354-9 blood pressure panel with
// 8480-6/8462-4 components, SLEDAI-2K descriptors under
// urn:renalwatch:sledai-2k with valueBoolean, SNOMED CT Conditions,
// Procedures (kidney biopsy and stem cell infusion read from their text, the
// biopsy's NIH totals in the urn:renalwatch:nih-lupus-nephritis extension,
// dialysis 302497006, transplant 70536003) and MedicationRequests coded with
// ATC (and RxNorm where fhir/codes.go maps the code).

// Resource files, in the order `renalwatch import` wants them.
const (
	FilePatient           = "Patient.ndjson"
	FileCondition         = "Condition.ndjson"
	FileProcedure         = "Procedure.ndjson"
	FileMedicationRequest = "MedicationRequest.ndjson"
	FileObservation       = "Observation.ndjson"
)

// FHIRFiles lists the NDJSON files in import order.
func FHIRFiles() []string {
	return []string{FilePatient, FileCondition, FileProcedure, FileMedicationRequest, FileObservation}
}

// FHIR holds NDJSON lines per file; Encode appends one patient's lines and
// Reset empties it.
type FHIR struct {
	Patient, Condition, Procedure, MedicationRequest, Observation []byte
}

// Buffer returns the buffer of file name.
func (f *FHIR) Buffer(name string) []byte {
	switch name {
	case FilePatient:
		return f.Patient
	case FileCondition:
		return f.Condition
	case FileProcedure:
		return f.Procedure
	case FileMedicationRequest:
		return f.MedicationRequest
	}
	return f.Observation
}

const (
	meta      = `"meta":{"source":"urn:renalwatch:synth"}`
	subjectP  = `"subject":{"reference":"Patient/`
	loincSys  = `http://loinc.org`
	snomedSys = `http://snomed.info/sct`
	ucumSys   = `http://unitsofmeasure.org`
)

// Reset empties f, keeping its buffers.
func (f *FHIR) Reset() {
	f.Patient, f.Condition, f.Procedure = f.Patient[:0], f.Condition[:0], f.Procedure[:0]
	f.MedicationRequest, f.Observation = f.MedicationRequest[:0], f.Observation[:0]
}

// Encode appends p as FHIR NDJSON to f.
func (f *FHIR) Encode(p *Patient) {
	id := p.Truth.PatientID

	b := f.Patient
	b = append(b, `{"resourceType":"Patient","id":"`...)
	b = append(b, id...)
	b = append(b, `","meta":{"source":"urn:renalwatch:synth","tag":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ActReason","code":"HTEST","display":"test health data"}]},"gender":"`...)
	b = append(b, p.Truth.Sex...)
	b = append(b, `","birthDate":"`...)
	b = appendDate(b, p.birth)
	b = append(b, "\"}\n"...)
	f.Patient = b

	n := 0
	cond := func(code, display, text string, onset int) {
		n++
		b := f.Condition
		b = append(b, `{"resourceType":"Condition","id":"`...)
		b = resID(b, id, "c", n)
		b = append(b, `",`+meta+`,"clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical","code":"active"}]},"verificationStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-ver-status","code":"confirmed"}]},"code":{"coding":[{"system":"`+snomedSys+`","code":"`...)
		b = append(b, code...)
		b = append(b, `","display":"`...)
		b = append(b, display...)
		b = append(b, `"}]`...)
		if text != "" {
			b = append(b, `,"text":"`...)
			b = append(b, text...)
			b = append(b, '"')
		}
		b = append(b, `},`+subjectP...)
		b = append(b, id...)
		b = append(b, `"},"onsetDateTime":"`...)
		b = appendDate(b, onset)
		b = append(b, "\"}\n"...)
		f.Condition = b
	}
	cond("55464009", "Systemic lupus erythematosus", "", p.sleOnset)
	if p.lnOnset != 0 {
		cond("68815009", "Systemic lupus erythematosus glomerulonephritis syndrome", "Lupus nephritis, ISN/RPS class "+classText(p.Truth.Class), p.lnOnset)
	}
	if p.ckd4 != 0 {
		cond("431857002", "Chronic kidney disease stage 4", "", p.ckd4)
	}
	if p.kf != 0 {
		cond("433146000", "Chronic kidney disease stage 5", "", p.kf)
	}
	if p.transplant != 0 {
		cond("161665007", "History of renal transplant", "", p.transplant)
	}

	n = 0
	proc := func(code, display, text string, start, end int, status string, ext []byte) {
		n++
		b := f.Procedure
		b = append(b, `{"resourceType":"Procedure","id":"`...)
		b = resID(b, id, "p", n)
		b = append(b, `",`+meta+`,"status":"`...)
		b = append(b, status...)
		b = append(b, `","code":{`...)
		if code != "" {
			b = append(b, `"coding":[{"system":"`+snomedSys+`","code":"`...)
			b = append(b, code...)
			b = append(b, `","display":"`...)
			b = append(b, display...)
			b = append(b, `"}],`...)
		}
		b = append(b, `"text":"`...)
		b = append(b, text...)
		b = append(b, `"},`+subjectP...)
		b = append(b, id...)
		b = append(b, `"},`...)
		if end < 0 {
			b = append(b, `"performedDateTime":"`...)
			b = appendDate(b, start)
			b = append(b, '"')
		} else {
			b = append(b, `"performedPeriod":{"start":"`...)
			b = appendDate(b, start)
			if end > 0 {
				b = append(b, `","end":"`...)
				b = appendDate(b, end)
			}
			b = append(b, `"}`...)
		}
		b = append(b, ext...)
		b = append(b, "}\n"...)
		f.Procedure = b
	}
	if p.lnOnset != 0 {
		ext := []byte(`,"extension":[{"url":"urn:renalwatch:nih-lupus-nephritis","extension":[{"url":"activity_index","valueInteger":`)
		ext = strconv.AppendInt(ext, int64(p.activity), 10)
		ext = append(ext, `},{"url":"chronicity_index","valueInteger":`...)
		ext = strconv.AppendInt(ext, int64(p.chronicity), 10)
		ext = append(ext, `}]}]`...)
		proc("", "", "Percutaneous kidney biopsy: lupus nephritis ISN/RPS class "+classText(p.Truth.Class), p.lnOnset, -1, "completed", ext)
	}
	if p.msc != 0 {
		proc("", "", msc.text, p.msc, p.msc, "completed", nil)
	}
	if p.dialysis != 0 {
		end, status := p.transplant, "completed"
		if end == 0 {
			status = "in-progress"
		}
		proc("302497006", "Hemodialysis", "Haemodialysis, 4 h three times a week", p.dialysis, end, status, nil)
	}
	if p.transplant != 0 {
		proc("70536003", "Transplantation of kidney", "Kidney transplant", p.transplant, -1, "completed", nil)
	}

	for j, m := range p.Meds {
		f.MedicationRequest = encodeMed(f.MedicationRequest, id, j+1, m)
	}

	for j, l := range p.Labs {
		f.Observation = encodeLab(f.Observation, id, j+1, l)
	}
	for j, fd := range p.Findings {
		b := f.Observation
		b = append(b, `{"resourceType":"Observation","id":"`...)
		b = resID(b, id, "s", j+1)
		b = append(b, `",`+meta+`,"status":"final","category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"exam"}]}],"code":{"coding":[{"system":"urn:renalwatch:sledai-2k","code":"`...)
		b = append(b, fd.Code...)
		b = append(b, `"}],"text":"SLEDAI-2K descriptor `...)
		b = append(b, fd.Code...)
		b = append(b, `"},`+subjectP...)
		b = append(b, id...)
		b = append(b, `"},"effectiveDateTime":"`...)
		b = appendDate(b, fd.Day)
		b = append(b, `","valueBoolean":`...)
		b = strconv.AppendBool(b, fd.Present)
		b = append(b, "}\n"...)
		f.Observation = b
	}
}

// classText spells an ISN/RPS class as the importer's class pattern reads it
// ("IV + V").
func classText(c string) string {
	switch c {
	case "III+V":
		return "III + V"
	case "IV+V":
		return "IV + V"
	}
	return c
}

func resID(b []byte, pid, kind string, n int) []byte {
	b = append(b, pid...)
	b = append(b, '-')
	b = append(b, kind...)
	return strconv.AppendInt(b, int64(n), 10)
}

// appendValue appends v rounded to decimals.
func appendValue(b []byte, v float64, decimals int) []byte {
	s := math.Pow10(decimals)
	return strconv.AppendFloat(b, math.Round(v*s)/s, 'f', -1, 64)
}

func appendQuantity(b []byte, v float64, u labUnit) []byte {
	b = append(b, `{"value":`...)
	b = appendValue(b, v*u.factor, u.decimals)
	b = append(b, `,"unit":"`...)
	b = append(b, u.text...)
	b = append(b, `","system":"`+ucumSys+`","code":"`...)
	b = append(b, u.code...)
	return append(b, `"}`...)
}

func encodeLab(b []byte, pid string, n int, l Lab) []byte {
	sp := &labSpecs[l.Kind]
	b = append(b, `{"resourceType":"Observation","id":"`...)
	b = resID(b, pid, "o", n)
	b = append(b, `",`+meta+`,"status":"final","category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"`...)
	b = append(b, sp.category...)
	b = append(b, `"}]}],"code":{"coding":[{"system":"`+loincSys+`","code":"`...)
	b = append(b, sp.loinc...)
	b = append(b, `","display":"`...)
	b = append(b, sp.display...)
	b = append(b, `"}]},`+subjectP...)
	b = append(b, pid...)
	b = append(b, `"},"effectiveDateTime":"`...)
	b = appendDate(b, l.Day)
	b = append(b, `",`...)
	u := sp.units[l.Unit]
	switch {
	case l.Absent:
		b = append(b, `"dataAbsentReason":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/data-absent-reason","code":"error","display":"Error"}],"text":"sample haemolysed"}`...)
	case l.Kind == BloodPressure:
		b = append(b, `"component":[{"code":{"coding":[{"system":"`+loincSys+`","code":"8480-6","display":"Systolic blood pressure"}]},"valueQuantity":`...)
		b = appendQuantity(b, l.Value, u)
		b = append(b, `},{"code":{"coding":[{"system":"`+loincSys+`","code":"8462-4","display":"Diastolic blood pressure"}]},"valueQuantity":`...)
		b = appendQuantity(b, l.Value2, u)
		b = append(b, `}]`...)
	default:
		b = append(b, `"valueQuantity":`...)
		b = appendQuantity(b, l.Value, u)
	}
	return append(b, "}\n"...)
}

func encodeMed(b []byte, pid string, n int, m Med) []byte {
	d := m.Drug
	status := "active"
	if m.End != 0 {
		status = "completed"
	}
	b = append(b, `{"resourceType":"MedicationRequest","id":"`...)
	b = resID(b, pid, "m", n)
	b = append(b, `",`+meta+`,"status":"`...)
	b = append(b, status...)
	b = append(b, `","intent":"order","medicationCodeableConcept":{"coding":[`...)
	if d.rx != "" {
		b = append(b, `{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"`...)
		b = append(b, d.rx...)
		b = append(b, `"},`...)
	}
	b = append(b, `{"system":"http://www.whocc.no/atc","code":"`...)
	b = append(b, d.atc...)
	b = append(b, `","display":"`...)
	b = append(b, d.display...)
	b = append(b, `"}],"text":"`...)
	b = append(b, d.text...)
	b = append(b, `"},`+subjectP...)
	b = append(b, pid...)
	b = append(b, `"},"authoredOn":"`...)
	b = appendDate(b, m.Start)
	b = append(b, `","dosageInstruction":[{"text":"`...)
	b = append(b, d.dose...)
	b = append(b, `","timing":{"repeat":{"boundsPeriod":{"start":"`...)
	b = appendDate(b, m.Start)
	if m.End != 0 {
		b = append(b, `","end":"`...)
		b = appendDate(b, m.End)
	}
	return append(b, "\"}}}}]}\n"...)
}
