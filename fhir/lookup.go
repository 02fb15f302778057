package fhir

import "renalwatch/record"

// TherapyByName identifies a drug written by name, generic or brand
// ("mycophenolate mofetil", "CellCept", "prednisone 5 mg"), with the
// vocabulary the FHIR reader matches on a medication's display and text:
// it returns the therapy class and the ingredient name. A glucocorticoid
// whose name gives a local route (cream, inhaled, …) is not matched:
// it is not systemic immunosuppression. The CSV reader shares it, so that
// one table names drugs for every input.
func TherapyByName(name string) (class record.TherapyClass, ingredient string, ok bool) {
	d, ok := textTherapy(name)
	return d.class, d.name, ok
}

// ConditionBySNOMED maps a SNOMED CT code to the condition the FHIR reader
// maps it to, with the CKD stage the code carries ("" when none).
func ConditionBySNOMED(code string) (kind record.ConditionKind, stage string, ok bool) {
	c, ok := snomedConditions[code]
	return c.kind, c.stage, ok
}

// ReplacementBySNOMED maps a SNOMED CT procedure code to the dialysis or
// transplant kind the FHIR reader maps it to.
func ReplacementBySNOMED(code string) (record.ReplacementKind, bool) {
	k, ok := snomedProcedures[code]
	return k, ok
}
