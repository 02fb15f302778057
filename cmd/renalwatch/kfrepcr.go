package main

import (
	"errors"

	"renalwatch/ckd"
	"renalwatch/units"
)

// kfreACREstimate is the ACR "renalwatch kfre --pcr" estimated: the Sumida
// 2020 result (acr in mg/g, estimated: true, source, pcr as given) and the
// answers the conversion used.
type kfreACREstimate struct {
	ckd.ACREstimate
	Sex          ckd.Sex `json:"sex"`
	Diabetes     bool    `json:"diabetes"`
	Hypertension bool    `json:"hypertension"`
}

// pcrAnswers checks that --pcr comes with both --diabetes and --hypertension
// answered. The Sumida 2020 equation (Ann Intern Med 2020;173:426-435) adds
// 0.0797 to ln ACR for diabetes and 0.1265 for hypertension; taking an
// unanswered condition as absent would lower the estimate by about 8% or 13%
// (exp(0.0797) = 1.083, exp(0.1265) = 1.135), and so the KFRE risk. The
// report does so for a stored record, saying which it took as absent; a
// calculator asks instead, since the person at the keyboard can answer.
func pcrAnswers(pcr quantityFlag, diabetes, hypertension optBool) error {
	if !pcr.set {
		return nil
	}
	var missing []string
	if !diabetes.set {
		missing = append(missing, "--diabetes=true|false")
	}
	if !hypertension.set {
		missing = append(missing, "--hypertension=true|false")
	}
	switch len(missing) {
	case 0:
		return nil
	case 1:
		return badInputf("kfre: --pcr %s is converted to an ACR by the Sumida 2020 equation, which has a term for diabetes and one for hypertension; give %s too (an absent condition lowers the estimated ACR: by about 8%% for diabetes, 13%% for hypertension)", pcr.q.Text(), missing[0])
	}
	return badInputf("kfre: --pcr %s is converted to an ACR by the Sumida 2020 equation, which has a term for diabetes and one for hypertension; give %s and %s too (an absent condition lowers the estimated ACR: by about 8%% for diabetes, 13%% for hypertension)", pcr.q.Text(), missing[0], missing[1])
}

// estimateKFREACR converts --pcr to an estimated ACR with ckd.EstimateACR.
func estimateKFREACR(pcr quantityFlag, sex ckd.Sex, diabetes, hypertension optBool) (*kfreACREstimate, error) {
	e, err := ckd.EstimateACR(ckd.PCRInput{PCR: pcr.q, Sex: sex, Diabetes: diabetes.v, Hypertension: hypertension.v})
	if err != nil {
		var ie *ckd.InputError
		if errors.As(err, &ie) && ie.Field == "pcr" {
			return nil, badInputf("kfre: --pcr %s is not accepted; want %s", pcr.q.Text(), ie.Want)
		}
		return nil, badInputf("kfre: --pcr: %w", err)
	}
	return &kfreACREstimate{ACREstimate: e, Sex: sex, Diabetes: diabetes.v, Hypertension: hypertension.v}, nil
}

// text is the line "renalwatch kfre" prints under its inputs.
func (e *kfreACREstimate) text() string {
	return "ACR estimated, not measured: " + estimated(e.ACR.Value) + " " + string(units.MgPerG) +
		" from PCR " + measuredQ(e.PCR) + " (" + e.Sex.String() + ", diabetes " + yesNo(e.Diabetes) +
		", hypertension " + yesNo(e.Hypertension) + ", as given) by " + e.Source +
		"; an estimate has a wide individual error: a measured ACR is preferred"
}
