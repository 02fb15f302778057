package synth

// Truth is a patient's true story, one line of truth.ndjson. Dates are
// YYYY-MM-DD; an empty date means the event did not happen by End.
type Truth struct {
	PatientID string `json:"patient_id"`
	Version   string `json:"version"`
	Seed      uint64 `json:"seed"`
	Sex       string `json:"sex"`
	BirthDate string `json:"birth_date"`
	// Child: SLE began before 18 years.
	Child    bool   `json:"child"`
	SLEOnset string `json:"sle_onset"`
	End      string `json:"end"` // last day of follow-up
	// LupusNephritis and, when true, the nephritis story.
	LupusNephritis bool     `json:"lupus_nephritis"`
	Class          string   `json:"class,omitempty"` // ISN/RPS: III, IV, V, III+V, IV+V
	LNOnset        string   `json:"ln_onset,omitempty"`
	Arm            Arm      `json:"arm,omitempty"`
	InductionStart string   `json:"induction_start,omitempty"`
	Response       Response `json:"response,omitempty"`
	// ResponseDate is when the true UPCR reached the response level.
	ResponseDate string   `json:"response_date,omitempty"`
	Flares       []string `json:"flares"` // peak of each renal flare
	// KidneyFailureDate is when the true GFR fell below 15.
	KidneyFailureDate string `json:"kidney_failure_date,omitempty"`
	DialysisStart     string `json:"dialysis_start,omitempty"`
	TransplantDate    string `json:"transplant_date,omitempty"`
	// MSCInfusion is the date of a mesenchymal stem cell infusion; its true
	// effect in the generator is always "none".
	MSCInfusion   string `json:"msc_infusion,omitempty"`
	MSCTrueEffect string `json:"msc_true_effect,omitempty"`
	// FinalGFR is the true GFR (mL/min/1.73 m2) at End and FinalStage its
	// KDIGO category, "G5D" on dialysis, or "T" with a transplant.
	FinalGFR   float64 `json:"final_gfr"`
	FinalStage string  `json:"final_stage"`
	// GFRSlope is the true underlying GFR slope (mL/min/1.73 m2 a year):
	// ageing without nephritis; after nephritis, from the end of induction
	// (6 months, or the response) to the end of follow-up or kidney
	// failure, without the steps of flares.
	GFRSlope float64 `json:"gfr_slope"`
	// Units is the laboratory's unit system at the first visit: "si"
	// (µmol/L, mg/mmol, g/L) or "conventional".
	Units        string `json:"units"`
	Observations int    `json:"observations"` // Observation resources written (FHIR)
}

func dateOr(z int) string {
	if z == 0 {
		return ""
	}
	return Date(z)
}

func (p *Patient) truth(seed uint64, i int) {
	t := &p.Truth
	class, arm, resp, slope := t.Class, t.Arm, t.Response, t.GFRSlope
	*t = Truth{PatientID: PatientID(seed, i), Version: Version, Seed: seed, Sex: "male", BirthDate: Date(p.birth),
		Child: p.ageAt(p.sleOnset) < 18, SLEOnset: Date(p.sleOnset), End: Date(p.end), Flares: []string{}, GFRSlope: slope}
	if p.sex == 'f' {
		t.Sex = "female"
	}
	t.Units = "conventional"
	if p.si {
		t.Units = "si"
	}
	if p.lnOnset != 0 {
		t.LupusNephritis, t.Class, t.Arm, t.Response = true, class, arm, resp
		t.LNOnset, t.InductionStart, t.ResponseDate = Date(p.lnOnset), Date(p.induction), dateOr(p.responseDay)
		for _, f := range p.flares {
			t.Flares = append(t.Flares, Date(f))
		}
		t.KidneyFailureDate, t.DialysisStart, t.TransplantDate = dateOr(p.kf), dateOr(p.dialysis), dateOr(p.transplant)
		if p.msc != 0 {
			t.MSCInfusion, t.MSCTrueEffect = Date(p.msc), "none"
		}
	}
	t.FinalGFR = p.gfr.at(p.end)
	t.FinalStage = gStage(t.FinalGFR)
	switch {
	case p.transplant != 0:
		t.FinalStage = "T"
	case p.dialysis != 0:
		t.FinalStage = "G5D"
	}
	t.Observations = len(p.Labs) + len(p.Findings)
}
