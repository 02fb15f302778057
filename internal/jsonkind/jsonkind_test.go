package jsonkind

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
)

// TestFromDecodeErrors words the type errors encoding/json gives for real
// documents, as the FHIR reader and CDS Hooks service show them.
func TestFromDecodeErrors(t *testing.T) {
	type target struct {
		Name  string            `json:"name"`
		Count int               `json:"count"`
		Ratio float32           `json:"ratio"`
		List  []string          `json:"list"`
		Obj   map[string]string `json:"obj"`
		Ok    *bool             `json:"ok"`
	}
	for _, c := range []struct{ doc, value, want string }{
		{`{"name":[1]}`, "a JSON array", "a string"},
		{`{"count":"3"}`, "a JSON string", "an integer"},
		{`{"count":1.5}`, "a number (1.5)", "an integer"},
		{`{"ratio":1e400}`, "a number (1e400)", "a number"},
		{`{"list":{}}`, "a JSON object", "a JSON array"},
		{`{"obj":true}`, "true or false", "a JSON object"},
		{`{"ok":"yes"}`, "a JSON string", "true or false"},
	} {
		var v target
		err := json.Unmarshal([]byte(c.doc), &v)
		var te *json.UnmarshalTypeError
		if !errors.As(err, &te) {
			t.Fatalf("%s: %v, want an UnmarshalTypeError", c.doc, err)
		}
		if got := Value(te.Value); got != c.value {
			t.Errorf("%s: Value(%q) = %q, want %q", c.doc, te.Value, got, c.value)
		}
		if got := Of(te.Type); got != c.want {
			t.Errorf("%s: Of(%v) = %q, want %q", c.doc, te.Type, got, c.want)
		}
	}
	if got := Of(nil); got != "another kind of value" {
		t.Errorf("Of(nil) = %q", got)
	}
	if got := Of(reflect.TypeOf(func() {})); got != "another kind of value" {
		t.Errorf("Of(func) = %q", got)
	}
}
