package main

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"

	"renalwatch/internal/golden"
)

// cliResult is what one in-process run of the CLI produced.
type cliResult struct {
	code           int
	stdout, stderr string
}

// runCLI runs the renalwatch command line in-process.
func runCLI(t testing.TB, args ...string) cliResult {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb)
	return cliResult{code, out.String(), errb.String()}
}

// transcript renders a run as text for a golden file.
func (r cliResult) transcript(args []string) []byte {
	var b strings.Builder
	b.WriteString("$ renalwatch " + strings.Join(args, " ") + "\n")
	b.WriteString("exit " + strconv.Itoa(r.code) + "\n")
	if r.stdout != "" {
		b.WriteString("-- stdout --\n" + r.stdout)
	}
	if r.stderr != "" {
		b.WriteString("-- stderr --\n" + r.stderr)
	}
	return []byte(b.String())
}

// goldenCase is one CLI invocation compared with a golden transcript.
type goldenCase struct {
	name string
	args []string
	code int
}

// runGolden runs each case and compares its transcript with
// testdata/<dir>/<name>.txt.
func runGolden(t *testing.T, dir string, cases []goldenCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := runCLI(t, c.args...)
			if r.code != c.code {
				t.Errorf("exit code = %d, want %d\nstdout: %s\nstderr: %s", r.code, c.code, r.stdout, r.stderr)
			}
			golden.Assert(t, dir+"/"+c.name+".txt", r.transcript(c.args))
		})
	}
}

func TestMain_Commands(t *testing.T) {
	runGolden(t, "main", []goldenCase{
		{"no-args", nil, 2},
		{"help", []string{"--help"}, 0},
		{"unknown-command", []string{"frobnicate"}, 2},
	})
}

func TestVersion(t *testing.T) {
	r := runCLI(t, "--version")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "renalwatch "+version) {
		t.Errorf("--version: exit %d, stdout %q", r.code, r.stdout)
	}
}
