// Command renalwatch computes kidney and lupus measures from the command line.
//
// Every subcommand lives in its own file as a function with the signature of
// runFunc, so tests run commands in-process. main only maps errors to exit
// codes: 0 success, 2 bad input or usage, 1 anything else.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "0.1.0-dev"

// runFunc runs one subcommand with its arguments (after the subcommand name).
type runFunc func(ctx context.Context, args []string, stdout, stderr io.Writer) error

type command struct {
	name    string
	summary string
	run     runFunc
}

// commands lists the subcommands in the order help shows them.
func commands() []command {
	return []command{
		{"egfr", "estimate GFR with a named equation (CKD-EPI, EKFC, CKiD U25, ...)", runEGFR},
		{"stage", "KDIGO GFR and albuminuria categories and heat-map risk", runStage},
		{"kfre", "Kidney Failure Risk Equation, 2- and 5-year risk", runKFRE},
		{"sledai", "SLEDAI-2K lupus disease activity", runSLEDAI},
		{"classify", "2019 EULAR/ACR SLE classification criteria", runClassify},
		{"biopsy", "ISN/RPS class and modified NIH activity/chronicity indices", runBiopsy},
		{"response", "lupus nephritis renal response under a named rule", runResponse},
		{"flare", "lupus nephritis renal flare under a named rule", runFlare},
		{"convert", "convert a quantity between units", runConvert},
		{"import", "import FHIR (Bundle, NDJSON) or CSV records into the store", runImport},
		{"patients", "list the patients in the store", runPatients},
		{"report", "assessment of one stored patient (kidney, lupus, alerts, missing)", runReport},
		{"config", "print the settings in effect (--config FILE and flags) as a settings file", runConfig},
		{"demo", "import the five synthetic demonstration patients and list them", runDemo},
		{"synth", "generate a deterministic virtual lupus cohort with its true course", runSynth},
		{"cohort", "assess every patient of a Bulk Data export: one row each, and a summary", runCohort},
		{"serve", "web dashboard and JSON API (--demo: synthetic patients on 127.0.0.1)", runServe},
		{"audit", "who read or imported which patient's record, from the store's audit trail", runAudit},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run dispatches to a subcommand and returns the process exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	switch args[0] {
	case "help":
		return help(ctx, args[1:], stdout, stderr)
	case "-h", "-help", "--help":
		usage(stdout)
		return 0
	case "-version", "--version", "version":
		fmt.Fprintf(stdout, "renalwatch %s\n", fullVersion())
		return 0
	}
	for _, c := range commands() {
		if c.name == args[0] {
			err := c.run(ctx, args[1:], stdout, stderr)
			return exitCode(err, stderr)
		}
	}
	fmt.Fprintf(stderr, "renalwatch: unknown command %q\n\n", args[0])
	usage(stderr)
	return 2
}

// exitCode prints err and maps it to an exit code. This is the one place where
// errors become exit codes.
func exitCode(err error, stderr io.Writer) int {
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errAlreadyReported):
		return 2
	}
	var intr *interruptedError
	if errors.As(err, &intr) {
		fmt.Fprintf(stderr, "renalwatch: %s\n", safeLines(intr.msg))
		return 130
	}
	fmt.Fprintf(stderr, "renalwatch: %s\n", safeLines(err.Error()))
	var bad *inputError
	if errors.As(err, &bad) {
		return 2
	}
	return 1
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "renalwatch: kidney function and lupus nephritis measures, with their sources.")
	fmt.Fprintln(w, "RenalWatch informs clinical judgement; it does not prescribe.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Usage: renalwatch COMMAND [flags]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Quantities carry their unit in the same token: 1.2mg/dL, 106umol/L, 300mg/g, 165cm, 5ft7in, 154lb.")
	fmt.Fprintln(w, "eGFR alone may be a plain number (42): it has one unit, mL/min/1.73m2.")
	fmt.Fprintln(w, "Run 'renalwatch help COMMAND' (or 'renalwatch COMMAND --help') for a command's flags and a worked example.")
}

func fullVersion() string {
	v := version
	if info, ok := debug.ReadBuildInfo(); ok {
		var rev, dirty string
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				if s.Value == "true" {
					dirty = "-dirty"
				}
			}
		}
		if len(rev) > 12 {
			rev = rev[:12]
		}
		if rev != "" {
			v += " (" + rev + dirty + ")"
		}
	}
	return strings.TrimSpace(v)
}
