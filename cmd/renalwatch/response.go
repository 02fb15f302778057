package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"renalwatch/lupus"
	"renalwatch/units"
)

const responseExample = `  renalwatch response --baseline-upcr 3.2g/g --upcr 0.4g/g --baseline-egfr 72 --egfr 70 --months 12
  renalwatch response --baseline-upcr 350mg/mmol --upcr 53mg/mmol --baseline-egfr 70 --egfr 66 --rule eular-2019 --json`

// runResponse implements "renalwatch response --baseline-upcr Q --upcr Q
// --baseline-egfr N --egfr N [--rule NAME] [--months N] [--json]".
func runResponse(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("response", "response --baseline-upcr Q --upcr Q --baseline-egfr N --egfr N [--rule NAME] [--months N] [--json]", responseExample, stderr)
	var baseUPCR, upcr upcrFlag
	var baseEGFR, egfr egfrFlag
	var months numberFlag
	fs.Var(&baseUPCR, "baseline-upcr", "UPCR at the start of therapy, with its unit: mg/g, g/g or mg/mmol")
	fs.Var(&upcr, "upcr", "current UPCR, with its unit: mg/g, g/g or mg/mmol")
	fs.Var(&baseEGFR, "baseline-egfr", "eGFR at the start of therapy (pre-flare for the BLISS-LN rules), mL/min/1.73m2: 72 or 72mL/min/1.73m2")
	fs.Var(&egfr, "egfr", "current eGFR, mL/min/1.73m2: 70 or 70mL/min/1.73m2")
	fs.Var(&months, "months", "months since the start of therapy (checked against the rule's window)")
	rule := fs.String("rule", string(lupus.KDIGO2024), "response `NAME`: "+responseRuleNames())
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parseFlags(fs, args, stdout)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return badInputf("response takes no positional arguments, got %q (run 'renalwatch response --help')", pos[0])
	}
	in := lupus.ResponseInput{BaselineEGFR: baseEGFR.ptr(), EGFR: egfr.ptr(), Months: months.ptr()}
	if in.BaselineUPCR, err = baseUPCR.checked("baseline-upcr"); err != nil {
		return badInputf("response: %w", err)
	}
	if in.UPCR, err = upcr.checked("upcr"); err != nil {
		return badInputf("response: %w", err)
	}
	r, err := lupus.Response(lupus.ResponseRule(*rule), in)
	if err != nil {
		return lupusInputError("response", err)
	}
	if *asJSON {
		return writeJSON(stdout, r)
	}
	resp := r.Response
	if r.Provisional {
		resp += " (provisional)"
	}
	return writeRuleResult(stdout, fmt.Sprintf("Renal response under %s (%s): %s", r.Rule, r.RuleName, resp), r.Criteria, r.Warnings, r.Source)
}

func responseRuleNames() string { return ruleNames(lupus.ResponseRules()) }

// ruleNames lists rule names, comma-separated, for a flag's help.
func ruleNames[R ~string](rs []R) string {
	var s []string
	for _, r := range rs {
		s = append(s, string(r))
	}
	return strings.Join(s, ", ")
}

// writeRuleResult prints the text of a lupus rule's result (response,
// flare): the headline, each criterion with its status, the warnings and
// the source.
func writeRuleResult(w io.Writer, headline string, cs []lupus.CriterionResult, warnings []string, source string) error {
	var b strings.Builder
	b.WriteString(headline + "\n")
	writeCriteria(&b, cs, warnings)
	fmt.Fprintf(&b, "Source: %s\n", source)
	_, err := io.WriteString(w, b.String())
	return err
}

func writeCriteria(b *strings.Builder, cs []lupus.CriterionResult, warnings []string) {
	b.WriteString("Criteria:\n")
	for _, c := range cs {
		fmt.Fprintf(b, "  [%s] %s: %s\n", c.Status, c.Name, c.Detail)
	}
	if len(warnings) > 0 {
		b.WriteString("Warnings:\n")
		for _, w := range warnings {
			fmt.Fprintf(b, "  - %s\n", w)
		}
	}
}

// ptr returns the flag's value, or nil when it was not given.
func (n *numberFlag) ptr() *float64 {
	if !n.set {
		return nil
	}
	v := n.v
	return &v
}

// upcrFlag is a quantityFlag for a urine protein-to-creatinine ratio. It
// refuses a value marked as albumin ("30mg/g{albumin}", "30 mg/mmol ACR")
// with an explanation: an albumin-to-creatinine ratio is a different measure,
// and the lupus nephritis rules are defined on protein.
type upcrFlag struct{ quantityFlag }

func (f *upcrFlag) Set(s string) error {
	l := strings.ToLower(s)
	if strings.Contains(l, "alb") || strings.Contains(l, "acr") {
		return fmt.Errorf("%q is an albumin measure; this flag takes a urine protein-to-creatinine ratio (UPCR) such as 450mg/g, 0.45g/g or 45mg/mmol. An albumin-to-creatinine ratio (ACR) is a different measure and is not converted", s)
	}
	return f.of(units.PCR).Set(s)
}

// checked returns the flag's quantity in the unit the lab reported, after
// checking that the unit is a protein-ratio unit and the value plausible;
// the zero Quantity when not given.
func (f *upcrFlag) checked(name string) (units.Quantity, error) {
	if !f.set {
		return units.Quantity{}, nil
	}
	if _, err := units.PCR.Normalize("--"+name, f.q); err != nil {
		return units.Quantity{}, err
	}
	return f.q, nil
}
