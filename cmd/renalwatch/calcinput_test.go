package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestServeCalcHostileNumbers (trial 10 F3, F4): POST /api/calc/egfr with
// a number beyond a 64-bit float, or a quantity that is not UTF-8, is
// refused naming the field, the value and what is accepted, never with
// encoding/json's Go type or "unknown unit" for a U+FFFD it made up.
func TestServeCalcHostileNumbers(t *testing.T) {
	h := newServeTest(t)
	rows := []struct {
		name, body string
		status     int
		field      string
		want       []string
	}{
		{"age 1e400", `{"age":1e400,"creatinine":"1.2mg/dL","sex":"female"}`, 422, "age",
			[]string{`"1e400"`, "age", "out of range", "1.8e308"}},
		{"age -1e400", `{"age":-1e400,"creatinine":"1.2mg/dL","sex":"female"}`, 422, "age", []string{`"-1e400"`, "out of range"}},
		{"age 130", `{"age":130,"creatinine":"1.2mg/dL","sex":"female"}`, 422, "age", []string{"130 is out of range", "at most 120 years"}},
		{"age 54.0 as written", `{"age":54.0,"creatinine":"1.2mg/dL","sex":"female"}`, 200, "", nil},
		{"creatinine not UTF-8", "{\"age\":54,\"creatinine\":\"1.2mg/dL\xff\",\"sex\":\"female\"}", 400, "creatinine", []string{"creatinine is not valid UTF-8"}},
	}
	for _, r := range rows {
		req := httptest.NewRequest(http.MethodPost, "/api/calc/egfr", strings.NewReader(r.body))
		req.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		var e struct {
			Error struct{ Message, Field string }
		}
		json.Unmarshal(w.Body.Bytes(), &e)
		if w.Code != r.status || e.Error.Field != r.field || strings.Contains(w.Body.String(), "Go value") || strings.Contains(w.Body.String(), "float64") {
			t.Errorf("%s: %d field %q %s; want %d field %q", r.name, w.Code, e.Error.Field, w.Body, r.status, r.field)
		}
		for _, s := range r.want {
			if !strings.Contains(e.Error.Message, s) {
				t.Errorf("%s: message %q lacks %q", r.name, e.Error.Message, s)
			}
		}
	}
}
