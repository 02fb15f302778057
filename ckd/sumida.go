package ckd

import (
	"math"

	"renalwatch/units"
)

// SumidaSource names the UPCR-to-UACR equation EstimateACR implements.
const SumidaSource = "Sumida K et al. Ann Intern Med 2020;173:426-435, doi:10.7326/M20-0529 (PCR-to-ACR conversion)"

// PCRInput is what the Sumida 2020 PCR-to-ACR equation needs. Every field is
// required: Diabetes and Hypertension are answers (false means the condition
// is absent, not that it is unknown), and Sex must be Female or Male.
type PCRInput struct {
	PCR          units.Quantity // urine protein-to-creatinine ratio, mg/g, mg/mmol or g/g
	Sex          Sex
	Diabetes     bool
	Hypertension bool
}

// ACREstimate is a urine albumin-to-creatinine ratio estimated from a
// protein-to-creatinine ratio. It is never a measured ACR: Estimated is
// always true, and Source names the equation, so that every place that shows
// or stores it can say so.
type ACREstimate struct {
	ACR       units.Quantity `json:"acr"`       // estimated ACR in mg/g
	Estimated bool           `json:"estimated"` // always true
	Source    string         `json:"source"`    // SumidaSource
	PCR       units.Quantity `json:"pcr"`       // the PCR as given
}

// Coefficients of the Sumida 2020 equation, PCR and ACR in mg/g, as printed
// in kidney.md §3 and implemented identically by kfre (Python and R,
// upcr_uacr) and a second R implementation citing the paper (PMID
// 32658569): all seven coefficients and the knots 50 and 500 mg/g with the
// 0.1 floor agree. The paper's own table was not re-read.
const (
	sumidaIntercept = 5.2659
	sumidaBelow50   = 0.2934  // x ln(min(PCR/50, 1))
	sumidaMid       = 1.5643  // x ln(max(min(PCR/500, 1), 0.1))
	sumidaAbove500  = 1.1109  // x ln(max(PCR/500, 1))
	sumidaFemale    = -0.0773 // if female
	sumidaDiabetes  = 0.0797  // if diabetes
	sumidaHTN       = 0.1265  // if hypertension
)

// EstimateACR estimates a urine ACR (mg/g) from a urine PCR with the Sumida
// 2020 equation (CKD Prognosis Consortium, 919 383 participants):
//
//	ACR = exp(5.2659 + 0.2934 ln(min(PCR/50, 1))
//	        + 1.5643 ln(max(min(PCR/500, 1), 0.1))
//	        + 1.1109 ln(max(PCR/500, 1))
//	        - 0.0773 [female] + 0.0797 [diabetes] + 0.1265 [hypertension])
//
// with PCR in mg/g (a PCR in mg/mmol or g/g is converted first, 1 mg/mmol =
// 8.84 mg/g; the equation is a conversion, not a threshold, so here the unit
// change is right). PCR must be greater than zero. The result is an estimate
// with a wide individual error; use it for risk equations and screening
// when no ACR was measured, never in place of a measured ACR.
func EstimateACR(in PCRInput) (ACREstimate, error) {
	c, err := units.PCR.Normalize("pcr", in.PCR)
	if err != nil {
		return ACREstimate{}, err
	}
	if !(c.Value > 0) {
		return ACREstimate{}, &InputError{Field: "pcr", Value: in.PCR.Text(), Want: "a ratio greater than 0 (the equation takes its logarithm)"}
	}
	if in.Sex != Female && in.Sex != Male {
		return ACREstimate{}, &InputError{Field: "sex", Value: in.Sex.String(), Want: "female or male"}
	}
	p := c.Value
	x := sumidaIntercept +
		sumidaBelow50*math.Log(min(p/50, 1)) +
		sumidaMid*math.Log(max(min(p/500, 1), 0.1)) +
		sumidaAbove500*math.Log(max(p/500, 1))
	if in.Sex == Female {
		x += sumidaFemale
	}
	if in.Diabetes {
		x += sumidaDiabetes
	}
	if in.Hypertension {
		x += sumidaHTN
	}
	return ACREstimate{
		ACR:       units.Quantity{Value: math.Exp(x), Unit: units.MgPerG},
		Estimated: true,
		Source:    SumidaSource,
		PCR:       in.PCR,
	}, nil
}
