package main

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"renalwatch/internal/golden"
)

// runCmd runs the renalwatch command line in-process and returns the exit
// code, stdout and stderr.
func runCmd(t testing.TB, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

// line splits a command line written as one string on spaces.
func line(s string) []string { return strings.Fields(s) }

// goldenCase is one CLI invocation compared with a golden transcript.
type goldenCase struct {
	name string
	args []string
	code int
}

// runGolden runs each case in-process and compares its transcript (the
// command line, exit code, stdout and stderr) with testdata/DIR/NAME.golden
// (refresh with -update). Bad input (exit 2) must print nothing on stdout and
// a message on stderr.
func runGolden(t *testing.T, dir string, cases []goldenCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, stdout, stderr := runCmd(t, c.args...)
			if code != c.code {
				t.Errorf("renalwatch %s: exit %d, want %d\nstdout: %s\nstderr: %s", strings.Join(c.args, " "), code, c.code, stdout, stderr)
			}
			if c.code == 2 && (stdout != "" || stderr == "") {
				t.Errorf("bad input must print nothing on stdout and a message on stderr; stdout %q, stderr %q", stdout, stderr)
			}
			got := fmt.Sprintf("$ renalwatch %s\nexit %d\n--- stdout\n%s--- stderr\n%s", strings.Join(c.args, " "), code, stdout, stderr)
			golden.Assert(t, dir+"/"+c.name+".golden", []byte(got))
		})
	}
}

// runCommandGolden is runGolden for cases of one command whose args omit the
// command name; the golden files are testdata/COMMAND/NAME.golden.
func runCommandGolden(t *testing.T, command string, cases []goldenCase) {
	t.Helper()
	for i := range cases {
		cases[i].args = append([]string{command}, cases[i].args...)
	}
	runGolden(t, command, cases)
}

func TestMain_Commands(t *testing.T) {
	runGolden(t, "main", []goldenCase{
		{"no-args", nil, 2},
		{"help", []string{"--help"}, 0},
		{"unknown-command", []string{"frobnicate"}, 2},
	})
}

func TestVersion(t *testing.T) {
	code, stdout, _ := runCmd(t, "--version")
	if code != 0 || !strings.HasPrefix(stdout, "renalwatch "+version) {
		t.Errorf("--version: exit %d, stdout %q", code, stdout)
	}
}
