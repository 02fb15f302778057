package textfmt

import "renalwatch/units"

// ConventionalUnits and SIUnits are the one table of the unit each analyte
// is shown in under a units choice: `renalwatch report --units
// conventional|si` and the dashboard's units switch use them both, so the
// two show the same value in the same unit (US conventional units; SI
// units as UK and European laboratories report them: creatinine µmol/L,
// haemoglobin and albumin g/L, complement g/L, ratios mg/mmol). An
// analyte absent from a table, or whose units are the same in both
// (potassium mmol/L, cystatin C mg/L, blood pressure mmHg), is shown as
// reported.
var (
	ConventionalUnits = map[units.Analyte]units.Unit{
		units.Creatinine: units.MgPerDL, units.ACR: units.MgPerG, units.PCR: units.GPerG,
		units.Hemoglobin: units.GPerDL, units.Albumin: units.GPerDL, units.C3: units.MgPerDL, units.C4: units.MgPerDL,
		units.Calcium: units.MgPerDL, units.Phosphate: units.MgPerDL, units.Potassium: units.MmolPerL, units.Bicarbonate: units.MmolPerL,
		units.UrineProtein24h: units.GPerDay, units.CystatinC: units.MgPerL,
	}
	SIUnits = map[units.Analyte]units.Unit{
		units.Creatinine: units.UmolPerL, units.ACR: units.MgPerMmol, units.PCR: units.MgPerMmol,
		units.Hemoglobin: units.GPerL, units.Albumin: units.GPerL, units.C3: units.GPerL, units.C4: units.GPerL,
		units.Calcium: units.MmolPerL, units.Phosphate: units.MmolPerL, units.Potassium: units.MmolPerL, units.Bicarbonate: units.MmolPerL,
		units.UrineProtein24h: units.GPerDay, units.CystatinC: units.MgPerL,
	}
)

// ShowIn converts q, a value of analyte an, to its unit in table (an exact
// conversion through units.Analyte.Convert); when the table names no unit
// for an, or the conversion is not defined, q is returned as it is.
func ShowIn(table map[units.Analyte]units.Unit, an units.Analyte, q units.Quantity) units.Quantity {
	u, ok := table[an]
	if !ok || u == q.Unit {
		return q
	}
	c, err := an.Convert(q, u)
	if err != nil {
		return q
	}
	return c
}
