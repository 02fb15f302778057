package server

import (
	"math"
	"strconv"

	"renalwatch/units"
)

// unitDisplay is how a UCUM unit is shown to people. Units are looked up
// here, never derived by editing the UCUM string; a unit missing from the
// table is shown as its UCUM code.
var unitDisplay = map[units.Unit]string{
	units.MgPerDL: "mg/dL", units.GPerDL: "g/dL", units.GPerL: "g/L", units.MgPerL: "mg/L",
	units.UmolPerL: "µmol/L", units.MmolPerL: "mmol/L", units.NmolPerL: "nmol/L", units.MeqPerL: "mEq/L",
	units.MgPerG: "mg/g", units.GPerG: "g/g", units.MgPerMmol: "mg/mmol", units.GPerDay: "g/day",
	units.MgPerDay: "mg/day", units.Cm: "cm", units.M: "m", units.Kg: "kg", units.G: "g",
	units.MLPerMin: "mL/min", units.MLPerMinBSA: "mL/min/1.73 m²", units.MmHg: "mmHg",
	units.PerHPF: "/HPF", units.IUPerML: "IU/mL", units.Percent: "%", units.Year: "years",
	units.Thousand9PerL: "×10⁹/L",
}

// showUnit returns the display form of u.
func showUnit(u units.Unit) string {
	if s, ok := unitDisplay[u]; ok {
		return s
	}
	return string(u)
}

// num formats a value for people: up to 3 significant digits, no
// exponent for the magnitudes labs report. JSON keeps full precision.
func num(v float64) string {
	if a := math.Abs(v); a >= 100 {
		return strconv.FormatFloat(math.Round(v), 'f', -1, 64)
	} else if a < 0.001 && a != 0 {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return strconv.FormatFloat(v, 'g', 3, 64)
}

// siUnit is the SI unit shown by the units switch for analytes whose
// conventional canonical unit differs (creatinine mg/dL → µmol/L, …);
// analytes not listed are shown in their canonical unit in both modes.
var siUnit = map[units.Analyte]units.Unit{
	units.Creatinine: units.UmolPerL, units.Hemoglobin: units.GPerL, units.Albumin: units.GPerL,
	units.Calcium: units.MmolPerL, units.Phosphate: units.MmolPerL, units.ACR: units.MgPerMmol, units.PCR: units.MgPerMmol,
}
