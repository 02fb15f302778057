package jsonkeys

import (
	"errors"
	"testing"
)

func TestCheck(t *testing.T) {
	for _, c := range []struct {
		doc, key, path string // key "": no duplicate
	}{
		{`{"creatinine":"1.0mg/dL","creatinine":"5.0mg/dL","age":54}`, "creatinine", ""},
		{`{"age":54,"sex":"female","age":55}`, "age", ""},
		{`{"a":{"b":1,"b":2}}`, "b", "a"},
		{`{"items":[{"code":"x"},{"code":"y","code":"z"}]}`, "code", "items[1]"},
		{`[{"a":1},{"a":1,"a":1}]`, "a", "[1]"},
		{`{"cre\u0061tinine":"1mg/dL","creatinine":"2mg/dL"}`, "creatinine", ""}, // the same key once decoded
		// not duplicates
		{`{"creatinine":"1.0mg/dL","Creatinine":"5.0mg/dL"}`, "", ""}, // case differs: the calculator refuses the unknown name
		{`{"a":{"x":1},"b":{"x":1}}`, "", ""},
		{`{"a":[{"x":1},{"x":2}]}`, "", ""},
		{`{}`, "", ""},
		{`[]`, "", ""},
		{`"creatinine"`, "", ""},
		{`{"a":"a","b":"a"}`, "", ""},
	} {
		err := Check([]byte(c.doc))
		var d *Duplicate
		switch {
		case c.key == "" && err != nil:
			t.Errorf("%s: %v, want no error", c.doc, err)
		case c.key != "" && !errors.As(err, &d):
			t.Errorf("%s: %v, want a duplicate %q", c.doc, err, c.key)
		case c.key != "" && (d.Key != c.key || d.Path != c.path):
			t.Errorf("%s: duplicate %q at %q, want %q at %q", c.doc, d.Key, d.Path, c.key, c.path)
		}
	}
}

func TestError(t *testing.T) {
	if got, want := (&Duplicate{Key: "creatinine"}).Error(), `duplicate key "creatinine"`; got != want {
		t.Errorf("%q, want %q", got, want)
	}
	if got, want := (&Duplicate{Key: "code", Path: "items[1]"}).Error(), `duplicate key "code" in items[1]`; got != want {
		t.Errorf("%q, want %q", got, want)
	}
}

func TestInvalid(t *testing.T) {
	for _, doc := range []string{``, `{"a":1`, `{"a":1} {"b":2}`, `{"a" 1}`} {
		var d *Duplicate
		if err := Check([]byte(doc)); err == nil || errors.As(err, &d) {
			t.Errorf("%q: %v, want a syntax error", doc, err)
		}
	}
}
