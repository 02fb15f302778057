package synth

import "strings"

// The CSV import layouts of csvio (README "Import"): patients, observations
// and therapies. CSV has no place for diagnoses, biopsies, SLEDAI-2K
// findings, dialysis or transplant: a CSV cohort carries only demographics,
// laboratory values and therapies (the stem cell infusion as the
// msc_infusion therapy class).

// CSV files and their header rows.
const (
	FileCSVPatients     = "patients.csv"
	FileCSVObservations = "observations.csv"
	FileCSVTherapies    = "therapies.csv"

	csvPatientsHeader     = "patient_id,birth_date,sex\n"
	csvObservationsHeader = "patient_id,time,analyte,value,unit,id,source\n"
	csvTherapiesHeader    = "patient_id,therapy,start,end,dose\n"
)

// CSVFiles lists the CSV files in import order.
func CSVFiles() []string { return []string{FileCSVPatients, FileCSVTherapies, FileCSVObservations} }

// CSVHeader returns the header row of a CSV file.
func CSVHeader(name string) string {
	switch name {
	case FileCSVPatients:
		return csvPatientsHeader
	case FileCSVTherapies:
		return csvTherapiesHeader
	}
	return csvObservationsHeader
}

// CSV holds rows per file; Encode appends one patient's rows and Reset
// empties it.
type CSV struct {
	Patients, Observations, Therapies []byte
}

// Buffer returns the buffer of file name.
func (c *CSV) Buffer(name string) []byte {
	switch name {
	case FileCSVPatients:
		return c.Patients
	case FileCSVTherapies:
		return c.Therapies
	}
	return c.Observations
}

// Reset empties c, keeping its buffers.
func (c *CSV) Reset() {
	c.Patients, c.Observations, c.Therapies = c.Patients[:0], c.Observations[:0], c.Therapies[:0]
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
		b = append(b, id...)
		b = append(b, ',')
		b = append(b, class...)
		b = append(b, ',')
		b = appendDate(b, start)
		b = append(b, ',')
		if end != 0 {
			b = appendDate(b, end)
		}
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
}

func appendCSVField(b []byte, s string) []byte {
	if !strings.ContainsAny(s, ",\"\n\r") {
		return append(b, s...)
	}
	b = append(b, '"')
	b = append(b, strings.ReplaceAll(s, `"`, `""`)...)
	return append(b, '"')
}
