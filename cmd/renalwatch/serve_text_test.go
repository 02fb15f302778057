package main

import (
	"bytes"
	"context"
	"html"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

// TestServePageNumbersMatchTextReport: the patient page prints the eGFR,
// its trend, the KFRE and the "Not assessed" list as the text report does
// (one rounding policy, internal/textfmt; one plain-words list). A
// regression test: the page showed "eGFR 27.1" where the report said 27,
// and raw JSON paths under "Not assessed".
func TestServePageNumbersMatchTextReport(t *testing.T) {
	demoNow(t)
	db, s := demoServer(t)
	var out, errOut bytes.Buffer
	egfrLine := regexp.MustCompile(`(?m)^  eGFR +(.+ mL/min/1\.73 m²) on (\d{4}-\d\d-\d\d)`)
	trendLine := regexp.MustCompile(`(?m)^  Trend +(.+\)), \d+ values`)
	kfreLine := regexp.MustCompile(`(?m)^  KFRE +(2-year \S+, 5-year \S+) `)
	lines := 0
	for _, id := range []string{"ln-class-iv-g4", "child-ln", "dialysis", "stem-cell"} {
		out.Reset()
		if code := run(context.Background(), []string{"report", id, "--db", db, "--as-of", demoAsOf}, &out, &errOut); code != 0 {
			t.Fatalf("report: %s", errOut.String())
		}
		text := out.String()
		w := httptest.NewRecorder()
		s.ServeHTTP(w, httptest.NewRequest("GET", "/patients/"+id+"?as_of="+demoAsOf, nil))
		page := w.Body.String()
		if w.Code != 200 {
			t.Fatalf("%s: page %d", id, w.Code)
		}
		m := egfrLine.FindStringSubmatch(text)
		if m == nil {
			t.Fatalf("%s: no eGFR line in the text report:\n%s", id, text)
		}
		if want := "<dd>" + m[1] + " on " + m[2]; !strings.Contains(page, want) {
			t.Errorf("%s: page lacks the report's eGFR %q", id, want)
		}
		if m := trendLine.FindStringSubmatch(text); m != nil && !strings.Contains(page, "<dd>"+m[1]+",") {
			t.Errorf("%s: page lacks the report's trend %q", id, m[1])
		}
		if m := kfreLine.FindStringSubmatch(text); m != nil && !strings.Contains(page, m[1]) {
			t.Errorf("%s: page lacks the report's KFRE %q", id, m[1])
		}
		_, notAssessed, ok := strings.Cut(text, "\nNot assessed\n")
		if !ok {
			continue
		}
		notAssessed, _, _ = strings.Cut(notAssessed, "\n\n") // the notes follow
		n := 0
		for _, l := range strings.Split(notAssessed, "\n") {
			label, reason, ok := strings.Cut(strings.TrimPrefix(l, "  "), ": ")
			if !strings.HasPrefix(l, "  ") || strings.HasPrefix(l, "  (") || !ok {
				continue
			}
			n++
			if want := "<li><strong>" + html.EscapeString(label) + "</strong>: " + html.EscapeString(reason) + "</li>"; !strings.Contains(page, want) {
				t.Errorf("%s: page lacks the report's not-assessed line %q", id, want)
			}
		}
		if strings.Contains(page, "<code>therapies[") || strings.Contains(page, "<code>kidney.") {
			t.Errorf("%s: the page shows JSON paths under Not assessed, not plain words", id)
		}
		lines += n
	}
	if lines == 0 {
		t.Error("no not-assessed line compared")
	}
}
