package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"renalwatch/ckd"
	"renalwatch/kfre"
	"renalwatch/units"
)

const kfreExample = `  renalwatch kfre --age 72 --sex female --egfr 28 --acr 800mg/g
      4-variable KFRE, North American calibration: 2-year 10.0%, 5-year 28.0%
  renalwatch kfre --age 72 --sex female --egfr 28 --acr 90.5mg/mmol --region other \
      --calcium 2.45mmol/L --phosphate 1.48mmol/L --bicarbonate 22mmol/L --albumin 34g/L
      8-variable KFRE (all four labs), non-North American calibration
  renalwatch kfre --age 55 --sex male --egfr 45 --acr 120mg/g --diabetes --hypertension=false --json
      6-variable KFRE (lower confidence: borrowed baseline survival)

The 4-variable model is the default. The four labs (--calcium --phosphate
--bicarbonate --albumin, all of them) select the 8-variable model; --diabetes
and --hypertension (both answered, true or false) select the 6-variable model.
The two sets cannot be combined. eGFR is a plain number in mL/min/1.73m2;
the ACR is converted to mg/g before its logarithm and must be above zero.
The KFRE is validated in adults with eGFR below 60. JSON risks are
probabilities from 0 to 1 rounded to 4 decimal places.`

// kfreResult is the JSON of "renalwatch kfre": the contract's variables,
// region, risk_2y, risk_5y and warnings, plus additive fields.
type kfreResult struct {
	Variables   int           `json:"variables"`
	Region      kfre.Region   `json:"region"`
	Risk2y      float64       `json:"risk_2y"`
	Risk5y      float64       `json:"risk_5y"`
	Warnings    kfre.Warnings `json:"warnings"`
	Calibration string        `json:"calibration"`
	Inputs      kfre.Inputs   `json:"inputs"`
	Source      string        `json:"source"`
}

