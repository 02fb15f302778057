package textfmt

import (
	"renalwatch/egfr"
	"renalwatch/record"
)

// Names of things as people read them, shared by the text report and the
// dashboard: the JSON keeps the codes.

// EquationTitle is an eGFR equation as people name it: "CKD-EPI 2021
// creatinine (race-free)" for "ckd-epi-2021".
func EquationTitle(name string) string {
	if name == "reported" {
		return "laboratory-reported"
	}
	if e, ok := egfr.Lookup(name); ok {
		return e.Title
	}
	return name
}

// TherapyClass is a therapy class as the report writes it
// (record.TherapyClassWords).
func TherapyClass(c string) string { return record.TherapyClassWords(c) }

// TherapyClasses joins therapy classes as people name them
// ("glucocorticoid + mesenchymal stem cell infusion", not "msc_infusion"),
// for the report and the dashboard alike (record.JoinTherapyClassWords).
func TherapyClasses(cs []string) string { return record.JoinTherapyClassWords(cs) }

// labNames are the row names of the latest labs table and the serology
// line, by analyte name (latest_labs[].analyte).
var labNames = map[string]string{
	"creatinine": "Creatinine", "cystatin_c": "Cystatin C", "egfr": "eGFR", "acr": "ACR", "pcr": "UPCR",
	"urine_protein_24h": "Protein 24 h", "urine_rbc": "Urine RBC", "urine_wbc": "Urine WBC",
	"hemoglobin": "Haemoglobin", "potassium": "Potassium", "bicarbonate": "Bicarbonate", "albumin": "Albumin",
	"c3": "C3", "c4": "C4", "anti_dsdna": "Anti-dsDNA", "systolic_bp": "Systolic BP", "diastolic_bp": "Diastolic BP",
}

// LabName is a test's name by its analyte name ("pcr" is "UPCR").
func LabName(analyte string) string {
	if n, ok := labNames[analyte]; ok {
		return n
	}
	return analyte
}
