package assess

import (
	"strings"
	"time"

	"renalwatch/record"
)

// PatientUpdate is a later import that replaced the patient's details (a
// Patient sent again with other details: the last import wins; the store
// keeps the details replaced). Ages and eGFRs use the current details; the
// report says what changed so that a reader can tell.
type PatientUpdate struct {
	// Time is when the import stored the new details, UTC.
	Time time.Time `json:"time"`
	// File is the file the new details were read from; empty when unknown.
	File string `json:"file,omitempty"`
	// Changes lists each field with its value before and after.
	Changes []record.FieldChange `json:"changes"`
	// Text is the line the report prints: "Patient details updated on
	// import of p.csv at 2026-01-02 10:00 UTC: birth date was 1980-01-01
	// (now 1979-01-01)".
	Text string `json:"text"`
}

// patientUpdates lists the timeline's updates of the patient's details,
// oldest first: every one, whatever the as-of date, since the assessment
// uses the current details.
func patientUpdates(us []record.PatientUpdate) []PatientUpdate {
	var out []PatientUpdate
	for _, u := range us {
		if len(u.Changes) == 0 {
			continue
		}
		at := u.Time.UTC()
		text := "Patient details updated on import"
		if u.File != "" {
			text += " of " + u.File
		}
		parts := make([]string, len(u.Changes))
		for i, c := range u.Changes {
			parts[i] = c.Field + " was " + c.Old + " (now " + c.New + ")"
		}
		text += " at " + at.Format("2006-01-02 15:04 UTC") + ": " + strings.Join(parts, ", ")
		out = append(out, PatientUpdate{Time: at, File: u.File, Changes: u.Changes, Text: text})
	}
	return out
}
