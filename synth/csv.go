package synth

import (
	"strconv"
	"strings"
)

// The CSV import layouts of csvio (README "Import"): patients, observations,
// therapies, diagnoses, biopsies, SLEDAI-2K findings and dialysis and
// transplant events, so that a CSV cohort carries the same lupus record as
// the NDJSON one: each therapy row names its drug (the stem cell infusion,
// which has none, by the msc_infusion therapy class), so that both imports
// give the same therapy courses. Diagnoses are written as the FHIR cohort codes them: sle and
// lupus_nephritis by name, CKD stages 4 and 5 and transplant history by
// their SNOMED CT codes.

// CSV files and their header rows.
const (
	FileCSVPatients     = "patients.csv"
	FileCSVObservations = "observations.csv"
	FileCSVTherapies    = "therapies.csv"
	FileCSVDiagnoses    = "diagnoses.csv"
	FileCSVBiopsies     = "biopsies.csv"
	FileCSVFindings     = "findings.csv"
	FileCSVEvents       = "events.csv"

	csvPatientsHeader     = "patient_id,birth_date,sex\n"
	csvObservationsHeader = "patient_id,time,analyte,value,unit,id,source\n"
	csvTherapiesHeader    = "patient_id,therapy,start,end,dose\n"
	csvDiagnosesHeader    = "patient_id,diagnosis,onset,id,source\n"
	csvBiopsiesHeader     = "patient_id,date,class,activity,chronicity,id,source\n"
	csvFindingsHeader     = "patient_id,time,finding,present,id,source\n"
	csvEventsHeader       = "patient_id,event,start,end,id,source\n"
)

// CSVFiles lists the CSV files in import order.
func CSVFiles() []string {
	return []string{FileCSVPatients, FileCSVTherapies, FileCSVObservations, FileCSVDiagnoses, FileCSVBiopsies, FileCSVFindings, FileCSVEvents}
}

// CSVHeader returns the header row of a CSV file.
func CSVHeader(name string) string {
	switch name {
	case FileCSVPatients:
		return csvPatientsHeader
	case FileCSVTherapies:
		return csvTherapiesHeader
	case FileCSVDiagnoses:
		return csvDiagnosesHeader
	case FileCSVBiopsies:
		return csvBiopsiesHeader
	case FileCSVFindings:
		return csvFindingsHeader
	case FileCSVEvents:
		return csvEventsHeader
	}
	return csvObservationsHeader
}

// CSV holds rows per file; Encode appends one patient's rows and Reset
// empties it.
type CSV struct {
	Patients, Observations, Therapies []byte
	Diagnoses, Biopsies, Findings     []byte
	Events                            []byte
}

// Buffer returns the buffer of file name.
func (c *CSV) Buffer(name string) []byte {
	switch name {
	case FileCSVPatients:
		return c.Patients
	case FileCSVTherapies:
		return c.Therapies
	case FileCSVDiagnoses:
		return c.Diagnoses
	case FileCSVBiopsies:
		return c.Biopsies
	case FileCSVFindings:
		return c.Findings
	case FileCSVEvents:
		return c.Events
	}
	return c.Observations
}

// Reset empties c, keeping its buffers.
func (c *CSV) Reset() {
	c.Patients, c.Observations, c.Therapies = c.Patients[:0], c.Observations[:0], c.Therapies[:0]
	c.Diagnoses, c.Biopsies, c.Findings, c.Events = c.Diagnoses[:0], c.Biopsies[:0], c.Findings[:0], c.Events[:0]
}

// appendSpan appends "id,kind,start,end" to b, the start of a therapies
// or events row; end is left empty unless hasEnd.
func appendSpan(b []byte, id, kind string, start, end int, hasEnd bool) []byte {
	b = append(b, id...)
	b = append(b, ',')
	b = append(b, kind...)
	b = append(b, ',')
	b = appendDate(b, start)
	b = append(b, ',')
	if hasEnd {
		b = appendDate(b, end)
	}
	return b
}

