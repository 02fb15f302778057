package main

import (
	"fmt"
	"strings"

	"renalwatch/record"
)

// retractedItem is a resource the source sent as entered in error, read as
// a retraction of the item stored under its id (record.Retraction; trial 3
// #2): listed in the import summary on its own, not among "skipped".
type retractedItem struct {
	File         string `json:"file"`
	Line         int    `json:"line,omitempty"`
	ResourceType string `json:"resource_type"`
	ID           string `json:"id"`
	PatientID    string `json:"patient_id"`
	Status       string `json:"status"`
	// Sent is what the retraction carried, as the source wrote it (code,
	// value and unit, date).
	Sent string `json:"sent,omitempty"`
}

// retractedItems lists the retractions of a batch as read from file.
func retractedItems(file string, rs []record.Retraction) []retractedItem {
	out := make([]retractedItem, 0, len(rs))
	for _, r := range rs {
		p := r.Provenance
		out = append(out, retractedItem{File: file, Line: p.Line, ResourceType: p.ResourceType, ID: p.ResourceID,
			PatientID: r.PatientID, Status: r.Status, Sent: r.Sent})
	}
	return out
}

// retractedNote says, once, what a retraction does to the stored record.
const retractedNote = "The source withdrew these (entered in error, or a diagnosis refuted). A record stored under the same id (now or later) is kept, " +
	"marked retracted, and no longer used by reports, alerts or the dashboard; reports list it under \"Not used\". " +
	"Nothing else of these resources is imported."

// printRetracted writes the "Retracted by the source" list (every one:
// they are few, and each changes what an assessment uses).
func printRetracted(b *strings.Builder, rs []retractedItem) {
	if len(rs) == 0 {
		return
	}
	fmt.Fprintf(b, "\nRetracted by the source (%d):\n", len(rs))
	for _, r := range rs {
		where := r.File
		if r.Line > 0 {
			where = fmt.Sprintf("%s:%d", r.File, r.Line)
		}
		sent := ""
		if r.Sent != "" {
			sent = "; as sent: " + r.Sent
		}
		fmt.Fprintf(b, "  %s: %s/%s (patient %s%s): %s\n", where, r.ResourceType, r.ID, r.PatientID, sent, r.Status)
	}
	b.WriteString("  " + retractedNote + "\n")
}

// safeRetracted returns a copy of rs with the source's text escaped.
func safeRetracted(rs []retractedItem) []retractedItem {
	out := append([]retractedItem(nil), rs...)
	for i := range out {
		r := &out[i]
		r.File, r.ResourceType, r.ID, r.PatientID = safeText(r.File), safeText(r.ResourceType), safeText(r.ID), safeText(r.PatientID)
		r.Status, r.Sent = safeText(r.Status), safeText(r.Sent)
	}
	return out
}
