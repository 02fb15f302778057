package main

import (
	"fmt"
	"slices"
	"strings"
)

// missingLabels are the entries of --json "missing" the text report lists
// under "Not assessed", by path prefix, with the plain name a clinician
// looks for. Entries not listed here (each therapy's before/after
// comparison, a G or risk category that follows from a missing eGFR or
// albuminuria, a biopsy index the biopsy line already shows as not
// assessed, serology, which the lupus block shows as none) stay in --json
// only.
var missingLabels = []struct{ prefix, label string }{
	{"patient.birth_date", "Age"},
	{"patient.sex", "Sex"},
	{"kidney.egfr", "eGFR"},
	{"kidney.stage.a", "Albuminuria"},
	{"kidney.slope", "eGFR trend"},
	{"kidney.kfre", "Kidney failure risk (KFRE)"},
	{"lupus.sledai", "Lupus activity (SLEDAI-2K)"},
	{"lupus.biopsy", "Kidney biopsy"},
	{"lupus.response", "Renal response"},
	{"lupus.flares", "Renal flares"},
	{"alerts.anemia", "Anaemia"},
	{"alerts.hyperkalemia", "Potassium"},
	{"alerts.bp-above-target", "Blood pressure"},
	{"alerts.active-sediment", "Urine sediment"},
	{"alerts", "Alerts"},
}

// skipMissing are paths under a listed prefix that the text leaves out.
var skipMissing = []string{"lupus.biopsy.activity_index", "lupus.biopsy.chronicity_index", "lupus.sledai.renal_score"}

// missing writes the short "Not assessed" list: one line per item, its
// plain name, the reason. The reasons are the assessment's; "as_of" in them
// reads "the as-of date".
func (t *textReport) missing() {
	var lines []string
	left := 0
	for _, m := range t.r.Missing {
		label := ""
		for _, l := range missingLabels {
			if strings.HasPrefix(m.Path, l.prefix) && !slices.Contains(skipMissing, m.Path) {
				label = l.label
				break
			}
		}
		if label == "" && strings.HasPrefix(m.Path, "alerts.") {
			label = "Alert " + strings.TrimPrefix(m.Path, "alerts.")
		}
		if label == "" {
			left++
			continue
		}
		if strings.HasPrefix(m.Path, "lupus") && !t.r.Lupus.Applicable {
			left++
			continue
		}
		line := "  " + label + ": " + strings.ReplaceAll(m.Reason, "as_of", "the as-of date")
		if !slices.Contains(lines, line) {
			lines = append(lines, line)
		}
	}
	if len(lines) == 0 && left == 0 {
		return
	}
	t.b.WriteString("\nNot assessed\n")
	for _, l := range lines {
		t.b.WriteString(l + "\n")
	}
	if left > 0 {
		more := "more "
		if len(lines) == 0 {
			more = ""
		}
		fmt.Fprintf(&t.b, "  (%d %sin --json \"missing\", such as the before/after comparison of each therapy)\n", left, more)
	}
}
