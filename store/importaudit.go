package store

import (
	"strings"
	"time"

	"renalwatch/internal/labtext"
	"renalwatch/record"
)

// ImportAudit, set in ImportOptions.Audit, has the import write one audit
// row per patient whose record it changed, in the import's own
// transaction: the rows and the data are committed together or not at
// all, so the audit trail never names a change that was rolled back nor
// misses one that was stored. Each row has Action "import", the patient,
// Time and Who, and the counts as Outcome (PatientCounts.Outcome). The
// import's own row (written by the caller: its counts, never a file name,
// which may itself identify a patient) carries the same Time and Who,
// which link it to its patients' rows.
type ImportAudit struct {
	Time time.Time // the import's time; zero: when the import commits
	Who  string
}

// PatientCounts is what one import changed in one patient's record.
type PatientCounts struct {
	NewPatient   bool // the patient was stored for the first time
	Observations int
	Conditions   int
	Findings     int
	Biopsies     int
	Therapies    int
	Replacements int
	Retractions  int // results withdrawn (entered in error)
	Corrections  int // results corrected (amended, corrected)
	// Details lists the details a Patient sent again replaced.
	Details []record.FieldChange
}

// Outcome is the audit row's outcome: "ok: new patient, 12 observations,
// 1 correction, details birth date 1980-01-01 → 1979-01-01".
func (c *PatientCounts) Outcome() string {
	var parts []string
	if c.NewPatient {
		parts = append(parts, "new patient")
	}
	for _, n := range []struct {
		n           int
		one, plural string
	}{
		{c.Observations, "observation", "observations"},
		{c.Conditions, "condition", "conditions"},
		{c.Findings, "finding", "findings"},
		{c.Biopsies, "biopsy", "biopsies"},
		{c.Therapies, "therapy record", "therapy records"},
		{c.Replacements, "kidney replacement record", "kidney replacement records"},
		{c.Corrections, "correction", "corrections"},
		{c.Retractions, "retraction", "retractions"},
	} {
		if n.n > 0 {
			parts = append(parts, labtext.CountAs(n.n, n.one, n.plural))
		}
	}
	if len(c.Details) > 0 {
		var ds []string
		for _, f := range c.Details {
			ds = append(ds, f.Field+" "+f.Old+" → "+f.New)
		}
		parts = append(parts, "details "+strings.Join(ds, ", "))
	}
	return "ok: " + strings.Join(parts, ", ")
}
