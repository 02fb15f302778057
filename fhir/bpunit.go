package fhir

import "renalwatch/units"

// UnitFromLOINC starts the note on a blood pressure value stored without a
// unit in the source (issue 7 item 14); the import summary counts the
// items whose note starts with it.
const UnitFromLOINC = "unit from LOINC definition"

// loincDefinedUnit returns the unit a value of coding cd is defined in when
// the source gives none, and the note that says so. Only LOINC 8480-6
// (systolic) and 8462-4 (diastolic blood pressure) qualify: LOINC defines
// both as pressures with the example UCUM unit mm[Hg] (LOINC 8480-6,
// 8462-4: property Pres, scale Qn; docs/fhir.md), the FHIR R4 vital signs
// blood pressure profile fixes their valueQuantity code to mm[Hg], and a
// value in any other
// pressure unit (kPa, cm[H2O]) would fail the analyte's plausibility range
// (40-300 and 10-200 mm[Hg]). Synthea writes such components with a UCUM
// system and no unit or code. No other analyte ever gets a unit inferred:
// a creatinine, a ratio or a haemoglobin without a unit is rejected.
func loincDefinedUnit(a units.Analyte, cd coding) (units.Unit, string, bool) {
	if cd.System != systemLOINC {
		return "", "", false
	}
	switch {
	case cd.Code == "8480-6" && a == units.SystolicBP, cd.Code == "8462-4" && a == units.DiastolicBP:
		return units.MmHg, UnitFromLOINC + ": the source gave no unit; LOINC " + cd.Code + " is defined in mm[Hg]", true
	}
	return "", "", false
}
