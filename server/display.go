package server

import (
	"renalwatch/units"
)

// Units are shown by units.Unit.Display, the one table of display
// spellings, and numbers by the rounding policy of internal/textfmt (the
// text report's): never by editing a UCUM string or by a policy of the
// server's own.

// siUnit is the SI unit shown by the units switch for analytes whose
// conventional canonical unit differs (creatinine mg/dL → µmol/L, …);
// analytes not listed are shown in their canonical unit in both modes.
var siUnit = map[units.Analyte]units.Unit{
	units.Creatinine: units.UmolPerL, units.Hemoglobin: units.GPerL, units.Albumin: units.GPerL,
	units.Calcium: units.MmolPerL, units.Phosphate: units.MmolPerL, units.ACR: units.MgPerMmol, units.PCR: units.MgPerMmol,
}
