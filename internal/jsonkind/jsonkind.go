// Package jsonkind names JSON value kinds in the words RenalWatch's error
// messages use, so that a value of the wrong type is described the same
// way by the FHIR reader and the CDS Hooks service, in JSON's words and
// never by the Go type it was meant to fill ("cannot unmarshal array into
// Go value of type fhir.resource": trial-cli #22, trial-web #13).
package jsonkind

import (
	"reflect"
	"strings"
)

// Value names a JSON value by the kind encoding/json's UnmarshalTypeError
// reports in its Value field: "array" → "a JSON array", "bool" → "true or
// false", "number 1e400" → "a number (1e400)".
func Value(v string) string {
	switch v {
	case "array", "object", "number", "string":
		return "a JSON " + v
	case "bool":
		return "true or false"
	}
	if n, ok := strings.CutPrefix(v, "number "); ok {
		return "a number (" + n + ")"
	}
	return v
}

// Of names the JSON a Go type decodes from: "a JSON object" for a struct
// or map, "a JSON array" for a slice, "an integer", "a number", "a
// string", "true or false".
func Of(t reflect.Type) string {
	if t == nil {
		return "another kind of value"
	}
	switch t.Kind() {
	case reflect.Struct, reflect.Map:
		return "a JSON object"
	case reflect.Slice, reflect.Array:
		return "a JSON array"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Pointer:
		return Of(t.Elem())
	}
	return "another kind of value"
}
