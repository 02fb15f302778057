package assess

import "renalwatch/record"

// Evidence is how well a therapy's benefit in lupus nephritis is
// established, lupus.md §8 "Toolkit rule".
type Evidence string

// Evidence levels, strongest first.
const (
	// GuidelineRecommended: listed by the current LN guidelines (KDIGO 2024
	// LN, EULAR 2019/2023, ACR 2024) for the situation it treats.
	GuidelineRecommended Evidence = "guideline-recommended"
	// Approved: approved for lupus nephritis by a regulator on randomised
	// evidence, not yet in every guideline.
	Approved Evidence = "approved"
	// Investigational: under study in registered trials, or used off-label
	// without randomised evidence of benefit in LN.
	Investigational Evidence = "investigational"
	// Unproven: no controlled evidence of benefit and not recommended by any
	// LN guideline; may be marketed outside trials.
	Unproven Evidence = "unproven"
	// Unclassified: a therapy RenalWatch has no evidence entry for (the
	// "other" class). Not a judgement either way.
	Unclassified Evidence = "unclassified"
	// NotApplicable: graft immunosuppression after a kidney transplant. The
	// LN evidence levels do not apply: the drug protects the graft.
	NotApplicable Evidence = "not-applicable"
)

// Unestablished reports whether a therapy of this level has no
// established benefit in lupus nephritis (investigational or unproven): a
// change after it cannot be attributed to it. The one test behind the
// alert, the response's attribution and the before/after comparison's
// wording (lupus.md §8 "Toolkit rule").
func (e Evidence) Unestablished() bool { return e == Investigational || e == Unproven }

// TherapyEvidence is one row of the evidence table.
type TherapyEvidence struct {
	Level  Evidence
	Source string // where the level comes from
	Note   string // what a reader should know
}

