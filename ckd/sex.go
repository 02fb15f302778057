package ckd

import (
	"fmt"

	"renalwatch/egfr"
)

// Sex is administrative sex as recorded, the one type shared by the eGFR
// equations, the Sumida 2020 estimate and the KFRE (Tangri 2011), all of which
// have sex-specific coefficients. The zero value means "not given" and is
// rejected by every equation.
type Sex = egfr.Sex

// Sexes the equations distinguish.
const (
	Female = egfr.Female
	Male   = egfr.Male
)

// ParseSex reads "female" or "male"; anything else is an *InputError.
func ParseSex(s string) (Sex, error) {
	sex, err := egfr.ParseSex(s)
	if err != nil {
		return 0, &InputError{Field: "sex", Value: fmt.Sprintf("%q", s), Want: "female or male"}
	}
	return sex, nil
}
