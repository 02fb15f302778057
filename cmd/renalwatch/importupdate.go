package main

import (
	"context"
	"fmt"
	"strings"

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
	// Text is the change as the text summary writes it: "patient h1:
	// birth date 1980-01-01 → 2025-01-01".
	Text string `json:"text"`
}

func patientUpdates(file string, cs []store.PatientChange) []patientUpdate {
	out := make([]patientUpdate, 0, len(cs))
	for _, c := range cs {
		out = append(out, patientUpdate{File: file, Line: c.Provenance.Line, PatientID: c.PatientID, Changes: c.Changes, Text: c.Text()})
	}
	return out
}

// updatedNote says, once, what an update of a patient's details does.
const updatedNote = "A Patient sent again with other details is the patient's current state: its details replace the stored ones " +
	"(the last import wins). The details replaced are kept in the store, and reports say what changed."

// printUpdated writes the "Patient details updated" list (every one:
// each changes ages and eGFRs).
func printUpdated(b *strings.Builder, us []patientUpdate) {
	if len(us) == 0 {
		return
	}
	fmt.Fprintf(b, "\nPatient details updated (%d):\n", len(us))
	for _, u := range us {
		where := u.File
		if u.Line > 0 {
			where = fmt.Sprintf("%s:%d", u.File, u.Line)
		}
		fmt.Fprintf(b, "  %s (%s)\n", u.Text, where)
	}
	fmt.Fprintf(b, "  %s\n", updatedNote)
}

// safeUpdated returns a copy of us with the source's text escaped.
func safeUpdated(us []patientUpdate) []patientUpdate {
	out := append([]patientUpdate(nil), us...)
	for i := range out {
		out[i].File, out[i].PatientID, out[i].Text = safeText(out[i].File), safeText(out[i].PatientID), safeText(out[i].Text)
	}
	return out
}

// auditUpdated writes one audit row per patient whose details the import
// replaced, naming the patient and what changed (the import's own row
// names no patient).
func auditUpdated(ctx context.Context, a store.Auditor, who string, us []patientUpdate) error {
	for _, u := range us {
		var parts []string
		for _, c := range u.Changes {
			parts = append(parts, c.Field+" "+c.Old+" → "+c.New)
		}
		if err := a.Audit(ctx, store.AuditEntry{Time: now(), Who: who, Action: "update patient", PatientID: u.PatientID,
			Outcome: "ok: " + strings.Join(parts, ", ")}); err != nil {
			return err
		}
	}
	return nil
}
