package server

import (
	"html"
	"regexp"
	"testing"
)

// Trial #4: with no eGFR trend the patient page says why (too few values,
// too short a span, values before a kidney transplant left out, on
// dialysis), in the words of the report's Not assessed list; it read "not
// computed (too few values)" whatever the reason. The demonstration
// patient "dialysis" was on haemodialysis from 2023-06-05 to 2025-03-10
// and received a kidney transplant on 2025-03-18.
func TestPatientPageSaysWhyNoTrend(t *testing.T) {
	s, _ := newTestServer(t, Config{Demo: true})
	trend := regexp.MustCompile(`<dd id="trend">([^<]*)</dd>`)
	for _, tc := range []struct{ asOf, want string }{
		{"2024-06-01", "not computed: on dialysis: no eGFR slope"},
		{"2025-07-15", "not computed: needs at least 3 eGFR values spanning at least 90 days in the 3 years before the as-of date; " +
			"have 2 creatinine-based, spanning 63 days (only values after the kidney transplant of 2025-03-18 count: the graft is another kidney)"},
	} {
		body := string(readAll(t, do(t, s, "GET", "/patients/dialysis?as_of="+tc.asOf, nil, nil)))
		m := trend.FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("as of %s: no trend on the page", tc.asOf)
		}
		if got := html.UnescapeString(m[1]); got != tc.want {
			t.Errorf("as of %s: trend %q, want %q", tc.asOf, got, tc.want)
		}
	}
}
