package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestErrorMessagesTrial29: error messages name what was given, say where
// --equation all works, and escape a binary file's first bytes.
func TestErrorMessagesTrial29(t *testing.T) {
	code, _, errs := runCmd(t, "convert", "1.2mg/dL", "--to", "umol/L", "--analyte", "acr")
	if code != 2 || strings.Contains(errs, "QUANTITY") || !strings.Contains(errs, "convert: unit mg/dL does not fit acr") {
		t.Errorf("convert wrong unit: exit %d, %q", code, errs)
	}
	code, _, errs = runCmd(t, "egfr", "--creatinine", "106umol/L", "--age", "54", "--sex", "female", "--equation", "all")
	if code != 2 || strings.Contains(errs, "not known") || !strings.Contains(errs, "only with a table (--in FILE)") {
		t.Errorf("egfr --equation all without --in: exit %d, %q", code, errs)
	}
	bin := filepath.Join(t.TempDir(), "garbage.bin")
	raw := []byte{'?', 0xc2, 'q', '=', '^', 0xaa, '9', 0xd1, 0x8f, 0x01, 0x02, 0xff, 0xfe, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm'}
	if err := os.WriteFile(bin, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs = runCmd(t, "import", "--db", filepath.Join(t.TempDir(), "rw.db"), bin)
	if code != 2 || !utf8.ValidString(errs) || strings.ContainsRune(errs, 'я') || strings.ContainsRune(errs, 0x01) || !strings.Contains(errs, `\xaa`) {
		t.Errorf("import of a binary file: exit %d, %q; want its bytes escaped", code, errs)
	}
	if strings.Contains(errs, "klm") {
		t.Errorf("import of a binary file quotes more than a few bytes: %q", errs)
	}
}
