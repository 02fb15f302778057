package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// A report --fhir Bundle holds no Patient: imported into a store without
// the patient, its eGFRs are all rejected (unknown patient), and the
// summary must not also say they were "kept, listed under Not used"
// (trial 11 F2: "Nothing was imported" beside "Notes on imported items: 5
// … kept"), with or without --strict, in text or --json.
func TestReportBundleUnknownPatientNoKeptNote(t *testing.T) {
	demoNow(t)
	const id = "ln-class-iv-g4"
	_, bundle := demoReportBundle(t, t.TempDir(), id)
	dir := t.TempDir()
	for i, extra := range [][]string{nil, {"--strict"}} {
		db := filepath.Join(dir, "fresh"+string(rune('a'+i))+".db")
		args := append([]string{"import", bundle, "--db", db}, extra...)
		code, sum, _ := runCmd(t, args...)
		if code != 2 || !strings.Contains(sum, "Nothing was imported") || !strings.Contains(sum, "unknown patient: "+id) ||
			strings.Contains(sum, "Notes on imported items") || strings.Contains(sum, "eGFR computed by RenalWatch in an earlier report") {
			t.Errorf("%v: exit %d, summary:\n%s", args, code, sum)
		}
		code, js, _ := runCmd(t, append(args, "--json")...)
		var s struct {
			Notes []json.RawMessage `json:"notes"`
		}
		if err := json.Unmarshal([]byte(js), &s); code != 2 || err != nil || len(s.Notes) != 0 {
			t.Errorf("%v --json: exit %d, %v, notes %s", args, code, err, s.Notes)
		}
	}
}
