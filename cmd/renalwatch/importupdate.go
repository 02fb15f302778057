package main

import (
	"fmt"
	"strings"
	"time"

	"renalwatch/record"
	"renalwatch/store"
)

// patientUpdate is a patient whose stored details the import replaced (a
// Patient sent again with other details: the last import wins;
// store.ImportResult.PatientChanges). The details replaced stay in the
// store, and reports say what changed.
type patientUpdate struct {
	File      string               `json:"file"`
	Line      int                  `json:"line,omitempty"`
	PatientID string               `json:"patient_id"`
	Changes   []record.FieldChange `json:"changes"`
	// LastUpdated and StoredLastUpdated are the meta.lastUpdated of the
	// details read and of those stored, when given (RFC 3339, UTC).
	LastUpdated       string `json:"last_updated,omitempty"`
	StoredLastUpdated string `json:"stored_last_updated,omitempty"`
	// Text is the change as the text summary writes it: "patient h1:
	// birth date 1980-01-01 → 2025-01-01".
	Text string `json:"text"`
}

func patientUpdates(file string, cs []store.PatientChange) []patientUpdate {
	out := make([]patientUpdate, 0, len(cs))
	for _, c := range cs {
		out = append(out, patientUpdate{File: file, Line: c.Provenance.Line, PatientID: c.PatientID, Changes: c.Changes, Text: c.Text(),
			LastUpdated: instant(c.Updated), StoredLastUpdated: instant(c.StoredUpdated)})
	}
	return out
}

// instant is t in RFC 3339 (UTC), "" for the zero time.
func instant(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// updatedNote says, once, what an update of a patient's details does.
const updatedNote = "A Patient sent again with other details is the patient's current state: its details replace the stored ones " +
	"(the last import wins). The details replaced are kept in the store, and reports say what changed."

// printUpdated writes the "Patient details updated" list and the
// "older than stored, not applied" one (every one: each changes, or
// would have changed, ages and eGFRs).
func printUpdated(b *strings.Builder, us, stale []patientUpdate) {
	if len(us) > 0 {
		fmt.Fprintf(b, "\nPatient details updated (%d):\n", len(us))
		for _, u := range us {
			fmt.Fprintf(b, "  %s (%s)\n", u.Text, u.where())
		}
		fmt.Fprintf(b, "  %s\n", updatedNote)
	}
	if len(stale) > 0 {
		fmt.Fprintf(b, "\nPatient details older than stored, not applied (%d):\n", len(stale))
		for _, u := range stale {
			fmt.Fprintf(b, "  %s (%s; meta.lastUpdated %s, stored %s)\n", u.Text, u.where(), u.LastUpdated, u.StoredLastUpdated)
		}
	}
}

// where is the file and line the details were read from.
func (u patientUpdate) where() string {
	if u.Line > 0 {
		return fmt.Sprintf("%s:%d", u.File, u.Line)
	}
	return u.File
}

// safeUpdated returns a copy of us with the source's text escaped.
func safeUpdated(us []patientUpdate) []patientUpdate {
	out := append([]patientUpdate(nil), us...)
	for i := range out {
		out[i].File, out[i].PatientID, out[i].Text = safeText(out[i].File), safeText(out[i].PatientID), safeText(out[i].Text)
	}
	return out
}
