package fhir

import (
	"bytes"
	"encoding/json"
)

// peekType and peekID pull resourceType and id out of JSON that did not
// decode, for the rejection message. They read the document's own
// (top-level) members only: a Bundle without an id whose "entry" is given
// twice was named "Bundle/cp1", the id of a Patient inside it (trial 9
// F-e). "" when the member is absent, is not a string, or lies after a
// syntax error.
func peekType(raw []byte) string { return peekTop(raw, "resourceType") }
func peekID(raw []byte) string   { return peekTop(raw, "id") }

// peekTop returns the string value of the top-level member key of the
// JSON object raw, reading tokens only up to it; nested values are
// skipped whole.
func peekTop(raw []byte, key string) string {
	d := json.NewDecoder(bytes.NewReader(raw))
	if t, err := d.Token(); err != nil || t != json.Delim('{') {
		return ""
	}
	for d.More() {
		t, err := d.Token()
		if err != nil {
			return ""
		}
		if k, _ := t.(string); k == key {
			v, err := d.Token()
			if s, ok := v.(string); ok && err == nil && len(s) <= 200 {
				return s
			}
			return ""
		}
		var skip json.RawMessage
		if d.Decode(&skip) != nil {
			return ""
		}
	}
	return ""
}
