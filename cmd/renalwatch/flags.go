package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"

	"renalwatch/units"
)

// newFlagSet returns a FlagSet that reports errors itself and prints usage
// with a worked example. Errors from Parse are returned, never exited on.
func newFlagSet(name, synopsis, example string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintf(w, "Usage: renalwatch %s\n\n", synopsis)
		fmt.Fprintln(w, "Flags:")
		printDefaults(fs, w)
		if example != "" {
			fmt.Fprintf(w, "\nExample:\n%s\n", example)
		}
	}
	return fs
}

// parseFlags parses args, allowing positional arguments before, between and
// after flags ("convert 1.2mg/dL --to umol/L"). "--" ends flag parsing. It
// returns the positional arguments. Help goes to stdout and returns
// flag.ErrHelp; a bad flag returns an inputError naming the flag, the value
// and what is accepted.
func parseFlags(fs *flag.FlagSet, args []string, stdout io.Writer) ([]string, error) {
	out := fs.Output()
	usage := fs.Usage
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	defer func() { fs.SetOutput(out); fs.Usage = usage }()
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fs.SetOutput(stdout)
				usage()
				return nil, flag.ErrHelp
			}
			msg := flagNumberError(fs, err.Error())
			msg = strings.ReplaceAll(msg, "flag -", "flag --")
			msg = strings.Replace(msg, "defined: -", "defined: --", 1)
			msg = strings.Replace(msg, "argument: -", "argument: --", 1) // "flag needs an argument: -db" (trial-cli #22)
			msg = strings.Replace(msg, " for -", " for --", 1)           // bool flags: "invalid boolean value ... for -x"
			return nil, badInputf("%s: %s (run 'renalwatch %s --help')", fs.Name(), msg, fs.Name())
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		// flag stops at the first non-flag; when it stopped at "--",
		// everything left is positional.
		if i := len(args) - len(rest) - 1; i >= 0 && args[i] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// flagParseRE matches package flag's message for a number flag's bad value.
var flagParseRE = regexp.MustCompile(`^invalid value ".*" for flag -([^:\s]+): parse error$`)

// flagNumberError replaces package flag's "parse error" for an integer or
// number flag with what it wants ("synth --seed abc", trial-cli #22).
func flagNumberError(fs *flag.FlagSet, msg string) string {
	m := flagParseRE.FindStringSubmatch(msg)
	if m == nil {
		return msg
	}
	f := fs.Lookup(m[1])
	if f == nil {
		return msg
	}
	want := ""
	switch fmt.Sprintf("%T", f.Value) {
	case "*flag.intValue", "*flag.int64Value", "*flag.uintValue", "*flag.uint64Value":
		want = "want an integer"
	case "*flag.float64Value":
		want = "want a number"
	default:
		return msg
	}
	return strings.TrimSuffix(msg, "parse error") + want
}

// quantityFlag is a flag.Value holding a units.Quantity; Set delegates to
// units.Parse, so "--creatinine 1.2" fails with the accepted units.
type quantityFlag struct {
	q   units.Quantity
	set bool
	an  units.Analyte // when set (see of), unit errors list its units only
}

func (f *quantityFlag) String() string {
	if f == nil || !f.set {
		return ""
	}
	return f.q.String()
}

func (f *quantityFlag) Set(s string) error {
	parse := units.Parse
	if f.an != 0 {
		parse = f.an.Parse
	}
	q, err := parse(s)
	if err != nil {
		return err
	}
	f.q, f.set = q, true
	return nil
}

// normalized validates the flag's quantity as analyte a and returns it in a's
// canonical unit; name is the flag name without dashes.
func (f *quantityFlag) normalized(name string, a units.Analyte) (units.Quantity, error) {
	q, err := a.Normalize("--"+name, f.q)
	return q, badInput(err)
}

// optBool is a boolean flag that remembers whether it was given, so that
// "--diabetes=false" is an answer and not an absence.
type optBool struct {
	v, set bool
}

func (b *optBool) String() string {
	if b == nil || !b.set {
		return ""
	}
	return strconv.FormatBool(b.v)
}

func (b *optBool) Set(s string) error {
	v, err := strconv.ParseBool(s)
	if err != nil {
		return fmt.Errorf("want true or false, got %q", s)
	}
	b.v, b.set = v, true
	return nil
}

func (b *optBool) IsBoolFlag() bool { return true }

// numberFlag is a float flag that rejects NaN, infinities and out-of-range
// numbers, and remembers whether it was given.
type numberFlag struct {
	v   float64
	set bool
}

func (n *numberFlag) String() string {
	if n == nil || !n.set {
		return ""
	}
	return strconv.FormatFloat(n.v, 'g', -1, 64)
}

func (n *numberFlag) Set(s string) error {
	v, err := units.ParseNumber(strings.TrimSpace(s))
	if errors.Is(err, units.ErrNotDecimal) {
		return fmt.Errorf("%q is not a decimal number: write digits with an optional decimal point (and exponent), such as 42 or 1.2", s)
	}
	if hint, ok := units.DecimalCommaHint(s); ok && err != nil {
		return fmt.Errorf("%q: %s", s, hint)
	}
	if errors.Is(err, units.ErrOutOfRange) {
		return fmt.Errorf("number out of range: %q is beyond what a 64-bit number holds (about 4.9e-324 to 1.8e308)", s)
	}
	if err != nil || v != v || math.IsInf(v, 0) {
		return fmt.Errorf("want a finite number, got %q", s)
	}
	if v > 1e300 || v < -1e300 {
		// Finite, but far outside any range a value is checked against
		// (trial-cli #22: 1e308 was "not a finite number").
		return fmt.Errorf("number out of range: %q is far beyond any plausible value", s)
	}
	n.v, n.set = v, true
	return nil
}

// writeJSON writes v as one indented JSON object followed by a newline.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// printDefaults prints the flag defaults as flag.PrintDefaults does, but with
// the double-dash spelling the documentation uses ("--creatinine Q").
func printDefaults(fs *flag.FlagSet, w io.Writer) {
	var b strings.Builder
	out := fs.Output()
	fs.SetOutput(&b)
	fs.PrintDefaults()
	fs.SetOutput(out)
	fmt.Fprint(w, strings.ReplaceAll("\n"+b.String(), "\n  -", "\n  --")[1:])
}
