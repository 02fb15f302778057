package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

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
The two sets cannot be combined. eGFR is in mL/min/1.73m2, a plain number
(28) or with its unit (28mL/min/1.73m2); the ACR is converted to mg/g before
its logarithm and must be above zero.

Without a measured ACR, --pcr Q gives a urine protein-to-creatinine ratio,
converted to an estimated ACR by the Sumida 2020 equation, which has terms
for sex, diabetes and hypertension: --diabetes and --hypertension must then
both be answered (true or false; not taken as absent, since each absent
condition lowers the estimate, by about 8% and 13%), and they answer the
conversion only: the model stays 4- or 8-variable (the 6-variable model's
baseline survival is borrowed, and is not stacked on an estimated ACR).
--acr and --pcr cannot be given together. For example:
  renalwatch kfre --age 45 --sex female --egfr 38 --pcr 1.2g/g --diabetes=false --hypertension=true

The KFRE is validated in adults with eGFR below 60. JSON risks are
unrounded probabilities from 0 to 1; the text shows percentages to one decimal.`

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
	// ACREstimate is set when the ACR was estimated from --pcr: the PCR, the
	// estimate, its source and the answers the conversion used.
	ACREstimate *kfreACREstimate `json:"acr_estimate,omitempty"`
}

// runKFRE implements "renalwatch kfre".
func runKFRE(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("kfre", "kfre --age YEARS --sex female|male --egfr N (--acr Q | --pcr Q --diabetes=B --hypertension=B) [--calcium Q --phosphate Q --bicarbonate Q --albumin Q] [--diabetes[=true|false] --hypertension[=true|false]] [--region north-america|other] [--units conventional|si] [--json]\n       renalwatch kfre --in TABLE [--out FILE] [--region north-america|other]", kfreExample, stderr)
	var age numberFlag
	var egfr egfrFlag
	var acr, pcr, calcium, phosphate, bicarbonate, albumin quantityFlag
	var diabetes, hypertension optBool
	fs.Var(&age, "age", "age in `YEARS` (a plain number)")
	sex := fs.String("sex", "", "`female|male`, or f|m (the equation's coefficients are sex-specific)")
	fs.Var(&egfr, "egfr", "eGFR `N` in mL/min/1.73m2: a plain number (28) or with its unit (28mL/min/1.73m2)")
	fs.Var(acr.of(units.ACR), "acr", "urine albumin-to-creatinine ratio `Q`: mg/g, mg/mmol or g/g (e.g. 800mg/g)")
	fs.Var(pcr.of(units.PCR), "pcr", "urine protein-to-creatinine ratio `Q` (mg/g, mg/mmol or g/g) when no ACR was measured: converted to an estimated ACR (Sumida 2020), which needs --diabetes and --hypertension answered")
	fs.Var(calcium.of(units.Calcium), "calcium", "total serum calcium `Q`: mg/dL, mmol/L or meq/L (8-variable model)")
	fs.Var(phosphate.of(units.Phosphate), "phosphate", "serum phosphate `Q`: mg/dL or mmol/L (8-variable model)")
	fs.Var(bicarbonate.of(units.Bicarbonate), "bicarbonate", "serum bicarbonate `Q`: mmol/L or meq/L (8-variable model)")
	fs.Var(albumin.of(units.Albumin), "albumin", "serum albumin `Q`: g/dL or g/L (8-variable model)")
	fs.Var(&diabetes, "diabetes", "diabetes, true or false (6-variable model, or the PCR conversion with --pcr; needs --hypertension too)")
	fs.Var(&hypertension, "hypertension", "hypertension, true or false (6-variable model, or the PCR conversion with --pcr; needs --diabetes too)")
	region := fs.String("region", "north-america", "calibration: `north-america|other`")
	asJSON := fs.Bool("json", false, "print JSON")
	var unitSys unitsFlag
	fs.Var(&unitSys, "units", unitsUsage)
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
	}{{age.set, "--age YEARS"}, {*sex != "", "--sex female|male"}, {egfr.set, "--egfr N"}, {acr.set || pcr.set, "--acr Q (or --pcr Q)"}} {
		if !f.set {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return badInputf("kfre: missing %s (for example: renalwatch kfre --age 72 --sex female --egfr 28 --acr 800mg/g)", strings.Join(missing, ", "))
	}
	if acr.set && pcr.set {
		return badInputf("kfre: --acr %s and --pcr %s were both given; give the measured ACR alone (--pcr is for when no ACR was measured)", acr.q.Text(), pcr.q.Text())
	}
	s, err := parseSex("--sex", *sex, "")
	if err != nil {
		return badInputf("kfre: %w", err)
	}
	r, err := kfre.ParseRegion(*region)
	if err != nil {
		return badInputf("kfre: --region %q is not accepted; want north-america or other", *region)
	}
	if err := pcrAnswers(pcr, diabetes, hypertension); err != nil {
		return err
	}
	six := (diabetes.set || hypertension.set) && !pcr.set // with --pcr they answer the conversion
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
	}{{&acr, "acr", units.ACR}, {&pcr, "pcr", units.PCR}, {&calcium, "calcium", units.Calcium}, {&phosphate, "phosphate", units.Phosphate}, {&bicarbonate, "bicarbonate", units.Bicarbonate}, {&albumin, "albumin", units.Albumin}} {
		if !q.f.set {
			continue
		}
		if _, err := q.f.normalized(q.name, q.an); err != nil {
			return badInputf("kfre: %w", err)
		}
	}

	in := kfre.Input{Age: age.v, Sex: s, EGFR: egfr.v, ACR: acr.q, Region: r,
		Calcium: calcium.q, Phosphate: phosphate.q, Bicarbonate: bicarbonate.q, Albumin: albumin.q}
	var est *kfreACREstimate
	if pcr.set {
		if est, err = estimateKFREACR(pcr, s, diabetes, hypertension); err != nil {
			return err
		}
		in.ACR = est.ACR
	}
	if diabetes.set && !pcr.set {
		in.Diabetes = kfre.AnswerOf(diabetes.v)
	}
	if hypertension.set && !pcr.set {
		in.Hypertension = kfre.AnswerOf(hypertension.v)
	}
	res, err := kfre.Predict(in)
	if err != nil {
		return kfreFlagError(err)
	}
	if *asJSON {
		return writeJSON(stdout, kfreResult{
			Variables: res.Variables, Region: res.Region,
			Risk2y: res.Risk2y, Risk5y: res.Risk5y, // JSON is never rounded
			Warnings: res.Warnings, Calibration: res.Region.Calibration(),
			Inputs: res.Inputs, Source: res.Source, ACREstimate: est,
		})
	}
	given := map[units.Analyte]units.Quantity{units.ACR: acr.q, units.Calcium: calcium.q, units.Phosphate: phosphate.q, units.Bicarbonate: bicarbonate.q, units.Albumin: albumin.q}
	if est != nil {
		given[units.ACR] = units.Quantity{} // estimated: echoed as the equation took it
	}
	return writeKFREText(stdout, res, est, given, unitSys.system())
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

// writeKFREText prints the risks, the model and its inputs, echoed as
// given (given, by analyte; nil: as the equation took them) in the unit
// system u (--units); est is the PCR conversion when the ACR was estimated.
func writeKFREText(w io.Writer, res kfre.Result, est *kfreACREstimate, given map[units.Analyte]units.Quantity, u unitSystem) error {
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
	echo := func(an units.Analyte, used units.Quantity) string {
		g, ok := given[an]
		if !ok || g.IsZero() {
			g = used
		}
		return u.echo(an, g, used)
	}
	acrText := echo(units.ACR, in.ACR)
	if est != nil {
		// An estimated ACR is computed, not measured: 4 significant
		// digits, as the report prints it (docs/report.md).
		q := u.show(units.ACR, in.ACR)
		acrText = estimated(q.Value) + " " + q.Unit.Display()
	}
	p("Inputs: age %s y, %s, eGFR %s %s, ACR %s", measured(in.AgeYears), in.Sex, measured(in.EGFR), units.MLPerMinBSA.Display(), acrText)
	if est != nil {
		p(" (estimated from PCR %s)", measuredQ(est.PCR))
	}
	switch res.Variables {
	case 6:
		p(", diabetes %s, hypertension %s", in.Diabetes, in.Hypertension)
	case 8:
		p(", calcium %s, phosphate %s, bicarbonate %s, albumin %s",
			echo(units.Calcium, in.Calcium), echo(units.Phosphate, in.Phosphate), echo(units.Bicarbonate, in.Bicarbonate), echo(units.Albumin, in.Albumin))
	}
	p("\nSource: %s\n", res.Source)
	if est != nil {
		p("%s\n", est.text())
	}
	for _, s := range res.Warnings.Strings() {
		p("Warning: %s\n", s)
	}
	return err
}
