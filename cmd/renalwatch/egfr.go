package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"renalwatch/ckd"
	"renalwatch/egfr"
	"renalwatch/units"
)

const egfrSynopsis = "egfr [--creatinine Q] [--cystatin Q] --age YEARS [--sex female|male] [--height Q] [--weight Q] [--black] [--equation NAME] [--units conventional|si] [--json]\n       renalwatch egfr --in TABLE [--out FILE] [--equation NAME|all]"

const egfrExample = `  $ renalwatch egfr --creatinine 1.2mg/dL --age 54 --sex female
  eGFR 54 mL/min/1.73 m², KDIGO category G3a
  Equation: ckd-epi-2021, CKD-EPI 2021 creatinine (race-free)
  Source:   Inker LA et al. N Engl J Med 2021;385:1737-49, doi:10.1056/NEJMoa2102953
  Inputs:   creatinine 1.2 mg/dL, age 54 years, sex female

  renalwatch egfr --creatinine 106umol/L --cystatin 1.1mg/L --age 54 --sex female --equation ckd-epi-2021-cys --json
  renalwatch egfr --creatinine 0.6mg/dL --height 140cm --age 10 --sex male --equation ckid-u25

Each equation requires exactly the inputs it uses. Sex is the administrative sex as recorded: the
equations were developed with sex-specific coefficients (schwartz and ekfc-cys do not use it).
--black exists only to reproduce historical values of the legacy equations (ckd-epi-2009, mdrd,
mdrd-186); current guidelines (KDIGO 2024, NKF-ASN 2021) use race-free equations. Categories are
assigned on the unrounded value; cockcroft-gault gives creatinine clearance in mL/min, which has no
KDIGO category ("category": null in JSON). Under 2 years there is no category either, as in the
report: KDIGO 2024 applies the GFR categories from 2 years of age ("category": null and
"category_not_applicable" says why).`

// egfrUnit is the unit string of the CLI contract for indexed eGFR.
const egfrUnit = "mL/min/1.73m2"

// egfrOutput is the JSON contract of "renalwatch egfr --json".
type egfrOutput struct {
	Equation string  `json:"equation"`
	EGFR     float64 `json:"egfr"`
	Unit     string  `json:"unit"`
	Category *string `json:"category"` // null for cockcroft-gault (mL/min, not a G category) and under 2 years
	// CategoryNotApplicable says why an indexed eGFR has no category: the
	// age is under 2 years (the report's g_not_applicable, in its words).
	CategoryNotApplicable string     `json:"category_not_applicable,omitempty"`
	Inputs                egfrInputs `json:"inputs"`
	Warnings              []string   `json:"warnings"`
}

// egfrInputs lists the inputs the equation used, in canonical units.
type egfrInputs struct {
	Creatinine *units.Quantity `json:"creatinine,omitempty"`
	CystatinC  *units.Quantity `json:"cystatin_c,omitempty"`
	Height     *units.Quantity `json:"height,omitempty"`
	Weight     *units.Quantity `json:"weight,omitempty"`
	Age        float64         `json:"age"`
	Sex        string          `json:"sex,omitempty"`
	Black      bool            `json:"black,omitempty"`
}

