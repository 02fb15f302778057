package synth

import "math"

// Version is the generator version. The same seed and Version give the same
// bytes; any change to the model, its parameters or the output format must
// change Version.
const Version = "2" // 2: CSV cohorts gain diagnoses, biopsies, findings and events files

// Arm is the induction regimen of a lupus nephritis patient.
type Arm string

// Arms. Every arm has oral glucocorticoids; see armRates for the sources.
const (
	ArmMMF         Arm = "mmf"         // mycophenolate mofetil, induction and maintenance
	ArmCYC         Arm = "cyc"         // Euro-Lupus cyclophosphamide, then azathioprine
	ArmBelimumab   Arm = "belimumab"   // belimumab added to mycophenolate or cyclophosphamide-azathioprine
	ArmVoclosporin Arm = "voclosporin" // voclosporin added to mycophenolate
)

// Arms lists the arms in a fixed order.
func Arms() []Arm { return []Arm{ArmMMF, ArmCYC, ArmBelimumab, ArmVoclosporin} }

// Response is the true renal response class of a lupus nephritis patient.
type Response string

// Responses.
const (
	Complete Response = "complete"
	Partial  Response = "partial"
	None     Response = "none"
)

// armRate is an arm's probability of a complete and a partial response.
type armRate struct{ complete, partial float64 }

// armRates: probability of complete renal response by arm.
//
//   - voclosporin 40.8%, mycophenolate control 22.5%: AURORA 1, complete renal
//     response at week 52 (Rovin BH et al. Lancet 2021;397:2070-80).
//   - belimumab 30%, standard-therapy control 20%: BLISS-LN, complete renal
//     response at week 104 (Furie R et al. N Engl J Med 2020;383:1117-28);
//     confirmed with the search tool from the subgroup counts of Anders HJ et
//     al. Nephrol Dial Transplant 2023;38:2733 (67/223 = 30.0% vs 44/223 =
//     19.7%). The control arm of BLISS-LN mixed mycophenolate and
//     cyclophosphamide-azathioprine; RenalWatch gives its 20% to the
//     cyclophosphamide arm.
//   - partial response 29% in every arm: ASSUMPTION. It is the gap between
//     AURORA 1's ≥50% proteinuria reduction and its complete response in both
//     arms as commonly quoted; it was not confirmed against the paper.
//
// The generator applies all rates at month 12 (ASSUMPTION: BLISS-LN's rate is
// a week-104 figure).
var armRates = map[Arm]armRate{
	ArmMMF:         {0.225, 0.29},
	ArmCYC:         {0.20, 0.29},
	ArmBelimumab:   {0.30, 0.29},
	ArmVoclosporin: {0.408, 0.29},
}

// ResponseRate returns the generator's true probability of a complete and a
// partial response for arm.
func ResponseRate(arm Arm) (complete, partial float64) {
	r := armRates[arm]
	return r.complete, r.partial
}

// armWeights: share of lupus nephritis patients per arm (ASSUMPTION: add-on
// arms are over-represented so that each arm has enough patients to check).
// Children get no voclosporin (approved for adults only); their share goes to
// mycophenolate.
var armWeights = []struct {
	arm Arm
	w   float64
}{{ArmMMF, 0.35}, {ArmCYC, 0.15}, {ArmBelimumab, 0.25}, {ArmVoclosporin, 0.25}}

// Cohort shape.
const (
	// femaleShare: 89% women in the SLICC inception cohort (Hanly JG et al.
	// Rheumatology 2016;55:252-62, confirmed with the search tool).
	femaleShare = 0.89
	// lnShareAdult: lupus nephritis in 38.3% of SLE (SLICC, same paper);
	// 80.9% of it present at enrolment, the rest during follow-up.
	lnShareAdult  = 0.383
	lnAtDiagnosis = 0.809
	// lnShareChild: ASSUMPTION, nephritis is more frequent in childhood-onset
	// SLE (about half in most series).
	lnShareChild = 0.55
	// childShare: ASSUMPTION, 15% of SLE begins before 18 years.
	childShare = 0.15
	// adultOnsetMean, adultOnsetSD: age at SLE diagnosis; SLICC mean 35.1,
	// SD 13.3 years (same paper), truncated to 18-75.
	adultOnsetMean, adultOnsetSD = 35.1, 13.3
	// minFollowYears, maxFollowYears: ASSUMPTION, follow-up uniform in
	// 1.5-10 years before the end date.
	minFollowYears, maxFollowYears = 1.5, 10.0
)