// evidenceTable gives each therapy class its evidence level. Sources are
// those of lupus.md §2.3, §2.4, §2.7 and §8.
var evidenceTable = map[record.TherapyClass]TherapyEvidence{
	record.Glucocorticoid: {GuidelineRecommended,
		"KDIGO 2024 LN rec 10.2.3.1.1; EULAR 2023 (Ann Rheum Dis 2024;83:15); ACR (American College of Rheumatology) 2024 lupus nephritis guideline (Arthritis Care Res 2025;77:1045)",
		"part of every initial regimen for class III/IV; taper to <=5 mg/day by 6 months by the ACR (American College of Rheumatology) 2024 lupus nephritis guideline"},
	record.Mycophenolate: {GuidelineRecommended,
		"KDIGO 2024 LN rec 10.2.3.1.1; EULAR 2023; ACR (American College of Rheumatology) 2024 lupus nephritis guideline", "anchor immunosuppressant for class III/IV"},
	record.Cyclophosphamide: {GuidelineRecommended,
		"KDIGO 2024 LN rec 10.2.3.1.1 (low-dose IV, Euro-Lupus); EULAR 2023; ACR (American College of Rheumatology) 2024 lupus nephritis guideline", "low-dose IV regimen preferred"},
	record.Belimumab: {GuidelineRecommended,
		"KDIGO 2024 LN rec 10.2.3.1.1; ACR (American College of Rheumatology) 2024 lupus nephritis guideline; FDA approval for adult active LN 17 Dec 2020 (BLISS-LN, Furie NEJM 2020;383:1117)",
		"add-on to MPAA or low-dose IV cyclophosphamide"},
	record.Voclosporin: {GuidelineRecommended,
		"KDIGO 2024 LN rec 10.2.3.1.1 (MPAA + CNI when eGFR > 45); ACR (American College of Rheumatology) 2024 lupus nephritis guideline; FDA approval 22 Jan 2021 (AURORA 1, Rovin Lancet 2021;397:2070)",
		"add-on to MPAA when eGFR > 45"},
	record.Obinutuzumab: {Approved,
		"FDA approval for adult active LN, October 2025 (REGENCY, Furie NEJM 2025, doi:10.1056/NEJMoa2410965)",
		"not yet in the KDIGO or ACR (American College of Rheumatology) lupus nephritis guidelines as of September 2025"},
	// KDIGO 2024 LN practice points for persistently active or refractory
	// disease list rituximab among the options (with belimumab or a CNI
	// added, or a switch of agent), confirmed with the search tool; it is
	// not an initial regimen (LUNAR, Rovin Arthritis Rheum 2012;64:1215,
	// did not meet its primary endpoint).
	record.Rituximab: {GuidelineRecommended,
		"KDIGO 2024 LN practice points on refractory disease (rituximab among the options for persistently active disease); not an initial regimen: LUNAR (Rovin, Arthritis Rheum 2012;64:1215) did not meet its primary endpoint",
		"listed for refractory or persistent disease, not as initial therapy"},
	record.Hydroxychloroquine: {GuidelineRecommended,
		"KDIGO 2024 LN (all patients unless contraindicated, grade 1C); EULAR 2023; ACR (American College of Rheumatology) 2024 lupus nephritis guideline", "background therapy, not an induction agent"},
	record.RAASBlockade: {GuidelineRecommended,
		"KDIGO 2024 CKD (ACEi/ARB for A2/A3); KDIGO 2024 LN adjunctive care", "antiproteinuric; a fall in eGFR of up to 30% after starting is expected (KDIGO 2024 PP 2.1.4)"},
	record.SGLT2Inhibitor: {GuidelineRecommended,
		"KDIGO 2024 CKD rec (eGFR >= 20 and ACR >= 200 mg/g, grade 1A); KDIGO 2024 LN adjunct in stable patients",
		"haemodynamic eGFR dip after starting is expected (KDIGO 2024 PP 2.1.4)"},
	// Confirmed with the search tool: KDIGO 2024 LN practice point for
	// initial therapy names a CNI "(voclosporin, tacrolimus, or
	// cyclosporine)"; rec 10.2.3.1.1 lists MPAA with a CNI when eGFR > 45.
	record.CalcineurinInhibitor: {GuidelineRecommended,
		"KDIGO 2024 LN rec 10.2.3.1.1 (MPAA + CNI when eGFR > 45) and practice point (CNI: voclosporin, tacrolimus or cyclosporine); ACR (American College of Rheumatology) 2024 lupus nephritis guideline",
		"with MPAA (multitarget) as initial therapy when eGFR > 45; tacrolimus is the CNI studied most in LN after voclosporin"},
	// Confirmed with the search tool: KDIGO 2024 LN recommends MPAA for
	// maintenance, with azathioprine the alternative (MPAA intolerance,
	// planned pregnancy), maintenance for at least 36 months.
	record.Azathioprine: {GuidelineRecommended,
		"KDIGO 2024 LN maintenance (recommendation: MPAA after initial therapy, 1B; practice point: azathioprine the alternative, e.g. MPAA intolerance or planned pregnancy); EULAR 2023",
		"maintenance alternative to MPAA, not an initial (induction) therapy"},
	// FDA label (Saphnelo, anifrolumab-fnia), confirmed with the search
	// tool: indicated for moderate to severe SLE on standard therapy; "not
	// evaluated in patients with severe active lupus nephritis ... not
	// recommended in these situations".
	record.Anifrolumab: {Investigational,
		"FDA label (Saphnelo): approved for moderate to severe SLE on standard therapy, not evaluated in severe active lupus nephritis; no LN guideline lists it (phase 3 LN trials ongoing)",
		"approved for non-renal SLE, not for lupus nephritis"},
	record.Leflunomide: {Investigational,
		"no KDIGO 2024, EULAR 2023 or ACR (American College of Rheumatology) 2024 lupus nephritis guideline recommendation for LN; used in regional practice (China) on small trials",
		"regional or investigational LN therapy"},
	record.Mizoribine: {Investigational,
		"no KDIGO 2024, EULAR 2023 or ACR (American College of Rheumatology) 2024 lupus nephritis guideline recommendation for LN; approved in Japan, used in multitarget regimens there",
		"regional or investigational LN therapy"},
	record.MSCInfusion: {Unproven,
		"the only randomised, placebo-controlled trial (Deng D et al. Ann Rheum Dis 2017;76:1436-9) showed no added effect; no LN guideline recommends it; FDA consumer notice (June 2021) on unapproved regenerative products",
		"uncontrolled case series reported improvement; controlled evidence does not support a kidney benefit"},
}

