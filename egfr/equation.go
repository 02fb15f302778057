package egfr

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"renalwatch/units"
)

// Equation describes one eGFR equation: its stable name, its source, the
// population it was developed and validated in, and the inputs it needs.
type Equation struct {
	Name       string     // stable name, such as "ckd-epi-2021"
	Title      string     // what it is, such as "CKD-EPI 2021 creatinine (race-free)"
	Source     string     // the paper, with its doi where known
	Population string     // where it was developed and validated
	Needs      Fields     // inputs required besides age; any other input is rejected (sex: noted)
	Unit       units.Unit // units.MLPerMinBSA, or units.MLPerMin for cockcroft-gault
	Legacy     bool       // superseded equation that accepts the historical race coefficient
	// MinAge and MaxAge bound the validated ages in years, [MinAge, MaxAge);
	// MaxAge 0 means no upper bound. Outside them Compute warns.
	MinAge, MaxAge float64

	youngerAlt, olderAlt string // equations to suggest below MinAge / at or above MaxAge
	compute              func(c canon) float64
}

// canon holds validated inputs in canonical units: creatinine mg/dL,
// cystatin C mg/L, height cm, weight kg, age years.
type canon struct {
	scr, cys, height, weight, age float64
	sex                           Sex
	black                         bool
}

// adult fills in what the adult equations share.
func adult(e Equation) Equation {
	e.Population = "adults (18 years and over)"
	e.MinAge = 18
	// Name a paediatric alternative that uses the same markers.
	switch cr, cys := e.Needs&FieldCreatinine != 0, e.Needs&FieldCystatinC != 0; {
	case cr && cys:
		e.youngerAlt = "ckid-u25-avg (1-25 years)"
	case cys:
		e.youngerAlt = "ckid-u25-cys (1-25 years) or ekfc-cys (from 2 years)"
	default:
		e.youngerAlt = "ckid-u25 (1-25 years) or schwartz (1-17 years)"
	}
	if e.Unit == "" {
		e.Unit = units.MLPerMinBSA
	}
	return e
}

// Names lists the equation names in the order the CLI shows them.
func Names() []string {
	return []string{
		"ckd-epi-2021", "ckd-epi-2021-cys", "ckd-epi-2012-cys", "ckd-epi-2009", "mdrd", "mdrd-186",
		"ekfc", "ekfc-cys", "ckid-u25", "ckid-u25-cys", "ckid-u25-avg", "schwartz", "cockcroft-gault",
	}
}

// Lookup returns the equation with the given name.
func Lookup(name string) (Equation, bool) {
	var e Equation
	switch name {
	case "ckd-epi-2021":
		e = ckdEPI2021Equation()
	case "ckd-epi-2021-cys":
		e = ckdEPI2021CysEquation()
	case "ckd-epi-2012-cys":
		e = ckdEPI2012CysEquation()
	case "ckd-epi-2009":
		e = ckdEPI2009Equation()
	case "mdrd":
		e = mdrdEquation()
	case "mdrd-186":
		e = mdrd186Equation()
	case "ekfc":
		e = ekfcEquation()
	case "ekfc-cys":
		e = ekfcCysEquation()
	case "ckid-u25":
		e = ckidU25CrEquation()
	case "ckid-u25-cys":
		e = ckidU25CysEquation()
	case "ckid-u25-avg":
		e = ckidU25AvgEquation()
	case "schwartz":
		e = schwartzEquation()
	case "cockcroft-gault":
		e = cockcroftGaultEquation()
	default:
		return Equation{}, false
	}
	return e, true
}

// Equations returns every equation, in the order of Names.
func Equations() []Equation {
	names := Names()
	out := make([]Equation, len(names))
	for i, n := range names {
		out[i], _ = Lookup(n)
	}
	return out
}

// Errors that Compute's errors unwrap to (besides the units package's errors
// for quantities in a wrong unit or outside their plausible range).
var (
	// ErrUnknownEquation: no equation has that name.
	ErrUnknownEquation = errors.New("unknown equation")
	// ErrMissing: the equation needs an input that was not given.
	ErrMissing = errors.New("missing input")
	// ErrNotUsed: an input was given that the equation cannot use.
	ErrNotUsed = errors.New("input not used by the equation")
	// ErrOutOfRange: an input is outside the accepted range.
	ErrOutOfRange = errors.New("input out of range")
)

// UnknownEquationError reports an equation name that is not known.
type UnknownEquationError struct {
	Name string
}

func (e *UnknownEquationError) Error() string {
	return fmt.Sprintf("unknown equation %q; known equations: %s", e.Name, strings.Join(Names(), ", "))
}

func (e *UnknownEquationError) Unwrap() error { return ErrUnknownEquation }

// InputError reports an input that is missing, not used by the equation, or
// out of range. Field is the input's name, which is also the CLI flag's name
// ("creatinine", "cystatin", "height", "weight", "sex", "age", "black"), and
// Reason completes the sentence that starts with it.
type InputError struct {
	Equation string // the equation's name
	Field    string
	Reason   string
	Err      error // ErrMissing, ErrNotUsed or ErrOutOfRange
}

