package fhir

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"

	"renalwatch/assess"
	"renalwatch/record"
)

// WriteReportBundle writes the report Bundle of a (ReportBundle) to w as
// indented JSON followed by a newline: the bytes a json.Encoder with
// SetIndent("", "  ") and SetEscapeHTML(false) writes for ReportBundle(a,
// tl), but entry by entry, so that memory does not grow with the number of
// entries (one Observation per eGFR point; issue 8 item 4, report memory
// ≤ 400 bytes per stored observation). A bundle without entries has
// "entry": null, as the encoder writes the nil slice.
func WriteReportBundle(w io.Writer, a assess.Assessment, tl *record.Timeline) error {
	var head bytes.Buffer
	enc := json.NewEncoder(&head)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(reportHead(a)); err != nil {
		return err
	}
	const nullTail = "null\n}\n" // "entry" is the last field of Bundle
	if !bytes.HasSuffix(head.Bytes(), []byte(nullTail)) {
		return errors.New("fhir: report bundle head does not end with its entry list")
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	prefix := head.Bytes()[:head.Len()-len(nullTail)]
	var buf bytes.Buffer
	ent := json.NewEncoder(&buf)
	ent.SetIndent("    ", "  ") // an entry sits at depth 2: "entry": [ inside the Bundle
	ent.SetEscapeHTML(false)
	n := 0
	for e := range reportEntries(a, tl) {
		buf.Reset()
		if n == 0 {
			buf.Write(prefix)
			buf.WriteString("[\n    ")
		} else {
			buf.WriteString(",\n    ")
		}
		if err := ent.Encode(e); err != nil {
			return err
		}
		buf.Truncate(buf.Len() - 1) // the newline Encode adds
		if _, err := bw.Write(buf.Bytes()); err != nil {
			return err
		}
		n++
	}
	if n == 0 {
		bw.Write(prefix)
		bw.WriteString(nullTail)
	} else {
		bw.WriteString("\n  ]\n}\n")
	}
	return bw.Flush()
}
