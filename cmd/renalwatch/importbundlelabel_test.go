package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Trial 9 F-e: "import" listed a Bundle without an id whose "entry" is
// given twice as "dupe.json: Bundle/cp1: bad JSON …", cp1 being a Patient
// inside it; it names the Bundle, "Bundle (no id)".
func TestImportRejectedBundleWithoutID(t *testing.T) {
	dir := t.TempDir()
	pat := `{"resource":{"resourceType":"Patient","id":"cp1","gender":"female","birthDate":"1980-01-01"}}`
	f := filepath.Join(dir, "dupe.json")
	if err := os.WriteFile(f, []byte(`{"resourceType":"Bundle","type":"collection","entry":[`+pat+`],"entry":[`+pat+`]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	_, out, errs := runCmd(t, "import", f, "--db", filepath.Join(dir, "d.db"))
	if !strings.Contains(out, ": Bundle (no id): bad JSON: key \"entry\" is given twice") || strings.Contains(out+errs, "cp1") {
		t.Errorf("rejection not named as the Bundle:\n%s\n%s", out, errs)
	}
}
