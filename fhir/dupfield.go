package fhir

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"sync"
)

// A FHIR JSON object gives each element once (FHIR R4 JSON
// representation, §2.6.2: "no duplicate properties"; RFC 8259 §4 leaves a
// document with duplicate names to the reader). encoding/json v1 keeps the
// last of two members that fill one field, or merges them, silently: an
// Observation with "valueQuantity" twice, or "value" twice inside it, would
// be imported with whichever came last. checkFields finds such a member so
// that the resource is rejected, naming it.
//
// It runs only where encoding/json decodes (decodeResourceV1): the fast
// decoder gives up on any field it reads given twice (decode.go, seen) and
// on a key that matches a field only regardless of case, so those
// documents come here; a document the fast decoder reads has no such
// member, and its speed is unchanged. Keys of no field are passed over, as
// both decoders pass them over: a key RenalWatch does not read changes
// nothing it imports. json.RawMessage fields (Bundle entries, contained
// resources) are not looked into here; each entry is checked when it is
// decoded.

// DuplicateField is a member of a resource that fills a field an earlier
// member of the same object filled: Key given twice, or Key and Earlier,
// which encoding/json matches to one field regardless of case. Path is
// where the object is ("" for the resource itself, "valueQuantity",
// "component[1].valueQuantity").
type DuplicateField struct {
	Key, Earlier, Path string
}

func (d *DuplicateField) Error() string {
	where := "the resource"
	if d.Path != "" {
		where = d.Path
	}
	if d.Key == d.Earlier {
		return fmt.Sprintf("key %q is given twice in %s; FHIR JSON gives each element once, and which value was meant cannot be told", d.Key, where)
	}
	return fmt.Sprintf("keys %q and %q in %s name one element (a JSON reader matching keys regardless of case reads both into it); FHIR JSON gives each element once, and which value was meant cannot be told", d.Earlier, d.Key, where)
}

// checkFields returns a *DuplicateField for the first member of the JSON
// document raw (already decoded into a value of type t without error)
// that fills a field of t an earlier member of its object filled, as
// encoding/json v1 matches keys to fields; nil when there is none.
func checkFields(raw []byte, t reflect.Type) error {
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	return walkFields(dec, t, "")
}

var rawMessageType = reflect.TypeFor[json.RawMessage]()

// walkFields walks the value at the decoder's position as a value of type t.
func walkFields(dec *json.Decoder, t reflect.Type, path string) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == rawMessageType || (t.Kind() != reflect.Struct && t.Kind() != reflect.Slice) {
		return skipValue(dec)
	}
	tok, err := dec.Token()
	if err != nil {
		return nil // encoding/json has decoded the document: not expected
	}
	switch {
	case tok == json.Delim('{') && t.Kind() == reflect.Struct:
		fields := jsonFields(t)
		filled := map[int]string{}
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return nil
			}
			key, _ := kt.(string)
			i := fieldFor(fields, key)
			if i < 0 {
				if err := skipValue(dec); err != nil {
					return nil
				}
				continue
			}
			if earlier, ok := filled[i]; ok {
				return &DuplicateField{Key: key, Earlier: earlier, Path: path}
			}
			filled[i] = key
			if err := walkFields(dec, t.Field(fields[i].index).Type, join(path, fields[i].name)); err != nil {
				return err
			}
		}
		_, _ = dec.Token() // '}'
	case tok == json.Delim('[') && t.Kind() == reflect.Slice:
		for n := 0; dec.More(); n++ {
			if err := walkFields(dec, t.Elem(), fmt.Sprintf("%s[%d]", path, n)); err != nil {
				return err
			}
		}
		_, _ = dec.Token() // ']'
	}
	return nil // null, or what encoding/json accepted in place of t
}

// skipValue passes over the value at the decoder's position.
func skipValue(dec *json.Decoder) error {
	var v json.RawMessage
	return dec.Decode(&v)
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// jsonField is an exported field of a struct with its JSON name.
type jsonField struct {
	name  string
	index int
}

var fieldCache sync.Map // reflect.Type → []jsonField

// jsonFields lists the fields of struct type t that encoding/json fills
// (exported, not tagged "-"), by their JSON names. The resource structs
// (resource.go) embed no structs.
func jsonFields(t reflect.Type) []jsonField {
	if f, ok := fieldCache.Load(t); ok {
		return f.([]jsonField)
	}
	var fs []jsonField
	for i := range t.NumField() {
		sf := t.Field(i)
		if !sf.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = sf.Name
		}
		fs = append(fs, jsonField{name, i})
	}
	fieldCache.Store(t, fs)
	return fs
}

// fieldFor is the index in fields of the field encoding/json v1 fills
// from key: the exact name, else one equal regardless of case (its
// folding takes U+212A for k and U+017F for s, as strings.EqualFold
// does); -1 for none.
func fieldFor(fields []jsonField, key string) int {
	for i, f := range fields {
		if f.name == key {
			return i
		}
	}
	for i, f := range fields {
		if strings.EqualFold(f.name, key) {
			return i
		}
	}
	return -1
}