// classWeights: ISN/RPS class at the diagnostic biopsy (ASSUMPTION, a typical
// biopsy-series mix; proliferative classes dominate).
var classWeights = []struct {
	class string
	w     float64
}{{"III", 0.20}, {"IV", 0.40}, {"V", 0.15}, {"III+V", 0.10}, {"IV+V", 0.15}}

// Renal flares. MAINTAIN: renal flares in 25% (azathioprine) and 19%
// (mycophenolate) over a mean 48 months (Houssiau FA et al. Ann Rheum Dis
// 2010;69:2083-9); AURORA 2: 23.8% vs 26.0% of responders over 3 years
// (Lupus Sci Med 2024;11(Suppl 2):A85, abstract); both confirmed with the
// search tool. The generator uses a constant hazard from the date of
// response giving 25% in 4 years.
const (
	flareRisk4y = 0.25
	// flareRecoveryDays: ASSUMPTION, no second flare within 8 months of one
	// (the flare and its treatment last 4-6 months).
	flareRecoveryDays = 240
)

// FlareHazard is the generator's renal flare hazard per year in response.
func FlareHazard() float64 { return -math.Log(1-flareRisk4y) / 4 }

// Kidney failure. SLICC: 10-year incidence of end-stage kidney disease 10.1%
// (95% CI 6.6-13.6%) with lupus nephritis (Hanly 2016, confirmed with the
// search tool). The generator draws kidney failure (true GFR < 15) at 1 year
// after nephritis onset plus an exponential time whose 10-year probability
// depends on the response (ASSUMPTION: complete 2%, partial 6%, none 17%,
// which gives about 10% overall at the arm rates above) times a class factor
// (ASSUMPTION: class IV and IV+V 1.3, III+V 0.9, III 0.8, V 0.6 — higher for
// class IV as the issue and the literature state).
var kf10 = map[Response]float64{Complete: 0.02, Partial: 0.06, None: 0.17}

var classKF = map[string]float64{"III": 0.8, "IV": 1.3, "V": 0.6, "III+V": 0.9, "IV+V": 1.3}

// KidneyFailureHazard is the generator's hazard of kidney failure per year
// from one year after nephritis onset, for a class and response.
func KidneyFailureHazard(class string, r Response) float64 {
	p := kf10[r] * classKF[class]
	return -math.Log(1-p) / 9 // 10 years after onset = 9 years of hazard
}

// Kidney replacement (ASSUMPTIONS): dialysis starts 2-8 months after the
// true GFR falls below 15; 35% of dialysis patients receive a kidney
// transplant 1-4 years later.
const (
	transplantShare = 0.35
)

// Stem cells: among non-responders with at least a year of follow-up left
// 15 months after induction, mscShare receive an allogeneic mesenchymal stem
// cell infusion 12-24 months after induction (ASSUMPTION). Its true effect in
// the generator is none: the decision is drawn from a separate random stream
// and no trajectory reads it, so a patient's laboratory values are the same
// bytes with or without it.
const mscShare = 0.3

// Laboratory variation. Creatinine: total (biological and analytical)
// coefficient of variation 5% (issue 10; ASSUMPTION for the exact value,
// within-subject biological CV of serum creatinine is about 4-6% in
// published databases). UPCR: ASSUMPTION 20% (spot-urine ratios vary much
// more than serum values).
const (
	creatinineCV = 0.05
	upcrCV       = 0.20
)
