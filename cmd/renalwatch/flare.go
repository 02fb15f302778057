package main

import (
	"context"
	"fmt"
	"io"

	"renalwatch/lupus"
	"renalwatch/units"
)

const flareExample = `  renalwatch flare --baseline-upcr 400mg/g --upcr 1300mg/g --baseline-creatinine 0.9mg/dL --creatinine 1.05mg/dL
  renalwatch flare --baseline-upcr 0.6g/g --upcr 0.8g/g --baseline-creatinine 80umol/L --creatinine 110umol/L --sediment active --rule moroni --json`

// runFlare implements "renalwatch flare --baseline-upcr Q --upcr Q
// [--baseline-creatinine Q --creatinine Q] [--baseline-rbc N --rbc N]
// [--casts] [--sediment active|inactive] [--after complete|partial]
// [--rule NAME] [--json]".
func runFlare(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("flare", "flare --baseline-upcr Q --upcr Q [--baseline-creatinine Q --creatinine Q] [--baseline-rbc N --rbc N] [--casts] [--sediment active|inactive] [--after complete|partial] [--rule NAME] [--json]", flareExample, stderr)
	var baseUPCR, upcr upcrFlag
	var baseCreat, creat quantityFlag
	var baseRBC, rbc numberFlag
	var casts optBool
	fs.Var(&baseUPCR, "baseline-upcr", "last UPCR before the flare (post-response for aurora-2): mg/g, g/g or mg/mmol")
	fs.Var(&upcr, "upcr", "current UPCR: mg/g, g/g or mg/mmol")
	fs.Var(baseCreat.of(units.Creatinine), "baseline-creatinine", "last serum creatinine before the flare: mg/dL or umol/L")
	fs.Var(creat.of(units.Creatinine), "creatinine", "current serum creatinine: mg/dL or umol/L")
	fs.Var(&baseRBC, "baseline-rbc", "urine red cells per high-power field before the flare")
	fs.Var(&rbc, "rbc", "current urine red cells per high-power field")
	fs.Var(&casts, "casts", "recurrence of red or white cell casts (kdigo-2012)")
	sediment := fs.String("sediment", "", "urinary sediment: active (nephritic) or inactive (moroni, eular-2012)")
	after := fs.String("after", "", "the response the flare follows: complete or partial (eular-2012)")
	rule := fs.String("rule", string(lupus.KDIGO2012Flare), "flare `NAME`: "+flareRuleNames())
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parseFlags(fs, args, stdout)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return badInputf("flare takes no positional arguments, got %q (run 'renalwatch flare --help')", pos[0])
	}
	in := lupus.FlareInput{Sediment: *sediment, After: *after}
	if casts.set {
		in.Casts = &casts.v
	}
	if in.BaselineUPCR, err = baseUPCR.checked("baseline-upcr"); err != nil {
		return badInputf("flare: %w", err)
	}
	if in.UPCR, err = upcr.checked("upcr"); err != nil {
		return badInputf("flare: %w", err)
	}
	for _, c := range []struct {
		name string
		f    *quantityFlag
		dst  *units.Quantity
	}{{"baseline-creatinine", &baseCreat, &in.BaselineCreatinine}, {"creatinine", &creat, &in.Creatinine}} {
		if !c.f.set {
			continue
		}
		if _, err := c.f.normalized(c.name, units.Creatinine); err != nil {
			return badInputf("flare: %w", err)
		}
		*c.dst = c.f.q
	}
	for _, c := range []struct {
		name string
		f    *numberFlag
		dst  *units.Quantity
	}{{"baseline-rbc", &baseRBC, &in.BaselineRBC}, {"rbc", &rbc, &in.RBC}} {
		if !c.f.set {
			continue
		}
		q := units.Q(c.f.v, units.PerHPF)
		if _, err := units.UrineRBC.Normalize("--"+c.name, q); err != nil {
			return badInputf("flare: %w", err)
		}
		*c.dst = q
	}
	r, err := lupus.Flare(lupus.FlareRule(*rule), in)
	if err != nil {
		return lupusInputError("flare", err)
	}
	if *asJSON {
		return writeJSON(stdout, r)
	}
	return writeRuleResult(stdout, fmt.Sprintf("Renal flare under %s (%s): %s", r.Rule, r.RuleName, r.Verdict), r.Criteria, r.Warnings, r.Source)
}

func flareRuleNames() string { return ruleNames(lupus.FlareRules()) }
