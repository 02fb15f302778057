package fhir

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"renalwatch/internal/jsonkind"
	"strconv"
	"strings"
	"unicode/utf8"

	"renalwatch/units"
)

// Reasons a resource is rejected before its elements are read.
var (
	// ErrBadID: a resource id outside the FHIR id grammar.
	ErrBadID = errors.New("invalid id")
	// ErrBadText: text that is not UTF-8. encoding/json would replace the
	// bad bytes with U+FFFD, so that two distinct ids could become one.
	ErrBadText = errors.New("invalid UTF-8")
	// ErrOutOfRange: a JSON number beyond float64 (1e400, 1e-400).
	ErrOutOfRange = units.ErrOutOfRange
)

// MaxIDLength is the longest resource id FHIR R4 allows.
const MaxIDLength = 64

// validID reports whether id follows the FHIR R4 id grammar,
// [A-Za-z0-9\-\.]{1,64} (https://hl7.org/fhir/R4/datatypes.html#id,
// confirmed there: "Any combination of upper- or lower-case ASCII letters
// ('A'..'Z', and 'a'..'z'), numerals ('0'..'9'), '-' and '.', with a
// length limit of 64 characters").
func validID(id string) bool {
	if id == "" || len(id) > MaxIDLength {
		return false
	}
	for i := 0; i < len(id); i++ {
		if !idByte[id[i]] {
			return false
		}
	}
	return true
}

