package cohort

import (
	"strings"
	"testing"
)

// TestSummaryComplementarySuppression (trial #10): with --min-cell 5, a
// line with one count below 5 and a printed total ("none <5" of 100) would
// give it away by subtraction; the next-smallest count is withheld too.
// A line with two small counts is left as it is.
func TestSummaryComplementarySuppression(t *testing.T) {
	s := newSummary()
	s.Patients = 100
	s.Risk = map[string]int64{"high": 16, "low": 21, "moderate": 50, "none": 4, "very high": 9}
	s.Stage = map[string]int64{"G1": 90, "G2": 6, "G3a": 2, "G4": 2}
	var b strings.Builder
	if err := s.Write(&b, 5); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	riskLine := lineWith(out, "By KDIGO risk:")
	for _, want := range []string{"not assessable (no current eGFR or ACR/UPCR) <5", "very high withheld", "high 16", "low 21", "moderate 50"} {
		if !strings.Contains(riskLine, want) {
			t.Errorf("risk line %q lacks %q", riskLine, want)
		}
	}
	if strings.HasSuffix(riskLine, ";") || strings.HasSuffix(lineWith(out, "By KDIGO GFR"), ";") {
		t.Errorf("stray ; at the end of a line:\n%s", out)
	}
	if strings.Contains(riskLine, " 9") || strings.Contains(riskLine, " 4") {
		t.Errorf("risk line %q shows a count that gives the small cell away", riskLine)
	}
	if g := lineWith(out, "By KDIGO GFR category:"); strings.Contains(g, "withheld") || !strings.Contains(g, "G2 6") {
		t.Errorf("GFR line with two small cells: %q, want no complementary cell", g)
	}
	if !strings.Contains(out, "complementary suppression") {
		t.Errorf("summary does not say a cell was withheld for complementary suppression:\n%s", out)
	}
	// Without --min-cell nothing is withheld and no note is printed.
	b.Reset()
	if err := s.Write(&b, 0); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "withheld") || !strings.Contains(b.String(), "not assessable (no current eGFR or ACR/UPCR) 4") {
		t.Errorf("without --min-cell:\n%s", b.String())
	}
}

func lineWith(s, prefix string) string {
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(l, prefix) {
			return l
		}
	}
	return ""
}
