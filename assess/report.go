package assess

import "time"

// Report is an assessment as a document: what `renalwatch report --json`
// prints and what the API's /api/patients/{id}/assessment answers, so the
// two cannot drift apart (docs/report.md describes every field).
type Report struct {
	Patient PatientInfo `json:"patient"`
	// AsOf is the day the record was read at (YYYY-MM-DD); values taken on
	// that day count.
	AsOf string `json:"as_of"`
	// EffectiveDate is AsOf, or the date of death when the patient died
	// before it (YYYY-MM-DD): nothing after it is judged.
	EffectiveDate string    `json:"effective_date"`
	Config        Config    `json:"config"`
	Kidney        Kidney    `json:"kidney"`
	Lupus         Lupus     `json:"lupus"`
	Alerts        []Alert   `json:"alerts"`
	Therapies     []Therapy `json:"therapies"`
	Missing       []Missing `json:"missing"`
	// LatestLabs is the latest labs table (LatestLab).
	LatestLabs []LatestLab `json:"latest_labs"`
	// NotUsed lists stored records left out of the assessment (NotUsed).
	NotUsed []NotUsed `json:"not_used,omitempty"`
}

// Report returns the assessment as a document read as of day (the date
// as_of fell on, UTC).
func (a Assessment) Report(day time.Time) Report {
	return Report{Patient: a.Patient, AsOf: day.Format(time.DateOnly), EffectiveDate: a.EffectiveDate.Format(time.DateOnly),
		Config: a.Config, Kidney: a.Kidney, Lupus: a.Lupus, Alerts: a.Alerts, Therapies: a.Therapies, Missing: a.Missing,
		LatestLabs: a.LatestLabs, NotUsed: a.NotUsed}
}
