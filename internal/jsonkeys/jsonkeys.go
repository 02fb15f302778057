// Package jsonkeys finds an object key given twice in a JSON document.
// encoding/json v1 keeps the last of two members with the same key
// without a word ({"creatinine":"1.0mg/dL","creatinine":"5.0mg/dL"} reads
// as 5.0 mg/dL); RFC 8259 §4 leaves such a document's meaning to the
// reader, so a reader of clinical input refuses it and names the key.
package jsonkeys

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"
)

// Duplicate is a key given twice in one object of a document: the key and
// the path of the object that holds it ("" for the top level, then
// member names and array indices: "items[2].code").
type Duplicate struct {
	Key, Path string
}

func (d *Duplicate) Error() string {
	if d.Path == "" {
		return "duplicate key " + strconv.Quote(d.Key)
	}
	return "duplicate key " + strconv.Quote(d.Key) + " in " + d.Path
}

// Check returns a *Duplicate for the first key (in document order) given
// twice in one object of the JSON document b, and nil when there is none.
// Keys are compared as decoded (escapes resolved) and exactly, with case.
// A document that is not valid JSON is an error of encoding/json; check
// the document's syntax first where that error is worded for the user.
// It walks the tokens once (json.Decoder.Token), so it is meant for small
// documents such as an API request body.
func Check(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := value(dec, nil); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("more than one JSON value")
	}
	return nil
}

// value walks the value that starts at the decoder's next token; path is
// where it is.
func value(dec *json.Decoder, path []string) error {
	t, err := dec.Token()
	if err != nil {
		return err
	}
	switch t {
	case json.Delim('{'):
		seen := map[string]bool{}
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return err
			}
			k, _ := kt.(string)
			if seen[k] {
				return &Duplicate{Key: k, Path: strings.Join(path, "")}
			}
			seen[k] = true
			if err := value(dec, append(path, member(path, k))); err != nil {
				return err
			}
		}
		_, err = dec.Token() // '}'
		return err
	case json.Delim('['):
		for i := 0; dec.More(); i++ {
			if err := value(dec, append(path, "["+strconv.Itoa(i)+"]")); err != nil {
				return err
			}
		}
		_, err = dec.Token() // ']'
		return err
	}
	return nil
}

// member is the path step to member k of an object at path.
func member(path []string, k string) string {
	if len(path) == 0 {
		return k
	}
	return "." + k
}
