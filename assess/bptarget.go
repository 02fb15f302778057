package assess

import (
	"renalwatch/units"
)

// The blood-pressure targets, KDIGO 2021 Clinical Practice Guideline for
// the Management of Blood Pressure in CKD (Kidney Int 2021;99(3S):S1-S87),
// confirmed against the guideline's recommendation table (PMC8366157
// Table 2) and a review of transplant targets (World J Transplant
// 2022;12(8):211-222, Table 1):
//   - rec 3.1.1: adults with high BP and CKD not receiving dialysis, target
//     systolic BP < 120 mmHg when tolerated, standardised office BP;
//   - rec 4.1.1: adult kidney transplant recipients, target < 130 mmHg
//     systolic and < 80 mmHg diastolic, standardised office BP;
//   - rec 5.1.1: children with CKD, 24-h mean arterial pressure by ABPM at or
//     below the 50th percentile for age, sex and height (not assessed here).
//
// The guideline does not cover patients on dialysis.
const (
	srcBP           = "KDIGO 2021 blood pressure in CKD guideline rec 3.1.1, kept in KDIGO 2024: adults with CKD not on dialysis, target systolic BP < 120 mmHg when tolerated, by standardised office measurement"
	srcBPTransplant = "KDIGO 2021 blood pressure in CKD guideline rec 4.1.1: adult kidney transplant recipients, target BP < 130/80 mmHg by standardised office measurement"

	bpTargetCKD        = 120.0 // mmHg, systolic, rec 3.1.1
	bpTargetTransplant = 130.0 // mmHg, systolic, rec 4.1.1
)

// bpAlert judges the current systolic BP against the KDIGO 2021 target that
// applies: < 130 mmHg with a functioning kidney transplant (stage suffix T),
// else < 120 mmHg. Children and patients on dialysis have no systolic
// office target in that guideline: the alert is reported as not judged.
func (a *assessor) bpAlert() {
	const path = "alerts." + AlertBPAboveTarget
	o, ok := a.current(units.SystolicBP)
	if !ok {
		a.miss(path, a.notCurrent(units.SystolicBP, "systolic blood pressure"))
		return
	}
	if age, known := a.tl.Patient.AgeAt(o.Time); known && age < 18 {
		a.miss(path, "children: the KDIGO 2021 blood pressure guideline (rec 5.1.1) targets 24-h mean arterial pressure at or below the 50th percentile for age, sex and height by ambulatory monitoring, which RenalWatch does not assess; the adult office target is not applied")
		return
	}
	if a.onDialysis != nil {
		a.miss(path, "on dialysis: the KDIGO 2021 blood pressure in CKD guideline covers patients not receiving dialysis; no target is applied")
		return
	}
	target, src, who := bpTargetCKD, srcBP, ""
	if a.out.Kidney.Stage.Suffix == "T" {
		target, src, who = bpTargetTransplant, srcBPTransplant, " for a kidney transplant recipient"
	}
	if o.Value.Value >= target {
		a.alert(AlertBPAboveTarget, Warning, "systolic BP "+labq(units.SystolicBP, o.Value, target)+importNotes(o)+" on "+date(o.Time)+" is not below the target of "+num(target)+" mmHg"+who+" (target applies to standardised office BP; check how it was measured)", src, o.Time)
	}
}
