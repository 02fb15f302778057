package main

import (
	"fmt"
	"strings"

	"renalwatch/ckd"
	"renalwatch/internal/textfmt"
	"renalwatch/units"
)

// unitSystem is the --units choice of the text outputs: the unit a value is
// shown in. JSON is not affected: it keeps the unit of report (the unit
// the laboratory reported, which is also the unit thresholds are applied
// in) and never rounds.
type unitSystem string

// Unit systems of --units.
const (
	// unitsReported shows each value in the unit the laboratory reported
	// it in (report) or the unit it was given in (calculators).
	unitsReported     unitSystem = "reported"
	unitsConventional unitSystem = "conventional"
	unitsSI           unitSystem = "si"
)

// displayUnits is the unit each analyte is shown in under --units
// conventional and --units si: textfmt's one table, which the dashboard's
// units switch uses too.
var displayUnits = map[unitSystem]map[units.Analyte]units.Unit{
	unitsConventional: textfmt.ConventionalUnits,
	unitsSI:           textfmt.SIUnits,
}

// unitsFlag is the flag.Value of --units.
type unitsFlag struct{ s unitSystem }

func (f *unitsFlag) String() string {
	if f == nil || f.s == "" {
		return string(unitsReported)
	}
	return string(f.s)
}

func (f *unitsFlag) Set(v string) error {
	switch s := unitSystem(strings.ToLower(strings.TrimSpace(v))); s {
	case unitsReported, unitsConventional, unitsSI:
		f.s = s
		return nil
	}
	return fmt.Errorf("%q is not a unit system; use conventional (mg/dL, g/dL, mg/g), si (µmol/L, g/L, mg/mmol) or reported", v)
}

// system returns the chosen system, unitsReported when none was given.
func (f *unitsFlag) system() unitSystem {
	if f.s == "" {
		return unitsReported
	}
	return f.s
}

// show converts q, a value of analyte an, to the unit of system s (an
// exact conversion through units.Analyte.Convert); under unitsReported,
// or when the table names no unit or the conversion is not defined, q is
// returned as it is.
func (s unitSystem) show(an units.Analyte, q units.Quantity) units.Quantity {
	return textfmt.ShowIn(displayUnits[s], an, q)
}

// num formats q, a value of analyte an, in the unit of system s, without
// the unit, and returns that unit. A value shown as it was reported is
// shown at its laboratory reporting precision (textfmt.Lab: creatinine
// 2.68 mg/dL, blood pressure whole mmHg); a value converted to another unit
// for display gets 3 (converted): the conversion adds no precision, and
// 0.57 mg/dL reads 50.4 µmol/L, not 50.388.
func (s unitSystem) num(an units.Analyte, q units.Quantity) (string, units.Unit) {
	c := s.show(an, q)
	if c.Unit == q.Unit {
		return textfmt.Lab(an, c.Value, c.Unit), c.Unit
	}
	return converted(an, c.Value, c.Unit), c.Unit
}

// display is s as the shared report wording takes it (textfmt.Display).
func (s unitSystem) display() textfmt.Display { return textfmt.Display{Convert: s.show} }

// showQ is num with its unit: "50.4 µmol/L" (textfmt.Display.Q).
func (s unitSystem) showQ(an units.Analyte, q units.Quantity) string {
	return s.display().Q(an, q)
}

// echo formats a calculator input. Under unitsReported it is the value as
// given, in the unit given; under --units conventional or si it is
// converted to that system's unit (3 significant digits) with the value as
// given after it. used, when not zero, is the value the equation took (its
// canonical unit); it follows when its unit is neither the unit shown nor
// the unit given: "106 µmol/L (1.1991 mg/dL in the equation)".
func (s unitSystem) echo(an units.Analyte, given, used units.Quantity) string {
	shown, more := s.echoParts(an, given, used)
	if more != "" {
		shown += " (" + more + ")"
	}
	return shown
}

// echoParts is echo as the value shown and what follows it ("1.2 mg/dL
// as given"; empty when nothing does).
func (s unitSystem) echoParts(an units.Analyte, given, used units.Quantity) (shownText, more string) {
	shown := given
	shownText = measuredQ(given)
	var extra []string
	c := s.show(an, given)
	if (an == units.ACR || an == units.PCR) && c.Unit != given.Unit && textfmt.ShownRatio(an, given, "", ckd.A1, s.show).Unit == given.Unit {
		// KDIGO's albuminuria thresholds in mg/g and mg/mmol are paired,
		// not conversions (30 mg/g and 3 mg/mmol): 29 mg/g shown as
		// "3.3 mg/mmol" would read as A2 beside its A1 (trial 4 #4).
		extra = append(extra, "not shown as "+converted(an, c.Value, c.Unit)+" "+c.Unit.Display()+
			", another category by KDIGO's "+c.Unit.Display()+" thresholds")
		c = given
	}
	if c.Unit != given.Unit {
		shown = c
		shownText = converted(an, c.Value, c.Unit) + " " + c.Unit.Display()
		extra = append(extra, measuredQ(given)+" as given")
	}
	if !used.IsZero() && used.Unit != shown.Unit && used.Unit != given.Unit {
		extra = append(extra, measuredQ(used)+" in the equation")
	}
	return shownText, strings.Join(extra, "; ")
}

// unitsUsage is the --units help of the calculators.
const unitsUsage = "echo inputs in `SYSTEM`: conventional (mg/dL, g/dL, mg/g), si (µmol/L, g/L, mg/mmol) or reported (the unit given; default). JSON is not affected"
