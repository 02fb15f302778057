package textfmt

import (
	"math"
	"strconv"
	"strings"

	"renalwatch/units"
)

// labDecimals is the one table of display precision for measured values:
// the decimals a clinical laboratory reports each analyte with, by the
// unit shown. A laboratory reports a value to the precision its assay
// resolves; more digits than the assay's analytical precision mislead (an
// imported creatinine of 2.68112 mg/dL claims a precision of 0.00001 mg/dL
// that no assay has; a blood pressure of 191.108 mmHg, 0.001 mmHg). The
// decimals are those of routine laboratory reports and of the guideline
// thresholds quoted against them (KDIGO 2012 CKD: creatinine 0.01 mg/dL,
// whole µmol/L; KDIGO 2024 CKD: ACR whole mg/g, 0.1 mg/mmol; KDIGO 2012
// anaemia: Hb 0.1 g/dL; KDIGO 2021 BP: whole mmHg). A unit not listed for
// its analyte falls back to Measured (6 significant digits).
var labDecimals = map[units.Analyte]map[units.Unit]int{
	units.SystolicBP:  {units.MmHg: 0},
	units.DiastolicBP: {units.MmHg: 0},
	units.Creatinine:  {units.MgPerDL: 2, units.UmolPerL: 0, units.MmolPerL: 2},
	units.CystatinC:   {units.MgPerL: 2},
	units.Hemoglobin:  {units.GPerDL: 1, units.GPerL: 0},
	units.Potassium:   {units.MmolPerL: 1, units.MeqPerL: 1},
	units.Bicarbonate: {units.MmolPerL: 1, units.MeqPerL: 1},
	units.Albumin:     {units.GPerDL: 1, units.GPerL: 0},
	units.ACR:         {units.MgPerG: 0, units.MgPerMmol: 1, units.GPerG: 2},
	units.PCR:         {units.MgPerG: 0, units.MgPerMmol: 1, units.GPerG: 2},
	units.UrineRBC:    {units.PerHPF: 0},
	units.UrineWBC:    {units.PerHPF: 0},
	units.C3:          {units.MgPerDL: 0, units.GPerL: 2},
	units.C4:          {units.MgPerDL: 0, units.GPerL: 2},
	units.AntiDsDNA:   {units.IUPerML: 0},
}

// labPrecision is the number of decimals of analyte an in unit u
// (labDecimals), and whether the table lists it.
func labPrecision(an units.Analyte, u units.Unit) (int, bool) {
	d, ok := labDecimals[an][u]
	return d, ok
}

// Lab formats a measured value v of analyte an in unit u at the
// analyte's laboratory reporting precision (labDecimals), keeping its
// trailing zeros as a laboratory prints them ("1.10", "13.0"). A value
// that is not zero never reads 0: it keeps one significant digit (an ACR
// of 0.4 mg/g reads "0.4"). A unit the table does not list gets Measured.
func Lab(an units.Analyte, v float64, u units.Unit) string {
	d, ok := labPrecision(an, u)
	if !ok || math.IsNaN(v) || math.IsInf(v, 0) {
		return Measured(v)
	}
	s := strconv.FormatFloat(v, 'f', d, 64)
	if r, _ := strconv.ParseFloat(s, 64); r == 0 {
		if v == 0 {
			return strconv.FormatFloat(0, 'f', d, 64)
		}
		return Human(v, 1)
	}
	return s
}

// LabQ is Lab with the unit in its display spelling: "2.68 mg/dL".
func LabQ(an units.Analyte, q units.Quantity) string {
	return Lab(an, q.Value, q.Unit) + " " + q.Unit.Display()
}

// ShownChange is the change from a previous to a latest value as a table
// shows them (latest − previous), to the decimals they are shown with, so
// a measured value's change has its precision (Lab): "+0.27" after "2.41"
// and "2.68" mg/dL; "+30/-3" mmHg. Its sign is explicit; "0" stays "0"
// (never "-0"). It is the difference of the numbers shown, so the row
// adds up; the unrounded change is in the JSON. A number shown with a
// suffix ("60 (59.71 unrounded)") counts by its first number.
func ShownChange(latest, previous string) string {
	first := func(s string) (float64, int) {
		s, _, _ = strings.Cut(s, " ")
		v, _ := strconv.ParseFloat(s, 64)
		return v, decimals(s)
	}
	l, dl := first(latest)
	p, dp := first(previous)
	d := max(dl, dp)
	scale := math.Pow(10, float64(d))
	r := math.Round((l-p)*scale) / scale
	if r == 0 {
		return "0"
	}
	return Signed(strconv.FormatFloat(r, 'f', d, 64))
}

// Signed puts a "+" before a positive number; "0" stays "0".
func Signed(s string) string {
	if s == "0" || strings.HasPrefix(s, "-") {
		return s
	}
	return "+" + s
}

// decimals is the number of digits after the point in a formatted number.
func decimals(s string) int {
	if i := strings.IndexByte(s, '.'); i >= 0 {
		return len(s) - i - 1
	}
	return 0
}
