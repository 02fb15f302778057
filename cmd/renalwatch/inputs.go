package main

import (
	"errors"
	"fmt"
	"strings"

	"renalwatch/egfr"
	"renalwatch/record"
	"renalwatch/units"
)

// of makes the flag hold analyte a: a missing or unknown unit is then
// reported with a's units only ("creatinine takes mg/dL, umol/L, mmol/L"),
// not every unit RenalWatch knows. It returns f, for fs.Var.
func (f *quantityFlag) of(a units.Analyte) *quantityFlag {
	f.an = a
	return f
}

// egfrFlag is an eGFR in mL/min/1.73 m2: a plain number (42) or the number
// with that unit (42mL/min/1.73m2, 42mL/min/{1.73_m2}). eGFR is the one
// quantity the command line takes without its unit, because it has only one
// (an eGFR is always indexed to 1.73 m2 of body surface area); any other
// unit, such as mL/min (a clearance, not indexed), is refused. The value is
// in v, as for numberFlag.
type egfrFlag struct{ numberFlag }

func (f *egfrFlag) Set(s string) error {
	t := strings.TrimSpace(s)
	if hint, ok := units.DecimalCommaHint(t); ok {
		return fmt.Errorf("%q: %s", s, hint)
	}
	if _, err := units.ParseNumber(t); err == nil || errors.Is(err, units.ErrOutOfRange) || errors.Is(err, units.ErrNotDecimal) || t == "" {
		return f.numberFlag.Set(s)
	}
	q, err := units.EGFR.Parse(t)
	if err != nil {
		return fmt.Errorf("%w (or a plain number such as 42, in mL/min/1.73m2)", err)
	}
	if q.Unit == units.MLPerMin {
		return fmt.Errorf("%q is in mL/min, a clearance not indexed to body surface area; an eGFR is in mL/min/1.73m2 (give 42 or 42mL/min/1.73m2)", s)
	}
	if q.Unit != units.MLPerMinBSA {
		return fmt.Errorf("%q: an eGFR is in mL/min/1.73m2 (give 42 or 42mL/min/1.73m2), not %s", s, q.Unit.Symbol())
	}
	f.v, f.set = q.Value, true
	return nil
}

// parseSex reads the administrative sex given to flag (such as "--sex") for
// an equation with sex-specific coefficients. The spellings are those of
// every other input, CSV and FHIR included (record.ParseSex: female, male,
// f, m, in any letter case). "other" and "unknown" are recorded values, but
// the equations were developed with female and male coefficients only, and
// RenalWatch never picks one: they are refused with that reason, and alt,
// when not empty, says what else to do.
func parseSex(flag, s, alt string) (egfr.Sex, error) {
	sex, ok := record.ParseSex(s)
	switch {
	case ok && sex == record.Female:
		return egfr.Female, nil
	case ok && sex == record.Male:
		return egfr.Male, nil
	case ok && strings.TrimSpace(s) != "":
		return egfr.SexNotGiven, badInputf("%s %s: the equations were developed with female and male coefficients only, and RenalWatch does not choose one; give the administrative sex as recorded, female or male%s", flag, sex, alt)
	}
	return egfr.SexNotGiven, badInputf("%s %q is not accepted; want female or male (f or m, any letter case)", flag, s)
}