// runKFRE implements "renalwatch kfre".
func runKFRE(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("kfre", "kfre --age YEARS --sex female|male --egfr N --acr Q [--calcium Q --phosphate Q --bicarbonate Q --albumin Q] [--diabetes[=true|false] --hypertension[=true|false]] [--region north-america|other] [--json]\n       renalwatch kfre --in TABLE [--out FILE] [--region north-america|other]", kfreExample, stderr)
	var age, egfr numberFlag
	var acr, calcium, phosphate, bicarbonate, albumin quantityFlag
	var diabetes, hypertension optBool
	fs.Var(&age, "age", "age in `YEARS` (a plain number)")
	sex := fs.String("sex", "", "`female|male` (the equation's coefficients are sex-specific)")
	fs.Var(&egfr, "egfr", "eGFR `N` in mL/min/1.73m2, a plain number")
	fs.Var(&acr, "acr", "urine albumin-to-creatinine ratio `Q`: mg/g, mg/mmol or g/g (e.g. 800mg/g)")
	fs.Var(&calcium, "calcium", "total serum calcium `Q`: mg/dL, mmol/L or meq/L (8-variable model)")
	fs.Var(&phosphate, "phosphate", "serum phosphate `Q`: mg/dL or mmol/L (8-variable model)")
	fs.Var(&bicarbonate, "bicarbonate", "serum bicarbonate `Q`: mmol/L or meq/L (8-variable model)")
	fs.Var(&albumin, "albumin", "serum albumin `Q`: g/dL or g/L (8-variable model)")
	fs.Var(&diabetes, "diabetes", "diabetes, true or false (6-variable model; needs --hypertension too)")
	fs.Var(&hypertension, "hypertension", "hypertension, true or false (6-variable model; needs --diabetes too)")
	region := fs.String("region", "north-america", "calibration: `north-america|other`")
	asJSON := fs.Bool("json", false, "print JSON")
	batch := addBatchFlags(fs, kfreBatchHelp)
	pos, err := parseFlags(fs, args, stdout)
	if err != nil {
		return err
	}
	if batch.on() || batch.out != "-" {
		return kfreBatch(ctx, fs, batch, *region, stdout, stderr)
	}
	if len(pos) > 0 {
		return badInputf("kfre takes no positional arguments, got %q", pos[0])
	}

	var missing []string
	for _, f := range []struct {
		set  bool
		name string
	}{{age.set, "--age YEARS"}, {*sex != "", "--sex female|male"}, {egfr.set, "--egfr N"}, {acr.set, "--acr Q"}} {
		if !f.set {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return badInputf("kfre: missing %s (for example: renalwatch kfre --age 72 --sex female --egfr 28 --acr 800mg/g)", strings.Join(missing, ", "))
	}
	s, err := ckd.ParseSex(*sex)
	if err != nil {
		return badInputf("kfre: --sex %q is not accepted; want female or male", *sex)
	}
	r, err := kfre.ParseRegion(*region)
	if err != nil {
		return badInputf("kfre: --region %q is not accepted; want north-america or other", *region)
	}
	six := diabetes.set || hypertension.set
	eight := calcium.set || phosphate.set || bicarbonate.set || albumin.set
	if six && eight {
		return badInputf("kfre: --diabetes/--hypertension select the 6-variable model and --calcium/--phosphate/--bicarbonate/--albumin the 8-variable model; give one set, not both")
	}
	if _, err := units.EGFR.Normalize("--egfr", units.Quantity{Value: egfr.v, Unit: units.MLPerMinBSA}); err != nil {
		return badInputf("kfre: %w", err)
	}
	for _, q := range []struct {
		f    *quantityFlag
		name string
		an   units.Analyte
	}{{&acr, "acr", units.ACR}, {&calcium, "calcium", units.Calcium}, {&phosphate, "phosphate", units.Phosphate}, {&bicarbonate, "bicarbonate", units.Bicarbonate}, {&albumin, "albumin", units.Albumin}} {
		if !q.f.set {
			continue
		}
		if _, err := q.f.normalized(q.name, q.an); err != nil {
			return badInputf("kfre: %w", err)
		}
	}

	in := kfre.Input{Age: age.v, Sex: s, EGFR: egfr.v, ACR: acr.q, Region: r,
		Calcium: calcium.q, Phosphate: phosphate.q, Bicarbonate: bicarbonate.q, Albumin: albumin.q}
	if diabetes.set {
		in.Diabetes = kfre.AnswerOf(diabetes.v)
	}
	if hypertension.set {
		in.Hypertension = kfre.AnswerOf(hypertension.v)
	}
	res, err := kfre.Predict(in)
	if err != nil {
		return kfreFlagError(err)
	}
	if *asJSON {
		return writeJSON(stdout, kfreResult{
			Variables: res.Variables, Region: res.Region,
			Risk2y: round4(res.Risk2y), Risk5y: round4(res.Risk5y),
			Warnings: res.Warnings, Calibration: res.Region.Calibration(),
			Inputs: roundInputs(res.Inputs), Source: res.Source,
		})
	}
	return writeKFREText(stdout, res)
}

// kfreFlagError names the flags behind a kfre error.
func kfreFlagError(err error) error {
	var ie *kfre.InputError
	var me *kfre.MissingError
	switch {
	case errors.As(err, &ie):
		return badInputf("kfre: --%s %s is not accepted; want %s", ie.Field, ie.Value, ie.Want)
	case errors.As(err, &me):
		return badInputf("kfre: the %d-variable model needs %s; missing: %s", me.Variables, flagList(me.Needs), flagList(me.Missing))
	}
	return badInputf("kfre: %w", err)
}

func flagList(names []string) string {
	s := make([]string, len(names))
	for i, n := range names {
		s[i] = "--" + n
	}
	return strings.Join(s, ", ")
}

// round4 rounds a probability to 4 decimal places (0.01 percentage point),
// the precision the CLI contract shows; more digits would be false precision.
func round4(p float64) float64 { return math.Round(p*1e4) / 1e4 }

// roundInputs trims converted quantities to 6 significant digits, so that
// 30 mg/mmol shows as 265.2 mg/g and not 265.20000000000005.
func roundInputs(in kfre.Inputs) kfre.Inputs {
	for _, q := range []*units.Quantity{&in.ACR, &in.Albumin, &in.Phosphate, &in.Bicarbonate, &in.Calcium} {
		q.Value = sig6(q.Value)
	}
	return in
}

func sig6(v float64) float64 {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return v
	}
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 6, 64), 64)
	return r
}

// percent formats a probability as a percentage with one decimal, saying
// "<0.1%" or ">99.9%" rather than rounding a non-zero risk to 0 or 100.
func percent(p float64) string {
	switch {
	case p > 0 && p < 0.0005:
		return "<0.1%"
	case p < 1 && p >= 0.9995:
		return ">99.9%"
	}
	return fmt.Sprintf("%.1f%%", 100*p)
}

func writeKFREText(w io.Writer, res kfre.Result) error {
	var err error
	p := func(format string, args ...any) {
		if err == nil {
			_, err = fmt.Fprintf(w, format, args...)
		}
	}
	in := res.Inputs
	p("Kidney Failure Risk Equation, %d-variable model, %s calibration\n", res.Variables, res.Region.Calibration())
	p("  2-year risk of kidney failure: %s\n", percent(res.Risk2y))
	p("  5-year risk of kidney failure: %s\n", percent(res.Risk5y))
	p("Inputs: age %s y, %s, eGFR %s mL/min/1.73m2, ACR %s mg/g", human(in.AgeYears, 6), in.Sex, human(in.EGFR, 6), human(in.ACR.Value, 6))
	switch res.Variables {
	case 6:
		p(", diabetes %s, hypertension %s", in.Diabetes, in.Hypertension)
	case 8:
		p(", calcium %s mg/dL, phosphate %s mg/dL, bicarbonate %s mmol/L, albumin %s g/dL",
			human(in.Calcium.Value, 6), human(in.Phosphate.Value, 6), human(in.Bicarbonate.Value, 6), human(in.Albumin.Value, 6))
	}
	p("\nSource: %s\n", res.Source)
	for _, s := range res.Warnings.Strings() {
		p("Warning: %s\n", s)
	}
	return err
}