// idByte marks the bytes of the id grammar.
var idByte = func() (t [256]bool) {
	for c := range 256 {
		t[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.'
	}
	return t
}()

// checkID returns an error when the resource's id, or the urn:uuid of its
// Bundle fullUrl that stands for a missing id, is not a FHIR id.
func checkID(r *resource, fullURL string) error {
	id, field := r.ID, "id"
	if id == "" {
		u, ok := strings.CutPrefix(fullURL, "urn:uuid:")
		if !ok {
			return nil // the item id is derived from the content
		}
		id, field = u, "fullUrl urn:uuid"
	}
	if validID(id) {
		return nil
	}
	return fmt.Errorf("%w: %s %s is not a FHIR id (1 to %d letters, digits, '-' or '.')", ErrBadID, field, quoteShort(id), MaxIDLength)
}

// shortID is a rejected id as a rejection carries it: its first 64 bytes,
// with "…" when it was longer.
func shortID(id string) string {
	if len(id) <= MaxIDLength {
		return id
	}
	return strings.ToValidUTF8(id[:MaxIDLength], "") + "…"
}

// quoteShort quotes s (escaping control characters and invalid UTF-8), cut
// to its first 64 bytes.
func quoteShort(s string) string {
	if len(s) > 64 {
		return strconv.Quote(s[:64]) + fmt.Sprintf("… (%d bytes)", len(s))
	}
	return strconv.Quote(s)
}

// decodeResourceV1 checks raw (checkDoc) and unmarshals it into r with
// encoding/json: the reading of every document the fast decoder
// (decodeDoc) gives up on, and the tests' oracle for the others.
func decodeResourceV1(raw []byte, r *resource) error {
	if err := checkDoc(raw); err != nil {
		return err
	}
	if err := json.Unmarshal(raw, r); err != nil {
		return err
	}
	if err := checkFields(raw, resourceType); err != nil {
		*r = resource{} // rejected: nothing of it is read
		return err
	}
	return nil
}

var resourceType = reflect.TypeFor[resource]()

// badDoc is the rejection reason for a document decodeResourceV1 refused.
func badDoc(err error) error {
	if errors.Is(err, ErrBadText) || errors.Is(err, ErrOutOfRange) {
		return err
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		// In plain words, not "cannot unmarshal array into Go value of
		// type fhir.resource" (trial-cli #22).
		if te.Field == "" {
			return fmt.Errorf("%w: a FHIR resource is a JSON object, this is %s", ErrBadJSON, jsonkind.Value(te.Value))
		}
		return fmt.Errorf("%w: element %s is %s, FHIR wants %s there", ErrBadJSON, te.Field, jsonkind.Value(te.Value), jsonkind.Of(te.Type))
	}
	return fmt.Errorf("%w: %v", ErrBadJSON, err)
}

// checkDoc returns an error naming the element of the first string that
// is not UTF-8 or the first number beyond float64 in the JSON document raw.
// The entries of a Bundle are not looked into; each is checked when it is
// read. Most documents pass a quick scan and are not walked.
func checkDoc(raw []byte) error {
	if utf8.Valid(raw) && !mayBeOutOfRange(raw) {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	type frame struct {
		array   bool
		key     string
		index   int
		wantKey bool
	}
	var stack []frame
	path := func() string {
		var b strings.Builder
		for _, f := range stack {
			if f.array {
				fmt.Fprintf(&b, "[%d]", f.index)
				continue
			}
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(f.key)
		}
		return b.String()
	}
	valueDone := func() {
		if n := len(stack); n > 0 {
			if stack[n-1].array {
				stack[n-1].index++
			} else {
				stack[n-1].wantKey = true
			}
		}
	}
	for {
		start := dec.InputOffset()
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return nil // json.Unmarshal reports the syntax error
		}
		span := raw[start:dec.InputOffset()]
		inEntry := len(stack) >= 2 && !stack[0].array && stack[0].key == "entry"
		if key, ok := tok.(string); ok && len(stack) > 0 && !stack[len(stack)-1].array && stack[len(stack)-1].wantKey {
			stack[len(stack)-1].key, stack[len(stack)-1].wantKey = key, false
			if !inEntry && !utf8.Valid(span) {
				return fmt.Errorf("%w: an element name after %q", ErrBadText, path())
			}
			continue
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{':
				stack = append(stack, frame{wantKey: true})
			case '[':
				stack = append(stack, frame{array: true})
			default:
				stack = stack[:len(stack)-1]
				valueDone()
			}
			continue
		case string:
			if !inEntry && !utf8.Valid(span) {
				i := bytes.IndexFunc(span, func(r rune) bool { return r == utf8.RuneError })
				return fmt.Errorf("%w: %s holds byte 0x%02X, which is not UTF-8 (the file must be UTF-8)", ErrBadText, path(), span[i])
			}
		case json.Number:
			if _, err := units.ParseNumber(string(t)); !inEntry && errors.Is(err, units.ErrOutOfRange) {
				return fmt.Errorf("%w: %s %s is beyond what a 64-bit number holds (about 4.9e-324 to 1.8e308)", ErrOutOfRange, path(), quoteShort(string(t)))
			}
		}
		valueDone()
	}
}

// mayBeOutOfRange reports whether raw may hold a number beyond float64: a
// number, outside strings, with an exponent of three digits or more, or
// with 300 digits or more. Strings are skipped with bytes.IndexByte.
func mayBeOutOfRange(raw []byte) bool {
	run := 0
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case c == '"':
			// Skip to the closing quote: one not escaped by an odd run of
			// backslashes.
			for {
				j := bytes.IndexByte(raw[i+1:], '"')
				if j < 0 {
					return false
				}
				i += 1 + j
				bs := 0
				for raw[i-1-bs] == '\\' {
					bs++
				}
				if bs%2 == 0 {
					break
				}
			}
			run = 0
		case '0' <= c && c <= '9':
			if run++; run >= 300 {
				return true
			}
		case (c == 'e' || c == 'E') && run > 0:
			j := i + 1
			if j < len(raw) && (raw[j] == '+' || raw[j] == '-') {
				j++
			}
			k := j
			for k < len(raw) && '0' <= raw[k] && raw[k] <= '9' {
				k++
			}
			if k-j >= 3 {
				return true
			}
			run, i = 0, k-1
		case c != '.':
			run = 0
		}
	}
	return false
}
