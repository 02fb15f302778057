package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"renalwatch/internal/labtext"
	"renalwatch/lupus"
)

const classifyExample = `  renalwatch classify --ana-positive biopsy_class_iii_or_iv low_c3_and_low_c4 anti_dsdna_or_anti_sm
  renalwatch classify --ana-positive acute_cutaneous_lupus joint_involvement --json
  renalwatch classify --ana-positive --none   (no criterion present: a deliberate 0 points)`

// runClassify implements "renalwatch classify [--ana-positive] ITEM... [--json]",
// or "... --none" when no criterion is present. With neither, it refuses
// (exit 2): a forgotten argument must not read as a documented 0 points.
func runClassify(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("classify", "classify [--ana-positive] ITEM...|--none [--json]", classifyExample+"\n\nITEM: "+strings.Join(lupus.EULARACR2019Items(), " "), stderr)
	var ana optBool
	fs.Var(&ana, "ana-positive", "entry criterion: ANA ≥1:80 on HEp-2 cells (or equivalent) at least once")
	none := fs.Bool("none", false, "no criterion is present (required to score 0: without ITEMs or --none the command refuses)")
	asJSON := fs.Bool("json", false, "print JSON")
	items, err := parseFlags(fs, args, stdout)
	if err != nil {
		return err
	}
	if err := checkNone("classify", "EULAR/ACR 2019 criterion", *none, items); err != nil {
		return err
	}
	c, err := lupus.EULARACR2019(ana.set && ana.v, items)
	if err != nil {
		return lupusInputError("classify", err)
	}
	if *asJSON {
		return writeJSON(stdout, c)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s SLE classification criteria: %s\n", c.Criteria, c.Status)
	if c.Status == lupus.StatusNotApplicable {
		why := "not given (--ana-positive)"
		if ana.set {
			why = "not met (--ana-positive=false)"
		}
		fmt.Fprintf(&b, "Entry criterion (ANA ≥1:80 at least once): %s; the criteria apply only to ANA-positive patients", why)
		if len(items) > 0 {
			b.WriteString(", so the " + labtext.Count(len(items), "item") + " given " + labtext.Noun(len(items), "was", "were") + " not scored")
		}
		b.WriteString(".\n")
		b.WriteString("Classified as SLE: no (the criteria: if the entry criterion is absent, do not classify as SLE)\n")
	} else {
		fmt.Fprintf(&b, "Entry criterion (ANA ≥1:80 at least once): met\n")
		fmt.Fprintf(&b, "Points: %d of 51 (classified at ≥10 with ≥1 clinical criterion; clinical criterion present: %s)\n", *c.Points, yesNo(*c.ClinicalCriterion))
		if len(c.Domains) > 0 {
			b.WriteString("Counted (highest weight per domain):\n")
			for _, d := range c.Domains {
				fmt.Fprintf(&b, "  %-28s %-36s %d\n", d.Domain, d.Item, d.Weight)
			}
		}
		if len(c.NotCounted) > 0 {
			b.WriteString("Not counted (outweighed in their domain):\n")
			for _, d := range c.NotCounted {
				fmt.Fprintf(&b, "  %-28s %-36s %d\n", d.Domain, d.Item, d.Weight)
			}
		}
	}
	b.WriteString(c.Note + "\n")
	_, err = io.WriteString(stdout, b.String())
	return err
}

func yesNo(v bool) string {
	if v {
		return "yes"
	}
	return "no"
}