// EvidenceFor returns the evidence entry of a therapy class; the "other"
// class and unknown classes are Unclassified.
func EvidenceFor(c record.TherapyClass) TherapyEvidence {
	if e, ok := evidenceTable[c]; ok {
		return e
	}
	return TherapyEvidence{Level: Unclassified, Source: "no entry in the RenalWatch evidence table",
		Note: "RenalWatch has not classified this therapy; read the effect below with the same caution"}
}

// UncontrolledCaveat is attached to every before/after therapy effect
// (lupus.md §8) of a patient without known lupus nephritis: a change after
// a therapy is not evidence that the therapy caused it.
const UncontrolledCaveat = "Uncontrolled before/after comparison: it cannot show that the therapy caused the change, " +
	"and proteinuria and eGFR vary between measurements. " + RegressionCaveat

// RegressionCaveat ends both caveats of before/after comparisons (trial 8
// F1): a course is often started for a flare or an acute change whose
// values fall in the 12 months before, so the slope before can end in an
// acute change and the UPCR baseline be a peak, and a flatter slope or a
// fall after follows without any effect (regression to the mean: Barnett
// AG et al. Int J Epidemiol 2005;34:215-220). A creatinine-based eGFR
// estimates GFR only with creatinine in steady state ("estimated GFR does
// not reflect measured GFR in AKI as accurately as in CKD", KDIGO 2012 AKI
// guideline, Table 11; see steadystate.go). Effect.Note names the
// flare or acute fall when the record shows one.
const RegressionCaveat = "A course is often started for a flare or an acute change whose values fall in the 12 months before: " +
	"a steeper eGFR slope before and a flatter one after, or a UPCR fall from that baseline, are then expected " +
	"without any effect of the therapy (regression to the mean), and a creatinine-based eGFR assumes stable kidney function " +
	"(KDIGO 2012 AKI guideline: eGFR does not reflect GFR in acute kidney injury as accurately as in CKD)."

// LNUncontrolledCaveat is UncontrolledCaveat for a patient with lupus
// nephritis (knownNephritis: a lupus nephritis diagnosis, a biopsy with an
// ISN/RPS class, or a renal SLEDAI-2K descriptor): it adds the renal
// response that standard therapy gives alone, from the placebo arms of
// lupus nephritis trials (Furie R et al. N Engl J Med 2020;383:1117-28,
// BLISS-LN; Rovin BH et al. Lancet 2021;397:2070-80, AURORA 1). Those
// figures describe lupus nephritis only, so plain CKD or SLE without
// nephritis never gets them.
const LNUncontrolledCaveat = "Uncontrolled before/after comparison: it cannot show that the therapy caused the change. " +
	"Standard therapy alone gives complete renal response in about 20-45% within 1-2 years " +
	"(placebo arms: BLISS-LN CRR 20% at week 104; AURORA 1 control CRR 22.5% at week 52), " +
	"and proteinuria and eGFR vary between measurements. " + RegressionCaveat

// TherapyCaveat returns the caveat of the before/after comparisons of an
// assessment's therapies ths (each therapies[].effect.caveat): LNUncontrolledCaveat with
// lupus nephritis, UncontrolledCaveat otherwise; "" without therapies.
// The text report and the dashboard show it from here, so they say what
// the JSON says.
func TherapyCaveat(ths []Therapy) string {
	if len(ths) == 0 {
		return ""
	}
	return ths[0].Effect.Caveat
}

// therapyCaveat chooses the caveat of this patient's therapy effects.
func (a *assessor) therapyCaveat() string {
	if a.knownNephritis() {
		return LNUncontrolledCaveat
	}
	return UncontrolledCaveat
}
