package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"renalwatch/record"
	"renalwatch/store"
	"renalwatch/store/sqlite"
)

func TestSafeText(t *testing.T) {
	for in, want := range map[string]string{
		"ln-iv":          "ln-iv",
		"Zoë café":       "Zoë café",
		"a\x1b[2Jb":      `a\x1b[2Jb`,
		"row\nforged":    `row\nforged`,
		"tab\there":      `tab\there`,
		"p\xff":          `p\xff`,
		"rtl\u202eevil":  `rtl\u202eevil`,
		"c1\u0085":       `c1\u0085`,
		"del\x7f":        `del\x7f`,
		"zero\u200bwide": `zero\u200bwide`,
	} {
		if got := safeText(in); got != want {
			t.Errorf("safeText(%q) = %q; want %q", in, got, want)
		}
	}
}

// rawControl reports whether s holds a control character other than the
// line breaks and tabs the program writes itself.
func rawControl(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool {
		return (r < 0x20 && r != '\n') || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\u202e'
	})
}

// Regression (issue 8 item 6): control characters from input reach no
// human output: not the patients table (rows forged by a newline), not
// the report, not the import summary.
func TestOutputEscapesInput(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "s.db")
	// A store written before ids were checked may hold any id.
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	evil := "x\x1b[2J\nforged-row\u202e"
	if _, err := db.Import(context.Background(), &record.Batch{Patients: []record.Patient{{ID: evil, Sex: record.Female}}}, store.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, out, _ := runCmd(t, "patients", "--db", path)
	if rawControl(out) || !strings.Contains(out, `x\x1b[2J\nforged-row\u202e`) {
		t.Errorf("patients:\n%q", out)
	}
	_, out, errs := runCmd(t, "report", evil, "--db", path)
	if rawControl(out+errs) || !strings.Contains(out, `Patient x\x1b[2J\nforged-row\u202e`) {
		t.Errorf("report:\n%q\n%q", out, errs)
	}
	nd := filepath.Join(dir, "in.ndjson")
	os.WriteFile(nd, []byte(`{"resourceType":"Patient","id":"p1","gender":"female"}
{"resourceType":"Observation","id":"o1","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"99999-9","display":"odd\u001b]0;title\u0007\nname"}]},"subject":{"reference":"Patient/p1"},"effectiveDateTime":"2020-01-01","valueQuantity":{"value":1,"unit":"mg"}}
{"resourceType":"Patient","id":"bad\u001b[31m","gender":"female"}
`), 0o600)
	_, out, errs = runCmd(t, "import", "--db", path, nd)
	if rawControl(out+errs) || !strings.Contains(out, `odd\x1b]0;title\a\nname`) || !strings.Contains(out, `bad\x1b[31m`) {
		t.Errorf("import:\n%s\n%s", out, errs)
	}
}
