package main

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"renalwatch/assess"
	"renalwatch/egfr"
	"renalwatch/units"
)

// egfrFlagOf names the egfr flag of each input field.
var egfrFlagOf = map[egfr.Fields]string{
	egfr.FieldCreatinine: "--creatinine", egfr.FieldCystatinC: "--cystatin",
	egfr.FieldHeight: "--height", egfr.FieldWeight: "--weight", egfr.FieldSex: "--sex",
}

// givenFields returns the input fields set in in.
func givenFields(in egfr.Input) egfr.Fields {
	var f egfr.Fields
	for fld, set := range map[egfr.Fields]bool{
		egfr.FieldCreatinine: !in.Creatinine.IsZero(), egfr.FieldCystatinC: !in.CystatinC.IsZero(),
		egfr.FieldHeight: !in.Height.IsZero(), egfr.FieldWeight: !in.Weight.IsZero(),
		egfr.FieldSex: in.Sex != egfr.SexNotGiven,
	} {
		if set {
			f |= fld
		}
	}
	return f
}

// defaultEquation chooses the equation when --equation is not given, as the
// report does (assess.Config.CreatinineEquation on the completed years, then
// assess.Config.CombinedEquation with a cystatin C, or assess.CystatinFallback
// when there is no height): from 18 years ckd-epi-2021, or ckd-epi-2021-cys
// when both creatinine and cystatin C are given (KDIGO 2024 Recommendations
// 1.1.2.1 and 1.2.2.1); below 18 the child equation (ckid-u25) when its
// inputs are given, or ckid-u25-cys for a cystatin C without a height.
// Otherwise a child is refused: CKD-EPI 2021 is validated from 18 years
// (Inker LA et al. N Engl J Med 2021;385:1737-49), so its number would be a
// confident wrong one. chosen says why, for the text output, when the
// choice was not simply the adult creatinine equation; "" otherwise.
func defaultEquation(in egfr.Input) (name, chosen string, err error) {
	cfg := assess.DefaultConfig()
	if !(in.Age > 0) || in.Age > 120 {
		return cfg.AdultEquation, "", nil // Compute rejects the age
	}
	whole := int(math.Floor(in.Age))
	given := givenFields(in)
	name = cfg.CreatinineEquation(whole)
	if name == cfg.AdultEquation {
		if both := egfr.FieldCreatinine | egfr.FieldCystatinC; given&both == both {
			if cys := cfg.CombinedEquation(whole); cys != "" {
				return cys, combinedChoice, nil
			}
		}
		return name, "", nil
	}
	age := strconv.FormatFloat(in.Age, 'g', -1, 64)
	adult := cfg.AdultEquation + " (the default, validated from 18 years; Inker 2021)"
	if in.Age < 1 {
		return "", "", badInputf("egfr: --age %s is under 1 year: no equation RenalWatch has is validated below 1 year, and %s is not used below 18; %s; --equation NAME computes that equation with its warning", age, adult, childEquationList())
	}
	for _, n := range []string{name, assess.CystatinFallback(name)} {
		if e, ok := egfr.Lookup(n); ok && e.Needs == given {
			return n, childChoice, nil
		}
	}
	// An equation is chosen only when it uses exactly the inputs given
	// (egfr.Equation.Compute refuses a quantity it does not use), and the
	// refusal says what keeps each equation from them (trial 9 F-c: "which
	// needs --creatinine, --height, --sex (none not given)" when all three
	// were given, with a cystatin C the equation does not use).
	if fits := childFits(given, in.Age); len(fits) > 0 {
		// Trial-cli #13: not "fit no paediatric equation" when one (EKFC)
		// needs exactly what was given.
		e, _ := egfr.Lookup(name)
		return "", "", badInputf("egfr: --age %s is under 18 years: without --equation the equation chosen must use exactly the inputs given (%s), and the default child equation, %s, does not: %s; for exactly these inputs use --equation %s; %s is not used below 18",
			age, egfrFlagList(given), name, whyNot(e, given, in.Age), strings.Join(fits, " or --equation "), adult)
	}
	return "", "", badInputf("egfr: --age %s is under 18 years: without --equation the equation chosen must use exactly the inputs given (%s), and no paediatric equation does: %s; %s is not used below 18; --equation NAME computes a named equation with its warning",
		age, egfrFlagList(given), childMismatches(given, in.Age), adult)
}

// whyNot says what keeps equation e from the inputs given at age: the
// inputs it needs that were not given, those given that it does not use,
// and an age outside those it is validated for: "ckid-u25 needs --height
// (not given), does not use the --cystatin given".
func whyNot(e egfr.Equation, given egfr.Fields, age float64) string {
	var s []string
	if m := e.Needs &^ given; m != 0 {
		s = append(s, "needs "+egfrFlagList(m)+" (not given)")
	}
	if u := given &^ e.Needs; u != 0 {
		s = append(s, "does not use the "+egfrFlagList(u)+" given")
	}
	if c := ageCaveat(e, age); c != "" {
		s = append(s, strings.TrimPrefix(c, e.Name+" "))
	}
	return e.Name + " " + strings.Join(s, ", ")
}

