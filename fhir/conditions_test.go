package fhir_test

import (
	"testing"

	"renalwatch/record"
)

// TestDiabetesAndHypertensionRead (issue 7 item 10): diabetes and
// hypertension diagnoses are read, not "code not read": SNOMED CT 44054006
// (Diabetes mellitus type 2) and 73211009 (Diabetes mellitus), 38341003
// (Hypertensive disorder) and 59621000 (Essential hypertension), ICD-10-CM
// E11.9 and I10; prediabetes (15777000) is not diabetes.
func TestDiabetesAndHypertensionRead(t *testing.T) {
	cond := func(id, system, code string) string {
		return `{"resourceType":"Condition","id":"` + id + `","subject":{"reference":"Patient/p"},"code":{"coding":[{"system":"` + system + `","code":"` + code + `"}]},"onsetDateTime":"2010-01-01"}` + "\n"
	}
	const sct, icd = "http://snomed.info/sct", "http://hl7.org/fhir/sid/icd-10-cm"
	nd := `{"resourceType":"Patient","id":"p","gender":"female","birthDate":"1960-01-01"}` + "\n" +
		cond("dm2", sct, "44054006") + cond("dm", sct, "73211009") + cond("htn", sct, "38341003") + cond("ehtn", sct, "59621000") +
		cond("e11", icd, "E11.9") + cond("i10", icd, "I10") + cond("prediabetes", sct, "15777000")
	res := readString(t, nd)
	got := map[string]record.ConditionKind{}
	for _, c := range res.Batch.Conditions {
		got[c.ID] = c.Kind
	}
	want := map[string]record.ConditionKind{"Condition/dm2": record.Diabetes, "Condition/dm": record.Diabetes, "Condition/htn": record.Hypertension,
		"Condition/ehtn": record.Hypertension, "Condition/e11": record.Diabetes, "Condition/i10": record.Hypertension}
	for id, k := range want {
		if got[id] != k {
			t.Errorf("%s read as %v, want %v", id, got[id], k)
		}
	}
	if _, ok := got["Condition/prediabetes"]; ok {
		t.Error("prediabetes was read as a condition")
	}
}
