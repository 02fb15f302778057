package textfmt

import (
	"slices"
	"strings"

	"renalwatch/assess"
)

// missingLabels are the entries of the assessment's "missing" list that
// human text lists under "Not assessed", by path prefix, with the plain
// name a clinician looks for. Entries not listed here (each therapy's
// before/after comparison, a G or risk category that follows from a
// missing eGFR or albuminuria, a biopsy index the biopsy line already
// shows as not assessed, serology, which the lupus block shows as none)
// stay in the JSON only.
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
	// The alerts judged on the latest eGFR (trial-cli #12: "Alerts: ...
	// not judged" read as if no alert had been judged).
	{"alerts.ckd-g4", "eGFR-based alerts"},
	{"alerts.ckd-g5", "eGFR-based alerts"},
	{"alerts.rapid-progression", "eGFR-based alerts"},
	{"alerts.egfr-drop", "eGFR-based alerts"},
	{"alerts", "Alerts"},
}

// skipMissing are paths under a listed prefix that the text leaves out.
var skipMissing = []string{"lupus.biopsy.activity_index", "lupus.biopsy.chronicity_index", "lupus.sledai.renal_score"}

// NotAssessedItem is one line of the short "Not assessed" list.
type NotAssessedItem struct {
	Label  string // plain name: "eGFR trend", "Kidney failure risk (KFRE)"
	Reason string // the assessment's reason; "as_of" reads "the as-of date"
}

// NotAssessed is the short "Not assessed" list of the text report and the
// patient page: one item per plain name and reason, in the assessment's
// order, and the number of entries left to the JSON ("missing"). Lupus
// entries are left out when the lupus block does not apply.
func NotAssessed(missing []assess.Missing, lupusApplicable bool) (items []NotAssessedItem, left int) {
	return NotAssessedUntil(missing, lupusApplicable, "the as-of date")
}

// NotAssessedUntil is NotAssessed with "as_of" in the reasons read as
// until: "death (1994-11-12)" for a patient who died before the as-of date,
// whose record is judged as it stood at death (assess.Assessment's
// EffectiveDate; trial-cli #22: "no ACR or UPCR in the 365 days before the
// as-of date" when the window ended at death).
func NotAssessedUntil(missing []assess.Missing, lupusApplicable bool, until string) (items []NotAssessedItem, left int) {
	for _, m := range missing {
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
		if label == "" || (strings.HasPrefix(m.Path, "lupus") && !lupusApplicable) {
			left++
			continue
		}
		it := NotAssessedItem{Label: label, Reason: strings.ReplaceAll(m.Reason, "as_of", until)}
		if !slices.Contains(items, it) {
			items = append(items, it)
		}
	}
	return items, left
}

// leftNames are plain names for the entries NotAssessed leaves to the
// JSON, by path prefix, so the text can say what they are (trial #18).
var leftNames = []struct{ prefix, name string }{
	{"therapies", "before/after comparisons of therapies"},
	{"lupus.biopsy.activity_index", "biopsy activity index"},
	{"lupus.biopsy.chronicity_index", "biopsy chronicity index"},
	{"lupus.sledai.renal_score", "renal SLEDAI-2K score"},
	{"lupus.serology", "serology"},
	{"lupus", "lupus assessment, not applicable"},
	{"kidney.stage", "stage category"},
	{"kidney", "kidney item"},
}

// LeftNames names the kinds of the entries NotAssessed leaves to the
// JSON ("missing"), each once, in the assessment's order: what the text's
// "(N more in --json "missing": ...)" line lists.
func LeftNames(missing []assess.Missing, lupusApplicable bool) []string {
	var out []string
	for _, m := range missing {
		if listed(m, lupusApplicable) {
			continue
		}
		name := m.Path
		for _, l := range leftNames {
			if strings.HasPrefix(m.Path, l.prefix) {
				name = l.name
				break
			}
		}
		if !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	return out
}

// listed reports whether NotAssessed shows m as an item.
func listed(m assess.Missing, lupusApplicable bool) bool {
	items, _ := NotAssessed([]assess.Missing{m}, lupusApplicable)
	return len(items) > 0
}

// NoTrend says why there is no eGFR trend: the reason of the assessment's
// "kidney.slope" entry (too few values, too short a span, on dialysis,
// values before a kidney transplant left out), "as_of" read as until, as
// the Not assessed list reads it; "" when the entry is absent.
func NoTrend(missing []assess.Missing, until string) string {
	for _, m := range missing {
		if m.Path == "kidney.slope" {
			return strings.ReplaceAll(m.Reason, "as_of", until)
		}
	}
	return ""
}
