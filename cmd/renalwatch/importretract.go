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
	// Element is the element that carried the status: "status" (an
	// Observation) or "verificationStatus" (a Condition); Status is its
	// code, such as "entered-in-error" or "refuted".
	Element string `json:"element"`
	Status  string `json:"status"`
	// Sent is what the retraction carried, as the source wrote it (code,
	// value and unit, date).
	Sent string `json:"sent,omitempty"`
}

// retractedItems lists the retractions of a batch as read from file, but
// not its corrections (counted by the store: importTotals.Corrected).
func retractedItems(file string, rs []record.Retraction) []retractedItem {
	out := make([]retractedItem, 0, len(rs))
	for _, r := range rs {
		if r.IsCorrection() {
			continue
		}
		p := r.Provenance
		// record.Retraction.Status is the element and the code
		// ("status entered-in-error"): the JSON gives them apart, so that
		// "status" is the code alone.
		element, status, ok := strings.Cut(r.Status, " ")
		if !ok {
			element, status = "", r.Status
		}
		out = append(out, retractedItem{File: file, Line: p.Line, ResourceType: p.ResourceType, ID: p.ResourceID,
			PatientID: r.PatientID, Element: element, Status: status, Sent: r.Sent})
	}
	return out
}

// retractedNote says, once, what a retraction does to the stored record.
const retractedNote = "The source withdrew these (entered in error, or a diagnosis refuted). A record stored under the same id (now or later) is kept, " +
	"marked retracted, and no longer used by reports, alerts or the dashboard; reports list it under \"Not used\". " +
	"Nothing else of these resources is imported."

// correctedNote says, once, what a correction does to the stored record.
const correctedNote = "Observations sent again under a stored id with status amended or corrected and a new value (FHIR R4 observation-status). " +
	"The value stored before is kept; reports, alerts, exports and the dashboard use the correction (the newest by meta.lastUpdated when every " +
	"correction carries one, else the last received) and list the value it replaced under \"Not used\"."

// withdrawn is the summary's ", retracted N, corrected N, updated N" when
// the import stored retractions, corrections or patient updates, else "".
func withdrawn(t importTotals) string {
	s := ""
	if t.Retractions > 0 {
		s += fmt.Sprintf(", retracted %d", t.Retractions)
	}
	if t.Corrected > 0 {
		s += fmt.Sprintf(", corrected %d", t.Corrected)
	}
	if t.Updated > 0 {
		s += fmt.Sprintf(", updated %d", t.Updated)
	}
	return s
}

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
		fmt.Fprintf(b, "  %s: %s/%s (patient %s%s): %s\n", where, r.ResourceType, r.ID, r.PatientID, sent, strings.TrimSpace(r.Element+" "+r.Status))
	}
	b.WriteString("  " + retractedNote + "\n")
}

// safeRetracted returns a copy of rs with the source's text escaped.
func safeRetracted(rs []retractedItem) []retractedItem {
	out := append([]retractedItem(nil), rs...)
	for i := range out {
		r := &out[i]
		r.File, r.ResourceType, r.ID, r.PatientID = safeText(r.File), safeText(r.ResourceType), safeText(r.ID), safeText(r.PatientID)
		r.Element, r.Status, r.Sent = safeText(r.Element), safeText(r.Status), safeText(r.Sent)
	}
	return out
}
