package synth

import "math/rand/v2"

// drug is a medication as the encoders write it. Every ATC code is one
// fhir/codes.go maps today (atcTherapies); rx is an RxNorm code it maps
// (rxnormTherapies) or empty. csv is the drug as the CSV layout's therapy
// column names it, which csvio reads with the FHIR reader's vocabulary
// (fhir.TherapyByName) to the class and name the FHIR import gives the
// MedicationRequest (trial-cli #9: it was the class, so the
// methylprednisolone pulse merged into the prednisone course and "RAAS
// blockade, 50 mg daily" named no drug); the stem cell infusion, which has
// no drug name, is its class.
type drug struct {
	atc, display, text, dose, rx, csv string
}

var (
	methylpred  = drug{"H02AB04", "methylprednisolone", "methylprednisolone 500 mg IV pulse", "500 mg IV daily for 3 days", "", "methylprednisolone"}
	prednisone  = drug{"H02AB07", "prednisone", "prednisone 0.5 mg/kg oral, tapered", "0.5 mg/kg daily, tapered to 5 mg", "", "prednisone"}
	mmfInd      = drug{"L04AA06", "mycophenolic acid", "mycophenolate mofetil 1.5 g twice daily (induction)", "1.5 g twice daily", "", "mycophenolate mofetil"}
	mmfMaint    = drug{"L04AA06", "mycophenolic acid", "mycophenolate mofetil 1 g twice daily (maintenance)", "1 g twice daily", "", "mycophenolate mofetil"}
	cyclophos   = drug{"L01AA01", "cyclophosphamide", "cyclophosphamide 500 mg IV every 2 weeks x6 (Euro-Lupus)", "500 mg IV every 2 weeks", "", "cyclophosphamide"}
	azathio     = drug{"L04AX01", "azathioprine", "azathioprine 2 mg/kg daily (maintenance)", "2 mg/kg daily", "", "azathioprine"}
	belimumab   = drug{"L04AA26", "belimumab", "belimumab 10 mg/kg IV every 4 weeks", "10 mg/kg IV every 4 weeks", "", "belimumab"}
	voclosporin = drug{"L04AD03", "voclosporin", "voclosporin 23.7 mg twice daily", "23.7 mg twice daily", "", "voclosporin"}
	hcq         = drug{"P01BA02", "hydroxychloroquine", "hydroxychloroquine 200 mg twice daily", "200 mg twice daily", "", "hydroxychloroquine"}
	ramipril    = drug{"C09AA05", "ramipril", "ramipril 5 mg daily", "5 mg daily", "", "ramipril"}
	lisinopril  = drug{"C09AA03", "lisinopril", "lisinopril 10 mg daily", "10 mg daily", "314076", "lisinopril"}
	losartan    = drug{"C09CA01", "losartan", "losartan 50 mg daily", "50 mg daily", "", "losartan"}
	tacrolimus  = drug{"L04AD02", "tacrolimus", "tacrolimus, trough-guided (transplant)", "trough-guided", "", "tacrolimus"}
	predTx      = drug{"H02AB07", "prednisone", "prednisone 5 mg daily (transplant maintenance)", "5 mg daily", "", "prednisone"}
	// msc is written as a Procedure (FHIR) or a msc_infusion therapy row
	// (CSV): no medication code for it is mapped (fhir/read.go reads the
	// infusion from the Procedure text, as the demo stem-cell patient).
	msc = drug{"", "", "Allogeneic umbilical cord mesenchymal stem cell infusion", "1 x 10^6 cells/kg IV", "", "msc_infusion"}
)

// med adds an order from start to end, cut at the end of follow-up (an end
// at or after it is left open: the order is still active).
func (p *Patient) med(d drug, start, end int) {
	if start > p.end {
		return
	}
	if end >= p.end {
		end = 0
	}
	if end != 0 && end < start {
		end = start
	}
	p.Meds = append(p.Meds, Med{Start: start, End: end, Drug: d})
}

// therapies writes the orders of the patient's regimen. Immunosuppression
// stops at dialysis; a transplant brings tacrolimus and prednisone.
func (p *Patient) therapies(r *rand.Rand) {
	p.med(hcq, p.sleOnset+r.IntN(30), 0)
	if p.lnOnset == 0 {
		return
	}
	stopIS := 0
	if p.dialysis != 0 {
		stopIS = p.dialysis
	}
	until := func(d int) int {
		if stopIS != 0 && (d == 0 || d > stopIS) {
			return stopIS
		}
		return d
	}
	s := p.induction
	p.med(methylpred, s, s+2)
	p.med(prednisone, s+3, until(s+365))
	arm := p.Truth.Arm
	background := ArmMMF
	if arm == ArmCYC || (arm == ArmBelimumab && r.Float64() < 0.3) {
		background = ArmCYC
	}
	if background == ArmCYC {
		p.med(cyclophos, s+3, s+3+70)
		p.med(azathio, s+91, until(0))
	} else {
		p.med(mmfInd, s+3, s+182)
		p.med(mmfMaint, s+183, until(0))
	}
	switch arm {
	case ArmBelimumab:
		p.med(belimumab, s+3, until(0))
	case ArmVoclosporin:
		p.med(voclosporin, s+3, until(s+3+yearsToDays(3)))
	}
	raas := []drug{ramipril, lisinopril, losartan}[r.IntN(3)]
	p.med(raas, s+14, until(0))
	for _, f := range p.flares {
		p.med(prednisone, f+7, until(f+7+182))
	}
	if p.transplant != 0 {
		p.med(tacrolimus, p.transplant-1, 0)
		p.med(predTx, p.transplant-1, 0)
	}
}