func (e *InputError) Error() string { return "egfr: " + e.Field + " " + e.Reason }

func (e *InputError) Unwrap() error { return e.Err }

// Result is one eGFR estimate with what produced it.
type Result struct {
	Equation Equation
	// Value is the unrounded estimate in Unit. Classify it unrounded (ckd.GCategory)
	// and round only for display.
	Value    float64
	Unit     units.Unit // units.MLPerMinBSA, or units.MLPerMin for cockcroft-gault
	Inputs   Input      // the inputs used, in canonical units; inputs not used are zero
	Warnings []string   // caveats a reader must see with the number
}

// Compute looks up the named equation and computes it; see Equation.Compute.
func Compute(name string, in Input) (Result, error) {
	eq, ok := Lookup(name)
	if !ok {
		return Result{}, &UnknownEquationError{Name: name}
	}
	return eq.Compute(in)
}

// Compute validates in and computes the equation. It requires age (above 0,
// at most 120 years) and exactly the inputs in e.Needs: a missing one is an
// ErrMissing error, and a creatinine, cystatin C, height or weight that the
// equation cannot use is an ErrNotUsed error. A sex given to a sex-free
// equation is accepted and noted in the warnings. Black is accepted only by
// the legacy equations (ckd-epi-2009, mdrd, mdrd-186), and always warns.
// Quantities are checked and converted with units.Analyte.Normalize, so a
// wrong unit or an implausible value is a units error naming the field.
func (e Equation) Compute(in Input) (Result, error) {
	v, used, warn, err := e.Estimate(&in)
	if err != nil {
		return Result{}, err
	}
	return Result{Equation: e, Value: v, Unit: e.Unit, Inputs: used, Warnings: warn}, nil
}

// Estimate is Compute without the Result: the estimate, the inputs used
// and the warnings, by the same code. It reads e and in in place, for a
// caller that computes many estimates with one equation (an assessment
// computes one per creatinine); in is not modified.
func (e *Equation) Estimate(in *Input) (v float64, used Input, warn []string, err error) {
	if e.compute == nil {
		return 0, Input{}, nil, &UnknownEquationError{Name: e.Name}
	}
	var c canon

	switch {
	case math.IsNaN(in.Age):
		return 0, Input{}, nil, e.inputErr("age", ErrOutOfRange, "is not a number; give the age in years, above 0 and at most 120")
	case in.Age <= 0 || in.Age > 120:
		return 0, Input{}, nil, e.inputErr("age", ErrOutOfRange, fmt.Sprintf("%s is out of range; accepted: above 0 and at most 120 years", strconv.FormatFloat(in.Age, 'g', -1, 64)))
	}
	c.age, used.Age = in.Age, in.Age

	if used.Creatinine, err = e.quantity(FieldCreatinine, units.Creatinine, in.Creatinine, "serum creatinine, for example 1.2mg/dL or 106umol/L"); err != nil {
		return 0, Input{}, nil, err
	}
	// An input neither given nor needed is the zero Quantity (quantity's
	// last case): most estimates have three, not checked by a call each.
	if !in.CystatinC.IsZero() || e.Needs.Has(FieldCystatinC) {
		if used.CystatinC, err = e.quantity(FieldCystatinC, units.CystatinC, in.CystatinC, "serum cystatin C (IFCC-calibrated), for example 0.9mg/L"); err != nil {
			return 0, Input{}, nil, err
		}
	}
	if !in.Height.IsZero() || e.Needs.Has(FieldHeight) {
		if used.Height, err = e.quantity(FieldHeight, units.Height, in.Height, "height, for example 140cm or 1.4m"); err != nil {
			return 0, Input{}, nil, err
		}
	}
	if !in.Weight.IsZero() || e.Needs.Has(FieldWeight) {
		if used.Weight, err = e.quantity(FieldWeight, units.Weight, in.Weight, "weight, for example 70kg"); err != nil {
			return 0, Input{}, nil, err
		}
	}
	c.scr, c.cys, c.height, c.weight = used.Creatinine.Value, used.CystatinC.Value, used.Height.Value, used.Weight.Value

	switch in.Sex {
	case Female, Male:
		if e.Needs.Has(FieldSex) {
			c.sex, used.Sex = in.Sex, in.Sex
		} else {
			warn = append(warn, fmt.Sprintf("%s does not use sex; the sex given (%s) was ignored", e.Name, in.Sex))
		}
	case SexNotGiven:
		if e.Needs.Has(FieldSex) {
			return 0, Input{}, nil, e.inputErr("sex", ErrMissing, fmt.Sprintf("is required by %s: it was developed with sex-specific coefficients; give the administrative sex as recorded, female or male", e.Name))
		}
	default:
		return 0, Input{}, nil, e.inputErr("sex", ErrOutOfRange, fmt.Sprintf("has the invalid value %d; accepted: female or male", int(in.Sex)))
	}

	if in.Black {
		if !e.Legacy {
			return 0, Input{}, nil, e.inputErr("black", ErrNotUsed, fmt.Sprintf("is not accepted by %s: the race coefficient exists only in the legacy equations ckd-epi-2009, mdrd and mdrd-186, to reproduce historical values; current guidelines (KDIGO 2024, NKF-ASN 2021) use race-free equations", e.Name))
		}
		c.black, used.Black = true, true
		warn = append(warn, fmt.Sprintf("race coefficient applied to reproduce historical %s values; current guidelines (KDIGO 2024, NKF-ASN 2021) use race-free equations such as ckd-epi-2021", e.Name))
	}

	if w := e.ageWarning(c.age); w != "" {
		warn = append(warn, w)
	}

	v = e.compute(c)
	if math.IsNaN(v) || math.IsInf(v, 0) || v <= 0 {
		return 0, Input{}, nil, fmt.Errorf("egfr: %s gave %v for valid inputs; this is a bug", e.Name, v)
	}
	warn = append(warn, e.notes(c, v)...)
	warn = append(warn, e.rangeWarnings(c, v)...)
	return v, used, warn, nil
}

