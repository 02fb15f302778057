package lupus

import "renalwatch/units"

// ResponseNotApplicable is the response when the baseline UPCR shows no
// proteinuria to respond from (BaselineBelowActive).
const ResponseNotApplicable = "not applicable"

// activeProteinuria is the proteinuria of kidney involvement that the
// response rules start from: 0.5 g/g, with KDIGO's pairing 50 mg/mmol.
var activeProteinuria = upcrCut{gPerG: 0.5, mgPerMmol: 50}

// NoProteinuriaNote explains a ResponseNotApplicable result.
const NoProteinuriaNote = "baseline UPCR is below 0.5 g/g (50 mg/mmol): there was no lupus nephritis proteinuria to respond from, so the renal response rules do not apply (KDIGO 2024 LN: a complete response is a reduction of proteinuria to < 0.5 g/g and a partial one a reduction by ≥ 50%; proteinuria ≥ 0.5 g/day is the threshold of kidney involvement that prompts a biopsy, KDIGO 2024 LN Figure 1 and the ACR (American College of Rheumatology) 2024 lupus nephritis guideline)"

// BaselineBelowActive reports whether a baseline UPCR is below 0.5 g/g
// (50 mg/mmol), the proteinuria of kidney involvement in SLE.
//
// Every response rule here judges the response of active lupus nephritis
// with proteinuria: KDIGO 2024 LN (Kidney Int 2024;105(1S):S1-S69) defines
// complete response as a "reduction in proteinuria to < 0.5 g/g" and partial
// response as a reduction by ≥ 50%, and names proteinuria ≥ 0.5 g/day as the
// kidney involvement that prompts a biopsy (Figure 1, diagnosis of kidney
// involvement in SLE; the ACR 2024 LN guideline uses the same 0.5 g/g biopsy
// threshold, Sammaritano et al. Arthritis Care Res 2025;77:1045-65); the
// trials enrolled UPCR ≥ 1 g/g (BLISS-LN, Furie NEJM 2020) or ≥ 1.5 g/g
// (AURORA 1, Rovin Lancet 2021). A baseline below 0.5 g/g was already
// "complete" by the UPCR criterion: calling the later value a response
// would be a confident wrong answer. No source states this exclusion in
// words; it follows from the definitions (checked with the search tool).
func BaselineBelowActive(baseline units.Quantity) bool {
	if baseline.IsZero() {
		return false
	}
	v, cut := activeProteinuria.values(baseline)
	return lt(v, cut)
}