// childMismatches is whyNot for each current paediatric equation (as
// childEquationList), joined with semicolons.
func childMismatches(given egfr.Fields, age float64) string {
	var s []string
	for _, e := range egfr.Equations() {
		if e.Legacy || e.MinAge >= 18 || e.Unit != units.MLPerMinBSA {
			continue
		}
		s = append(s, whyNot(e, given, age))
	}
	return strings.Join(s, "; ")
}

// The reasons the text output gives for an equation chosen without
// --equation ("Chosen:").
const (
	childChoice    = "by age (under 18 years), as the report chooses; --equation NAME overrides"
	combinedChoice = "both creatinine and cystatin C given: CKD-EPI 2021 creatinine-cystatin C, as the report chooses (KDIGO 2024 Recommendations 1.1.2.1 and 1.2.2.1: where cystatin C is measured, GFR is estimated from both markers); --equation NAME overrides"
)

// childFits names the current paediatric equations (as childEquationList)
// that need exactly the inputs given and are validated at age, with their
// ages: "ekfc (from 2 years)".
func childFits(given egfr.Fields, age float64) []string {
	var s []string
	for _, e := range egfr.Equations() {
		if e.Legacy || e.MinAge >= 18 || e.Unit != units.MLPerMinBSA || e.Needs != given || age < e.MinAge || e.MaxAge > 0 && age >= e.MaxAge {
			continue
		}
		ages := "from " + strconv.FormatFloat(e.MinAge, 'g', -1, 64)
		if e.MaxAge > 0 {
			ages = strconv.FormatFloat(e.MinAge, 'g', -1, 64) + "-" + strconv.FormatFloat(e.MaxAge-1, 'g', -1, 64)
		}
		s = append(s, fmt.Sprintf("%s (%s years)", e.Name, ages))
	}
	return s
}

// childEquationList names the current equations validated below 18 years
// with their ages and the flags each needs.
func childEquationList() string {
	var s []string
	for _, e := range egfr.Equations() {
		if e.Legacy || e.MinAge >= 18 || e.Unit != units.MLPerMinBSA {
			continue
		}
		ages := "from " + strconv.FormatFloat(e.MinAge, 'g', -1, 64)
		if e.MaxAge > 0 {
			ages = strconv.FormatFloat(e.MinAge, 'g', -1, 64) + "-" + strconv.FormatFloat(e.MaxAge-1, 'g', -1, 64)
		}
		s = append(s, fmt.Sprintf("%s (%s years) needs %s", e.Name, ages, egfrFlagList(e.Needs)))
	}
	return strings.Join(s, "; ")
}

// egfrFlagList lists the flags of fields, "none" for none.
func egfrFlagList(f egfr.Fields) string {
	var s []string
	for g := egfr.FieldCreatinine; g <= egfr.FieldSex; g <<= 1 {
		if f.Has(g) {
			s = append(s, egfrFlagOf[g])
		}
	}
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}

// ageCaveat says, for the headline, when age is outside the ages e was
// validated for ("ckd-epi-2021 is not validated below 18 years"); "" inside.
func ageCaveat(e egfr.Equation, age float64) string {
	switch {
	case age < e.MinAge:
		return e.Name + " is not validated below " + strconv.FormatFloat(e.MinAge, 'g', -1, 64) + " years"
	case e.MaxAge > 0 && age >= e.MaxAge:
		return e.Name + " is not validated from " + strconv.FormatFloat(e.MaxAge, 'g', -1, 64) + " years"
	}
	return ""
}

// childRow refuses a table row under 18 years when no --equation was given:
// the table's one result column is the default adult equation's, which is
// validated from 18 years (Inker 2021), so the child's row gets an error
// naming the paediatric equations instead of an adult number.
func childRow(ageCol string, age float64, given egfr.Fields) error {
	cfg := assess.DefaultConfig()
	if !(age > 0) || age > 120 || cfg.CreatinineEquation(int(math.Floor(age))) == cfg.AdultEquation {
		return nil
	}
	if fits := childFits(given, age); len(fits) > 0 {
		return fmt.Errorf("%s: %s is under 18 years; the default equation %s is validated from 18 years (Inker 2021), so no value is given; with this row's columns compute children's rows with --equation %s",
			ageCol, strconv.FormatFloat(age, 'g', -1, 64), cfg.AdultEquation, strings.Join(fits, " or --equation "))
	}
	return fmt.Errorf("%s: %s is under 18 years; the default equation %s is validated from 18 years (Inker 2021), so no value is given; compute children's rows with --equation: %s",
		ageCol, strconv.FormatFloat(age, 'g', -1, 64), cfg.AdultEquation, childEquationColumns())
}

// childEquationColumns names the paediatric equations with their ages and
// the table columns each needs.
func childEquationColumns() string {
	l := childEquationList()
	for _, r := range [][2]string{{"--creatinine", "creatinine"}, {"--cystatin", "cystatin_c"}, {"--height", "height"}, {"--sex", "sex"}} {
		l = strings.ReplaceAll(l, r[0], r[1])
	}
	return l
}
