package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"

	"renalwatch/assess"
)

// streamSeriesMin is the eGFR series length from which report --json
// writes the series point by point (a variable so tests can stream small
// records).
var streamSeriesMin = 4096

// seriesKey is the eGFR series as writeJSON writes it when it is nil: the
// only place a key can start a line with this indentation is kidney's
// field (a quote inside a string value is written escaped).
const seriesKey = "\n    \"egfr_series\": null"

// writeReportJSON writes r exactly as writeJSON does (the same bytes), but
// streams the eGFR series: json.Encoder builds a document whole, twice when
// indenting, so a patient with a million creatinines held about 350 MB of
// output twice over besides the assessment (issue 8 item 4). The rest of
// the report is encoded whole, with the series left out, and the series is
// written one point at a time between its two halves.
func writeReportJSON(w io.Writer, r *assess.Report) error {
	series := r.Kidney.Series
	if series.Len() == 0 || series.Len() < streamSeriesMin { // an empty series is written "[]"
		return writeJSON(w, r)
	}
	cp := *r
	cp.Kidney.Series = assess.EGFRSeries{} // written null
	var head bytes.Buffer
	if err := writeJSON(&head, &cp); err != nil {
		return err
	}
	b := head.Bytes()
	i := bytes.Index(b, []byte(seriesKey))
	if i < 0 || bytes.Contains(b[i+1:], []byte(seriesKey)) {
		return writeJSON(w, r) // not where it is expected: the whole document instead
	}
	cut := i + len(seriesKey) - len("null")
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.Write(b[:cut])
	bw.WriteString("[\n")
	// Each point compact (without allocating, for most), then indented as
	// json.Encoder's SetIndent("      ", "  ") does (the same json.Indent).
	var (
		compact []byte
		point   bytes.Buffer
		err     error
	)
	for k, p := range series.All() {
		if compact, err = p.AppendJSON(compact[:0]); err != nil {
			return err
		}
		point.Reset()
		if err := json.Indent(&point, compact, "      ", "  "); err != nil {
			return err
		}
		bw.WriteString("      ")
		bw.Write(point.Bytes())
		if k < series.Len()-1 {
			bw.WriteString(",\n")
		} else {
			bw.WriteString("\n")
		}
	}
	bw.WriteString("    ]")
	bw.Write(b[i+len(seriesKey):])
	return bw.Flush()
}
