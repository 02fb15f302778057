package server

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// TestCalcDuplicateKey: an input given twice in a calculator body is 400
// naming the key; encoding/json alone took the last value (creatinine 5.0
// instead of 1.0) and the calculator answered with it.
func TestCalcDuplicateKey(t *testing.T) {
	called := false
	calc := func(context.Context, string, map[string]json.RawMessage) (json.RawMessage, error) {
		called = true
		return json.RawMessage(`{}`), nil
	}
	s, _ := newTestServer(t, Config{Calc: calc})
	h := map[string]string{"Content-Type": "application/json"}
	for _, c := range []struct{ body, field string }{
		{`{"creatinine":"1.0mg/dL","creatinine":"5.0mg/dL","age":54,"sex":"female"}`, "creatinine"},
		{`{"creatinine":"1.0mg/dL","age":54,"sex":"female","age":45}`, "age"},
		{`{"items":["arthritis"],"cre\u0061tinine":"1mg/dL","creatinine":"2mg/dL"}`, "creatinine"},
	} {
		called = false
		resp := do(t, s, "POST", "/api/calc/egfr", strings.NewReader(c.body), h)
		var e errorBody
		if err := json.Unmarshal(readAll(t, resp), &e); err != nil {
			t.Fatal(err)
		}
		want := `duplicate key "` + c.field + `"`
		if resp.StatusCode != http.StatusBadRequest || e.Error.Field != c.field || !strings.Contains(e.Error.Message, want) || called {
			t.Errorf("%s: %d %+v (calculator run: %v), want 400 naming %s", c.body, resp.StatusCode, e.Error, called, want)
		}
	}
	// The same body with each input once is run; keys that differ only in
	// case are two names (the calculator refuses the one it does not know).
	for _, body := range []string{`{"creatinine":"1.0mg/dL","age":54,"sex":"female"}`, `{"creatinine":"1.0mg/dL","Creatinine":"5mg/dL"}`} {
		called = false
		if resp := do(t, s, "POST", "/api/calc/egfr", strings.NewReader(body), h); resp.StatusCode != http.StatusOK || !called {
			t.Errorf("%s: %d (calculator run: %v), want 200", body, resp.StatusCode, called)
		}
	}
}
