package main

import (
	"fmt"
	"strings"
	"time"

	"renalwatch/assess"
	"renalwatch/internal/textfmt"
	"renalwatch/record"
	"renalwatch/store"
)

// correctedItem is an Observation the source sent again under a stored id
// with status amended or corrected and a new value, which the import
// stored as a correction of the stored one (store.ImportResult.Corrections;
// listed like the retractions, importretract.go).
type correctedItem struct {
	File         string `json:"file"`
	Line         int    `json:"line,omitempty"`
	ResourceType string `json:"resource_type"`
	ID           string `json:"id"`
	PatientID    string `json:"patient_id"`
	Analyte      string `json:"analyte"`
	// Status is the observation status the correction was sent with
	// ("corrected", "amended").
	Status string `json:"status"`
	// Replaced is the value stored before, which stays stored but is no
	// longer used; Sent is the correction's value. Both are in the unit
	// the source reported them in, unrounded.
	Replaced correctedValue `json:"replaced"`
	Sent     correctedValue `json:"sent"`
	// BackToStored is true when the correction restores the value stored
	// first (Replaced) while another correction of it was in force.
	BackToStored bool `json:"back_to_stored,omitempty"`
	// Text is the line the text summary writes: "Observation/cr35
	// (patient p1): creatinine 2.35 mg/dL on 2026-09-17 replaced by 1.20
	// mg/dL (status corrected; fix.ndjson:1)".
	Text string `json:"text"`
}

// correctedValue is one value of a correction.
type correctedValue struct {
	Value      float64 `json:"value"`
	Unit       string  `json:"unit"`
	Comparator string  `json:"comparator,omitempty"`
	// Time is the time of measurement (RFC 3339, UTC).
	Time string `json:"time"`
}

// correctedItems lists the corrections the import of file stored.
func correctedItems(file string, cs []store.Correction) []correctedItem {
	out := make([]correctedItem, 0, len(cs))
	for _, c := range cs {
		sent, old := c.Correction.Replacement, &c.Replaced
		p := c.Correction.Provenance
		rt := p.ResourceType
		if rt == "" {
			rt = "Observation"
		}
		id := p.ResourceID
		if id == "" {
			id = c.Correction.Target
		}
		_, status, _ := strings.Cut(c.Correction.Status, " ")
		it := correctedItem{File: file, Line: p.Line, ResourceType: rt, ID: id, PatientID: c.Correction.PatientID,
			Analyte: sent.Analyte.String(), Status: status, Replaced: valueOf(old), Sent: valueOf(sent)}
		where := file
		if p.Line > 0 {
			where = fmt.Sprintf("%s:%d", file, p.Line)
		}
		newText := shownValue(sent)
		if !sent.Time.Equal(old.Time) {
			newText += " on " + sent.Time.UTC().Format(time.DateOnly)
		}
		it.Text = fmt.Sprintf("%s/%s (patient %s): %s %s on %s replaced by %s (status %s; %s)", rt, it.ID, it.PatientID,
			it.Analyte, shownValue(old), old.Time.UTC().Format(time.DateOnly), newText, status, where)
		if c.BackToStored {
			it.BackToStored = true
			it.Text = fmt.Sprintf("%s/%s (patient %s): %s back to the value first stored, %s on %s, in place of the correction in force (status %s; %s)",
				rt, it.ID, it.PatientID, it.Analyte, shownValue(sent), sent.Time.UTC().Format(time.DateOnly), status, where)
		}
		out = append(out, it)
	}
	return out
}

// valueOf is o's value in the unit of report (assess.Reported).
func valueOf(o *record.Observation) correctedValue {
	q := assess.Reported(*o)
	return correctedValue{Value: q.Value, Unit: string(q.Unit), Comparator: string(o.Comparator), Time: o.Time.UTC().Format(time.RFC3339Nano)}
}

// shownValue is o's value in the unit of report at its laboratory
// precision (a bound as measured): "2.35 mg/dL", "<0.2 mg/dL".
func shownValue(o *record.Observation) string {
	q := assess.Reported(*o)
	if o.Comparator != "" {
		return string(o.Comparator) + textfmt.MeasuredQ(q)
	}
	return textfmt.LabQ(o.Analyte, q)
}

// printCorrected writes the "Corrected by the source" list (every one:
// each changes a value that assessments use).
func printCorrected(b *strings.Builder, cs []correctedItem) {
	if len(cs) == 0 {
		return
	}
	fmt.Fprintf(b, "\nCorrected by the source (%d):\n", len(cs))
	for _, c := range cs {
		fmt.Fprintf(b, "  %s\n", c.Text)
	}
	b.WriteString("  " + correctedNote + "\n")
}

// safeCorrected returns a copy of cs with the source's text escaped.
func safeCorrected(cs []correctedItem) []correctedItem {
	out := append([]correctedItem(nil), cs...)
	for i := range out {
		c := &out[i]
		c.File, c.ResourceType, c.ID, c.PatientID, c.Status, c.Text = safeText(c.File), safeText(c.ResourceType), safeText(c.ID),
			safeText(c.PatientID), safeText(c.Status), safeText(c.Text)
		c.Replaced.Unit, c.Sent.Unit = safeText(c.Replaced.Unit), safeText(c.Sent.Unit)
	}
	return out
}