// runEGFR implements "renalwatch egfr".
func runEGFR(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("egfr", egfrSynopsis, egfrExample, stderr)
	var creat, cys, height, weight quantityFlag
	var age numberFlag
	fs.Var(creat.of(units.Creatinine), "creatinine", "serum creatinine `Q`, IDMS-traceable (1.2mg/dL, 106umol/L)")
	fs.Var(cys.of(units.CystatinC), "cystatin", "serum cystatin C `Q`, IFCC-calibrated (1.1mg/L)")
	fs.Var(&age, "age", "age in `YEARS` (required; above 0, at most 120)")
	sex := fs.String("sex", "", "administrative `SEX` as recorded: female or male, or f or m (the equations have sex-specific coefficients)")
	fs.Var(height.of(units.Height), "height", "height `Q` (140cm, 1.4m, 55in, 4ft7in), for ckid-u25, ckid-u25-avg and schwartz")
	fs.Var(weight.of(units.Weight), "weight", "weight `Q` (70kg, 154lb), for cockcroft-gault")
	black := fs.Bool("black", false, "legacy race coefficient, only for ckd-epi-2009, mdrd and mdrd-186 (historical values)")
	name := fs.String("equation", "ckd-epi-2021", "equation `NAME`: "+strings.Join(egfr.Names(), ", ")+"; without it, ckd-epi-2021 from 18 years (ckd-epi-2021-cys with both --creatinine and --cystatin) and, below 18, ckid-u25 (with --height) or ckid-u25-cys (with --cystatin), as the report chooses; a child without those inputs is refused")
	asJSON := fs.Bool("json", false, "print JSON")
	var unitSys unitsFlag
	fs.Var(&unitSys, "units", unitsUsage)
	batch := addBatchFlags(fs, egfrBatchHelp)
	pos, err := parseFlags(fs, args, stdout)
	if err != nil {
		return err
	}
	explicit := false
	fs.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "equation" })
	if batch.on() || batch.out != "-" {
		return egfrBatch(ctx, fs, batch, *name, explicit, stdout, stderr)
	}
	if len(pos) > 0 {
		return badInputf("egfr takes no arguments, got %q; give quantities with their flags, for example --creatinine 1.2mg/dL", pos[0])
	}
	if *name == "all" {
		return badInputf("egfr: --equation all works only with a table (--in FILE), one column per equation; for one patient give one of: %s", strings.Join(egfr.Names(), ", "))
	}
	if _, ok := egfr.Lookup(*name); !ok {
		return badInputf("egfr: --equation %q is not known; known equations: %s", *name, strings.Join(egfr.Names(), ", "))
	}
	if !age.set {
		return badInputf("egfr: --age YEARS is required (for example --age 54)")
	}
	in := egfr.Input{Age: age.v, Black: *black}
	if *sex != "" {
		if in.Sex, err = parseSex("--sex", *sex, ", or leave --sex out for an equation that does not use it (schwartz, ekfc-cys)"); err != nil {
			return badInputf("egfr: %w", err)
		}
	}
	for _, q := range []struct {
		f       *quantityFlag
		name    string
		analyte units.Analyte
		dst     *units.Quantity
	}{
		{&creat, "creatinine", units.Creatinine, &in.Creatinine},
		{&cys, "cystatin", units.CystatinC, &in.CystatinC},
		{&height, "height", units.Height, &in.Height},
		{&weight, "weight", units.Weight, &in.Weight},
	} {
		if !q.f.set {
			continue
		}
		if *q.dst, err = q.f.normalized(q.name, q.analyte); err != nil {
			return badInputf("egfr: %w", err)
		}
	}
	chosen := ""
	if !explicit {
		if *name, chosen, err = defaultEquation(in); err != nil {
			return err
		}
	}
	eq, _ := egfr.Lookup(*name)
	res, err := eq.Compute(in)
	if err != nil {
		var ie *egfr.InputError
		if errors.As(err, &ie) {
			return badInputf("egfr: --%s %s", ie.Field, ie.Reason)
		}
		if errors.Is(err, units.ErrImplausible) || errors.Is(err, units.ErrIncompatible) {
			return badInputf("egfr: %w", err)
		}
		return err
	}
	out, err := egfrJSON(res)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(stdout, out)
	}
	given := map[string]quantityFlag{"creatinine": creat, "cystatin_c": cys, "height": height, "weight": weight}
	return writeEGFRText(stdout, res, out, given, unitSys.system(), chosen)
}

