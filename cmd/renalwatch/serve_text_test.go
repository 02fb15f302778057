package main

import (
	"bytes"
	"context"
	"html"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
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
	footnote := regexp.MustCompile(` \[\d+\]`)
	compared := map[string]int{}
	kfreLine := regexp.MustCompile(`(?m)^  KFRE +(2-year \S+, 5-year \S+) `)
	responseLine := regexp.MustCompile(`(?m)^  Response +(\S+) \(\S+\) (.+? after) induction on (\d{4}-\d\d-\d\d)`)
	addedToLine := regexp.MustCompile(`(?m)^  Response +(\S+) \(\S+\) (.+? was added on \d{4}-\d\d-\d\d to .+?)(?: \[\d+\])?$`)
	biopsyLine := regexp.MustCompile(`(?m)^  Biopsy +(\d{4}-\d\d-\d\d): ISN/RPS class (\S+), activity index (\d+|not assessed), chronicity index (\d+|not assessed)$`)
	responses, biopsies := 0, 0
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
		if m := kfreLine.FindStringSubmatch(text); m != nil && !strings.Contains(page, m[1]) {
			t.Errorf("%s: page lacks the report's KFRE %q", id, m[1])
		}
		// Trial-web #1, #9, #19: the Kidney and Lupus lines of the report
		// (stage with its A basis and persistence, trend with its dates,
		// KRT, response with its state and caveats, flares at laboratory
		// precision, serology) are on the page word for word.
		// The page keeps each date on one line (<span class="nw">): the
		// words are the report's.
		unescaped := html.UnescapeString(regexp.MustCompile(`<span class="nw">([^<]*)</span>`).ReplaceAllString(page, "$1"))
		blocks, _, _ := strings.Cut(text, "\nLatest labs\n")
		label := ""
		for _, l := range strings.Split(blocks, "\n") {
			if len(l) < 13 || !strings.HasPrefix(l, "  ") {
				continue
			}
			if lb := strings.TrimSpace(l[2:11]); lb != "" {
				label = lb
			}
			if !slices.Contains([]string{"Stage", "Persists", "Trend", "KRT", "Response", "Flare", "Serology"}, label) {
				continue
			}
			want := footnote.ReplaceAllString(l[12:], "")
			if !strings.Contains(unescaped, want) {
				t.Errorf("%s: page lacks the report's %s line %q", id, label, want)
			}
			compared[label]++
		}
		if m := responseLine.FindStringSubmatch(text); m != nil {
			responses++
		}
		if m := addedToLine.FindStringSubmatch(text); m != nil {
			responses++
		}
		// The biopsy table gives the report's class and indices.
		if m := biopsyLine.FindStringSubmatch(text); m != nil {
			biopsies++
			if want := `<tr><td class="nw">` + m[1] + "</td><td>" + m[2] + "</td><td>" + m[3] + "</td><td>" + m[4] + "</td></tr>"; !strings.Contains(page, want) {
				t.Errorf("%s: page lacks the report's biopsy %q", id, want)
			}
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
	if biopsies < 2 {
		t.Errorf("%d biopsy lines compared, want the LN patients'", biopsies)
	}
	for _, l := range []string{"Stage", "Persists", "Trend", "KRT", "Response", "Flare", "Serology"} {
		if compared[l] == 0 {
			t.Errorf("no %s line compared", l)
		}
	}
	if responses < 3 {
		t.Errorf("%d response lines compared, want the LN patients'", responses)
	}
}

// TestServeCalcPageShowsCLIText: each calculator page shows the text the
// CLI prints for the same inputs (rounded, with units and source), and the
// unrounded JSON only inside a closed <details>. A regression test: the
// page showed "risk_5y": 0.2802605464095681, readable as 0.28%.
func TestServeCalcPageShowsCLIText(t *testing.T) {
	h := newServeTest(t)
	for _, tc := range []struct {
		calc string
		form url.Values
		cli  []string
	}{
		{"kfre", url.Values{"age": {"72"}, "sex": {"female"}, "egfr": {"28"}, "acr": {"800mg/g"}},
			[]string{"kfre", "--age", "72", "--sex", "female", "--egfr", "28", "--acr", "800mg/g"}},
		{"egfr", url.Values{"creatinine": {"1.4mg/dL"}, "age": {"62"}, "sex": {"female"}},
			[]string{"egfr", "--creatinine", "1.4mg/dL", "--age", "62", "--sex", "female"}},
		{"stage", url.Values{"egfr": {"40"}, "acr": {"35mg/mmol"}}, []string{"stage", "--egfr", "40", "--acr", "35mg/mmol"}},
		{"sledai", url.Values{"window": {"10"}, "item-arthritis": {"true"}, "item-rash": {"true"}}, []string{"sledai", "--window", "10", "arthritis", "rash"}},
		{"classify", url.Values{"ana-positive": {"true"}, "item-joint_involvement": {"true"}, "item-proteinuria": {"true"}},
			[]string{"classify", "--ana-positive", "joint_involvement", "proteinuria"}},
		{"response", url.Values{"rule": {"kdigo-2024"}, "baseline-upcr": {"3g/g"}, "upcr": {"0.3g/g"}, "baseline-egfr": {"60"}, "egfr": {"58"}, "months": {"12"}},
			[]string{"response", "--rule", "kdigo-2024", "--baseline-upcr", "3g/g", "--upcr", "0.3g/g", "--baseline-egfr", "60", "--egfr", "58", "--months", "12"}},
		{"flare", url.Values{"rule": {"kdigo-2012"}, "baseline-upcr": {"0.4g/g"}, "upcr": {"1.2g/g"}},
			[]string{"flare", "--rule", "kdigo-2012", "--baseline-upcr", "0.4g/g", "--upcr", "1.2g/g"}},
	} {
		t.Run(tc.calc, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/calculators/"+tc.calc, strings.NewReader(tc.form.Encode()))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			page := w.Body.String()
			if w.Code != 200 {
				t.Fatalf("status %d:\n%s", w.Code, page)
			}
			var out, errOut bytes.Buffer
			if code := run(context.Background(), tc.cli, &out, &errOut); code != 0 {
				t.Fatalf("CLI exit %d: %s", code, errOut.String())
			}
			_, shown, _ := strings.Cut(page, `<pre class="result" id="result-`+tc.calc+`">`)
			shown, _, _ = strings.Cut(shown, `</pre>`)
			if got := html.UnescapeString(shown); got != out.String() {
				t.Errorf("page shows\n%s\nthe CLI prints\n%s", got, out.String())
			}
			before, json, ok := strings.Cut(page, `<details class="json">`)
			if !ok || !strings.Contains(json, "--json</code> prints it") || strings.Contains(before, "--json</code> prints it") {
				t.Errorf("the JSON is not only inside <details>:\n%s", page)
			}
		})
	}
}

