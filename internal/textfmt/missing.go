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
		it := NotAssessedItem{Label: label, Reason: strings.ReplaceAll(m.Reason, "as_of", "the as-of date")}
		if !slices.Contains(items, it) {
			items = append(items, it)
		}
	}
	return items, left
}