// quantity checks one quantity input: an error if it is given but not used,
// or needed but not given; otherwise it is normalised to the analyte's
// canonical unit (the zero Quantity when not given).
func (e *Equation) quantity(f Fields, a units.Analyte, q units.Quantity, example string) (units.Quantity, error) {
	given := !q.IsZero()
	switch {
	case given && !e.Needs.Has(f):
		return units.Quantity{}, e.inputErr(f.name(), ErrNotUsed, fmt.Sprintf("is not used by %s (it uses %s); equations that use %s: %s",
			e.Name, e.uses(), f.name(), strings.Join(equationsUsing(f), ", ")))
	case !given && e.Needs.Has(f):
		return units.Quantity{}, e.inputErr(f.name(), ErrMissing, fmt.Sprintf("is required by %s: give %s", e.Name, example))
	case !given:
		return units.Quantity{}, nil
	}
	return a.Normalize(f.name(), q)
}

func (e *Equation) inputErr(field string, err error, reason string) *InputError {
	return &InputError{Equation: e.Name, Field: field, Err: err, Reason: reason}
}

// uses lists the inputs the equation uses, for error messages.
func (e *Equation) uses() string {
	s := e.Needs.String()
	if s == "" {
		return "age"
	}
	return s + " and age"
}

// equationsUsing lists the equations that need field f.
func equationsUsing(f Fields) []string {
	var out []string
	for _, eq := range Equations() {
		if eq.Needs.Has(f) {
			out = append(out, eq.Name)
		}
	}
	return out
}

// ageWarning says when age is outside the validated range.
func (e *Equation) ageWarning(age float64) string {
	a := func() string { return strconv.FormatFloat(age, 'g', -1, 64) }
	switch {
	case age < e.MinAge:
		w := fmt.Sprintf("%s is validated for %s; age %s is below that range", e.Name, e.Population, a())
		if e.youngerAlt != "" {
			w += "; use " + e.youngerAlt
		}
		return w
	case e.MaxAge > 0 && age >= e.MaxAge:
		w := fmt.Sprintf("%s is validated for %s; age %s is above that range", e.Name, e.Population, a())
		if e.olderAlt != "" {
			w += "; use " + e.olderAlt
		}
		return w
	}
	return ""
}

// notes returns the equation's own caveats for this estimate.
func (e *Equation) notes(c canon, v float64) []string {
	var w []string
	switch e.Name {
	case "ckd-epi-2009", "mdrd", "mdrd-186":
		w = append(w, e.Name+" is superseded by the race-free ckd-epi-2021 (NKF-ASN 2021, KDIGO 2024); use it only to reproduce historical values")
	}
	switch e.Name {
	case "mdrd", "mdrd-186":
		if v > 60 {
			w = append(w, "MDRD underestimates GFR above 60 mL/min/1.73m2 and was validated in people with CKD; laboratories report such values as \">60\" (NKDEP)")
		}
	}
	switch e.Name {
	case "mdrd-186":
		w = append(w, "mdrd-186 is for creatinine not traceable to IDMS; with IDMS-traceable creatinine (current assays) use mdrd (175)")
	case "ekfc-cys":
		if c.age < 18 {
			w = append(w, "ekfc-cys was developed in adults (Pottel 2023); its use in children rests on a later paediatric validation that keeps Q = 0.83 mg/L")
		}
	case "cockcroft-gault":
		w = append(w, "Cockcroft-Gault estimates creatinine clearance in mL/min, not GFR indexed to 1.73 m2: it has no KDIGO G category; it was developed before IDMS-standardised creatinine, with total body weight")
	}
	return w
}