// TestServeCalcPageAllErrors (trial-web #24): a form with several bad or
// missing fields shows each field's error at once, from the calculator's
// own checks: KFRE without an eGFR and with acr=abc names both.
func TestServeCalcPageAllErrors(t *testing.T) {
	h := newServeTest(t)
	form := url.Values{"age": {"72"}, "sex": {"female"}, "egfr": {""}, "acr": {"abc"}, "region": {"north-america"}}
	r := httptest.NewRequest("POST", "/calculators/kfre", strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	page := w.Body.String()
	if w.Code != 422 {
		t.Fatalf("status %d", w.Code)
	}
	// the example is a command line: its flags keep their dashes
	for _, id := range []string{`id="kfre-acr-err"`, `id="kfre-egfr-err"`, "for example: renalwatch kfre --age"} {
		if !strings.Contains(page, id) {
			t.Errorf("page lacks the error %s", id)
		}
	}
	form = url.Values{"age": {"seventy"}, "creatinine": {"1.2"}, "sex": {"female"}}
	r = httptest.NewRequest("POST", "/calculators/egfr", strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	w = httptest.NewRecorder()
	h.ServeHTTP(w, r)
	page = w.Body.String()
	if w.Code != 422 || !strings.Contains(page, `id="egfr-age-err" role="alert">&#34;seventy&#34; is not a number`) || !strings.Contains(page, `id="egfr-creatinine-err"`) {
		t.Errorf("egfr: %d, want both the age and the creatinine errors", w.Code)
	}
}