// egfrJSON builds the JSON contract from a result. The category is assigned
// on the unrounded value; cockcroft-gault has none.
func egfrJSON(res egfr.Result) (egfrOutput, error) {
	out := egfrOutput{
		Equation: res.Equation.Name,
		EGFR:     res.Value,
		Unit:     string(res.Unit),
		Inputs:   egfrInputs{Age: res.Inputs.Age, Black: res.Inputs.Black},
		Warnings: res.Warnings,
	}
	if out.Warnings == nil {
		out.Warnings = []string{}
	}
	if res.Unit == units.MLPerMinBSA {
		out.Unit = egfrUnit
		if why := gNotApplicable(res.Inputs.Age); why != "" {
			out.CategoryNotApplicable = why
			return egfrInputsJSON(out, res), nil
		}
		g, err := ckd.GCategory(res.Value)
		if err != nil {
			return egfrOutput{}, err
		}
		s := g.String()
		out.Category = &s
	}
	return egfrInputsJSON(out, res), nil
}

// egfrInputsJSON fills out.Inputs with the inputs res used.
func egfrInputsJSON(out egfrOutput, res egfr.Result) egfrOutput {
	opt := func(q units.Quantity) *units.Quantity {
		if q.IsZero() {
			return nil
		}
		return &q
	}
	out.Inputs.Creatinine = opt(res.Inputs.Creatinine)
	out.Inputs.CystatinC = opt(res.Inputs.CystatinC)
	out.Inputs.Height = opt(res.Inputs.Height)
	out.Inputs.Weight = opt(res.Inputs.Weight)
	if res.Inputs.Sex != egfr.SexNotGiven {
		out.Inputs.Sex = res.Inputs.Sex.String()
	}
	return out
}

// writeEGFRText prints the human summary: the value rounded to an integer as
// clinical reports do, the category of the unrounded value, the equation and
// its source, the inputs (echoed in the unit given, or in the unit system
// u of --units) and the warnings.
func writeEGFRText(w io.Writer, res egfr.Result, out egfrOutput, given map[string]quantityFlag, u unitSystem, chosen string) error {
	var b strings.Builder
	// An age outside the equation's validated range is said on the
	// headline itself, not only in a warning underneath.
	caveat := ""
	if c := ageCaveat(res.Equation, res.Inputs.Age); c != "" {
		caveat = " (" + c + ")"
	}
	switch {
	case out.CategoryNotApplicable != "":
		fmt.Fprintf(&b, "eGFR %s, no KDIGO G category%s, %s\n", egfrText(res.Value, units.MLPerMinBSA.Display()), caveat, out.CategoryNotApplicable)
	case out.Category == nil:
		fmt.Fprintf(&b, "Creatinine clearance %s mL/min (not indexed to 1.73 m²; no KDIGO G category)%s\n", roundReport(res.Value), caveat)
	default:
		fmt.Fprintf(&b, "eGFR %s, KDIGO category %s%s\n", egfrText(res.Value, units.MLPerMinBSA.Display()), *out.Category, caveat)
	}
	fmt.Fprintf(&b, "Equation: %s, %s\n", res.Equation.Name, res.Equation.Title)
	if chosen != "" {
		fmt.Fprintf(&b, "Chosen:   %s\n", chosen)
	}
	fmt.Fprintf(&b, "Source:   %s\n", res.Equation.Source)
	var in []string
	// Each input in the unit it was given (or of --units), then the
	// value the equation used when that is in another unit.
	addQ := func(label string, q *units.Quantity, key string) {
		if q == nil {
			return
		}
		an, _ := units.ParseAnalyte(key)
		g := given[key]
		if !g.set {
			g.q = *q
		}
		in = append(in, label+" "+u.echo(an, g.q, *q))
	}
	addQ("creatinine", out.Inputs.Creatinine, "creatinine")
	addQ("cystatin C", out.Inputs.CystatinC, "cystatin_c")
	addQ("height", out.Inputs.Height, "height")
	addQ("weight", out.Inputs.Weight, "weight")
	in = append(in, "age "+ageYearsText(out.Inputs.Age))
	if out.Inputs.Sex != "" {
		in = append(in, "sex "+out.Inputs.Sex)
	}
	if out.Inputs.Black {
		in = append(in, "race coefficient (legacy)")
	}
	fmt.Fprintf(&b, "Inputs:   %s\n", strings.Join(in, ", "))
	for _, warn := range res.Warnings {
		fmt.Fprintf(&b, "Warning:  %s\n", warn)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
