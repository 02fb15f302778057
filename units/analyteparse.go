package units

import (
	"errors"
	"strings"
)

// Parse reads a quantity as the package's Parse does, for a field that
// holds analyte a. When the unit is missing or unknown, the error lists the
// units a is accepted in ("creatinine takes mg/dL, umol/L, mmol/L"), not
// every unit RenalWatch knows. It does not check that the unit fits a or
// that the value is plausible: Normalize does.
func (a Analyte) Parse(s string) (Quantity, error) {
	q, err := Parse(s)
	var pe *ParseError
	if errors.As(err, &pe) && (pe.Err == ErrNoUnit || pe.Err == ErrUnknownUnit) {
		if _, ok := a.spec(); ok {
			hint := a.String() + " takes " + a.UnitList()
			if pe.Err == ErrNoUnit {
				hint = "write the unit in the same token; " + hint
			}
			pe.Hint = hint
		}
	}
	return q, err
}

// UnitList names the units a is accepted in, as people write them, for
// messages and help: "mg/dL, umol/L, mmol/L"; height adds "5ft7in".
func (a Analyte) UnitList() string {
	s := joinUnits(a.Units())
	if a == Height {
		s += ", 5ft7in"
	}
	return strings.TrimSpace(s)
}