// Encode appends p as CSV rows to c. Results with no
// value (dataAbsentReason in FHIR) are left out: the layout has no way to
// say "ordered, no result".
func (c *CSV) Encode(p *Patient) {
	id := p.Truth.PatientID
	b := c.Patients
	b = append(b, id...)
	b = append(b, ',')
	b = appendDate(b, p.birth)
	b = append(b, ',')
	b = append(b, p.Truth.Sex...)
	c.Patients = append(b, '\n')

	b = c.Therapies
	row := func(class string, start, end int, dose string) {
		b = appendSpan(b, id, class, start, end, end != 0)
		b = append(b, ',')
		b = appendCSVField(b, dose)
		b = append(b, '\n')
	}
	for _, m := range p.Meds {
		row(m.Drug.csv, m.Start, m.End, m.Drug.dose)
	}
	if p.msc != 0 {
		row(msc.csv, p.msc, p.msc, msc.dose)
	}
	c.Therapies = b

	b = c.Observations
	obs := func(n int, suffix, analyte string, day int, v float64, u labUnit) {
		b = append(b, id...)
		b = append(b, ',')
		b = appendDate(b, day)
		b = append(b, ',')
		b = append(b, analyte...)
		b = append(b, ',')
		b = appendValue(b, v*u.factor, u.decimals)
		b = append(b, ',')
		b = append(b, u.code...)
		b = append(b, ',')
		b = resID(b, id, "o", n)
		b = append(b, suffix...)
		b = append(b, ",urn:renalwatch:synth\n"...)
	}
	for j, l := range p.Labs {
		if l.Absent {
			continue
		}
		sp := &labSpecs[l.Kind]
		u := sp.units[l.Unit]
		if l.Kind == BloodPressure {
			obs(j+1, "#8480-6", "systolic_bp", l.Day, l.Value, u)
			obs(j+1, "#8462-4", "diastolic_bp", l.Day, l.Value2, u)
			continue
		}
		obs(j+1, "", sp.csv, l.Day, l.Value, u)
	}
	c.Observations = b
	c.encodeLupus(p)
}

// csvSource ends a row: its id, then the source column.
func csvSource(b []byte, id, kind string, n int) []byte {
	b = append(b, ',')
	b = resID(b, id, kind, n)
	return append(b, ",urn:renalwatch:synth\n"...)
}

// encodeLupus appends p's diagnoses, biopsy, SLEDAI-2K findings and
// dialysis and transplant events, with the ids of the FHIR cohort's
// resources ("c", "p" and "s" numbered as fhir.go numbers them).
func (c *CSV) encodeLupus(p *Patient) {
	id := p.Truth.PatientID
	b, n := c.Diagnoses, 0
	diag := func(d string, onset int) {
		n++
		b = append(b, id...)
		b = append(b, ',')
		b = append(b, d...)
		b = append(b, ',')
		b = appendDate(b, onset)
		b = csvSource(b, id, "c", n)
	}
	diag("sle", p.sleOnset)
	if p.lnOnset != 0 {
		diag("lupus_nephritis", p.lnOnset)
	}
	if p.ckd4 != 0 {
		diag("431857002", p.ckd4) // Chronic kidney disease stage 4
	}
	if p.kf != 0 {
		diag("433146000", p.kf) // Chronic kidney disease stage 5
	}
	if p.transplant != 0 {
		diag("161665007", p.transplant) // History of renal transplant
	}
	c.Diagnoses = b

	n = 0 // Procedures: the biopsy, the infusion (a therapy row here), dialysis, transplant
	if p.lnOnset != 0 {
		n++
		b = c.Biopsies
		b = append(b, id...)
		b = append(b, ',')
		b = appendDate(b, p.lnOnset)
		b = append(b, ',')
		b = append(b, p.Truth.Class...)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(p.activity), 10)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(p.chronicity), 10)
		c.Biopsies = csvSource(b, id, "p", n)
	}
	if p.msc != 0 {
		n++
	}
	b = c.Events
	event := func(kind string, start, end int) {
		n++
		b = appendSpan(b, id, kind, start, end, end > 0)
		b = csvSource(b, id, "p", n)
	}
	if p.dialysis != 0 {
		event("hemodialysis", p.dialysis, p.transplant)
	}
	if p.transplant != 0 {
		event("kidney_transplant", p.transplant, 0)
	}
	c.Events = b

	b = c.Findings
	for j, fd := range p.Findings {
		b = append(b, id...)
		b = append(b, ',')
		b = appendDate(b, fd.Day)
		b = append(b, ',')
		b = append(b, fd.Code...)
		b = append(b, ',')
		if fd.Present {
			b = append(b, "yes"...)
		} else {
			b = append(b, "no"...)
		}
		b = csvSource(b, id, "s", j+1)
	}
	c.Findings = b
}

func appendCSVField(b []byte, s string) []byte {
	if !strings.ContainsAny(s, ",\"\n\r") {
		return append(b, s...)
	}
	b = append(b, '"')
	b = append(b, strings.ReplaceAll(s, `"`, `""`)...)
	return append(b, '"')
}
