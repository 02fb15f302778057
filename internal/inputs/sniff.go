package inputs

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"renalwatch/csvio"
)

// Format is what a file's content is, as Sniff finds it.
type Format string

// The formats Sniff tells apart.
const (
	FHIR Format = "fhir" // a FHIR JSON resource or Bundle, or NDJSON
	CSV  Format = "csv"  // CSV in one of csvio's layouts
)

// gzipMagic starts every gzip stream (RFC 1952 §2.3.1: ID1 31, ID2 139).
var gzipMagic = []byte{0x1f, 0x8b}

// Sniff returns a reader of r's content, gunzipped when it starts with the
// gzip magic bytes (whatever the file's name), and the format its content
// shows: FHIR JSON or NDJSON when the first byte other than white space
// and a byte-order mark is "{", CSV otherwise (the CSV reader then names
// the layouts it knows when the header is none of them). A JSON array is
// an error that says what to give instead. Nothing is read ahead beyond a
// peek: the file is still streamed. name is the file's name, for messages
// and for its extension (an empty file named .csv is CSV).
func Sniff(name string, r io.Reader) (*bufio.Reader, Format, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	if head, _ := br.Peek(2); bytes.Equal(head, gzipMagic) {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, "", errorf(name, "%s: starts like a gzip file but is not one: %w", name, err)
		}
		zr.Multistream(true)
		br = bufio.NewReaderSize(zr, 64<<10)
	}
	head, err := br.Peek(4096)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, "", errorf(name, "%s: %w", name, err)
	}
	csvName := IsCSV(strings.TrimSuffix(strings.ToLower(name), ".gz"))
	t := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\ufeff")), " \t\r\n")
	switch {
	case len(t) == 0 && csvName:
		return br, CSV, nil // the CSV reader says the file is empty
	case len(t) == 0:
		return br, FHIR, nil // the FHIR reader says the file is empty
	case t[0] == '{':
		return br, FHIR, nil
	case t[0] == '[':
		return nil, "", errorf(name, "%s is a JSON array; give a FHIR Bundle (one JSON object with resourceType \"Bundle\" and its resources in entry) or NDJSON (one resource per line, as a Bulk Data export writes it)", name)
	}
	first, _, _ := bytes.Cut(head, []byte("\n"))
	if csvName || csvio.KnownHeader(string(first)) {
		return br, CSV, nil // a .csv file with a wrong header gets the CSV reader's list of layouts
	}
	return nil, "", errorf(name, "%s is neither FHIR JSON or NDJSON (which start with \"{\") nor CSV with a known header (first line %s); CSV layouts: %s",
		name, quoteHead(first), CSVLayouts())
}

// IsCSV reports whether a file name ends in .csv (in any letter case).
func IsCSV(name string) bool { return strings.EqualFold(filepath.Ext(name), ".csv") }

// quoteHead quotes the start of a line for an error message, short and in
// ASCII: a binary file's bytes are escaped, never echoed (trial #29).
func quoteHead(b []byte) string {
	n := 60
	if !utf8.Valid(b) || bytes.ContainsFunc(b, func(r rune) bool { return r < 0x20 && r != '\t' && r != '\r' }) {
		n = 16 // binary: a few escaped bytes are enough to recognise it
	}
	if len(b) > n {
		return strconv.QuoteToASCII(string(b[:n])) + "…"
	}
	return strconv.QuoteToASCII(string(b))
}

// CSVLayouts lists the CSV layouts' headers, "name: columns; ...".
func CSVLayouts() string {
	var s []string
	for _, l := range csvio.Layouts() {
		s = append(s, l[0]+": "+l[1])
	}
	return strings.Join(s, "; ")
}
