package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"renalwatch/lupus"
)

const sledaiExample = `  renalwatch sledai proteinuria hematuria low_complement increased_dna_binding rash
  renalwatch sledai urinary_casts pyuria --window 30 --json
  renalwatch sledai --none          (no descriptor present: a deliberate score of 0)`

// runSLEDAI implements "renalwatch sledai ITEM... [--window 10|30] [--json]",
// or "renalwatch sledai --none" for a visit with no descriptor present. With
// neither, it refuses (exit 2): a forgotten argument must not read as a
// documented score of 0.
func runSLEDAI(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("sledai", "sledai ITEM...|--none [--window 10|30] [--json]", sledaiExample+"\n\nITEM: "+strings.Join(lupus.SLEDAIItems(), " "), stderr)
	window := windowFlag(10)
	fs.Var(&window, "window", "attribution `DAYS`: 10 (Gladman 2002, default) or 30 (Touma 2010)")
	none := fs.Bool("none", false, "no descriptor is present (required to score 0: without ITEMs or --none the command refuses)")
	asJSON := fs.Bool("json", false, "print JSON")
	items, err := parseFlags(fs, args, stdout)
	if err != nil {
		return err
	}
	if err := checkNone("sledai", "SLEDAI-2K descriptor", *none, items); err != nil {
		return err
	}
	r, err := lupus.SLEDAI2K(items, int(window))
	if err != nil {
		return lupusInputError("sledai", err)
	}
	if *asJSON {
		return writeJSON(stdout, r)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d of 105\n", r.Index, r.Score)
	fmt.Fprintf(&b, "Renal SLEDAI (casts, haematuria, proteinuria, pyuria): %d of 16\n", r.RenalScore)
	fmt.Fprintf(&b, "Attribution window: %d days (present at the visit or in the preceding %d days)\n", r.WindowDays, r.WindowDays)
	if len(r.Items) == 0 {
		b.WriteString("No descriptors present.\n")
	} else {
		b.WriteString("Descriptors present:\n")
		for _, it := range r.Items {
			fmt.Fprintf(&b, "  %-24s %d\n", it.Item, it.Weight)
		}
	}
	b.WriteString("Activity bands (interpretation aids, not part of the index; sources differ):\n")
	for _, a := range r.Activity {
		fmt.Fprintf(&b, "  %-11s %s (%s): %s\n", a.BandSet+":", a.Band, a.Range, a.Source)
	}
	b.WriteString("Score only descriptors attributable to active SLE (not infection, drugs or damage).\n")
	_, err = io.WriteString(stdout, b.String())
	return err
}

// itemsWord is the plural of an item name: "criteria", not "criterions"
// (trial-cli #22).
func itemsWord(what string) string {
	if w, ok := strings.CutSuffix(what, "criterion"); ok {
		return w + "criteria"
	}
	return what + "s"
}

// checkNone requires at least one item or an explicit --none, and not both:
// an empty item list is a documented absence only when the user says so.
func checkNone(cmd, what string, none bool, items []string) error {
	switch {
	case none && len(items) > 0:
		return badInputf("%s: --none was given together with the items %s; give the %s present, or --none alone", cmd, strings.Join(items, " "), itemsWord(what))
	case !none && len(items) == 0:
		return badInputf("%s: no ITEM given; name each %s present (see 'renalwatch %s --help'), or pass --none to record that none is present", cmd, what, cmd)
	}
	return nil
}

// lupusInputError turns an error from package lupus into a bad-input error
// (exit code 2) whose field, when it is a flag, is written as one.
func lupusInputError(cmd string, err error) error {
	var ie *lupus.InputError
	if errors.As(err, &ie) {
		c := *ie
		if c.Field != "" && c.Field != "ITEM" {
			c.Field = "--" + c.Field
		}
		// lupus names the other field of a pair neutrally ("is required
		// with creatinine"); on the command line it is a flag.
		if rest, ok := strings.CutPrefix(c.Reason, "is required with "); ok {
			c.Reason = "is required with --" + rest
		}
		return badInputf("%s: %w", cmd, &c)
	}
	return badInputf("%s: %w", cmd, err)
}

// windowFlag is the SLEDAI-2K attribution window in days; any whole number
// parses here and lupus.SLEDAI2K says which are accepted.
type windowFlag int

func (w *windowFlag) String() string { return strconv.Itoa(int(*w)) }

func (w *windowFlag) Set(s string) error {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return fmt.Errorf("want 10 or 30 (days), got %q", s)
	}
	*w = windowFlag(n)
	return nil
}
