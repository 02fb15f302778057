// Package demo holds RenalWatch's demonstration patients: five synthetic,
// hand-written FHIR R4 Bundles (data/*.json, described in data/README.md)
// embedded in the binary, so that "renalwatch demo" works on a fresh clone
// without any file to download.
//
// The patients are invented; no value comes from a real person or a data
// set. They are shaped to show the assessment's main paths: lupus nephritis
// progressing to CKD G4 through two renal flares (ln-class-iv-g4), a
// complete renal response (ln-complete-response), a child whose eGFR needs
// CKiD U25 and her height (child-ln), haemodialysis then a kidney transplant
// (dialysis), and an unproven therapy (stem-cell).
//
// This is an adapter: it reads the embedded files with the fhir package and
// returns record batches; storing them is the caller's job.
package demo

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"time"

	"renalwatch/fhir"
	"renalwatch/record"
)

//go:embed data/*.json
var data embed.FS

// Patient is one demonstration patient read from its embedded Bundle.
type Patient struct {
	// ID is the patient id, also the file's base name.
	ID string
	// File names the embedded file ("demo/data/ID.json"), as the items'
	// provenance does.
	File string
	// Batch holds everything read from the file.
	Batch record.Batch
	// Read counts the resources in the file.
	Read int
}

// ids are the demonstration patients in the order they are presented;
// TestFilesMatchIDs checks that it names every embedded file.
var ids = []string{"ln-class-iv-g4", "ln-complete-response", "child-ln", "dialysis", "stem-cell"}

// IDs returns the ids of the demonstration patients, the file names
// without ".json", in the order they are presented (the headline patient
// first).
func IDs() []string { return slices.Clone(ids) }

// embedded returns the ids of the embedded files, sorted.
func embedded() []string {
	names, _ := fs.Glob(data, "data/*.json")
	out := make([]string, 0, len(names))
	for _, n := range names {
		out = append(out, strings.TrimSuffix(path.Base(n), ".json"))
	}
	slices.Sort(out)
	return out
}

// Load reads every demonstration Bundle with a fhir.Reader whose clock is
// now (a date after now is rejected, as on import). It fails when a file
// has any rejected or unmapped resource, or does not hold exactly the one
// patient its name promises: the demonstration data must read cleanly.
func Load(now time.Time) ([]Patient, error) {
	var out []Patient
	for _, id := range IDs() {
		name := "data/" + id + ".json"
		raw, err := data.ReadFile(name)
		if err != nil {
			return nil, err
		}
		file := "demo/" + name
		rd := fhir.Reader{Now: now}
		res, err := rd.Read(file, bytes.NewReader(raw))
		if err != nil {
			return nil, fmt.Errorf("demo %s: %w", file, err)
		}
		if len(res.Rejected) > 0 {
			return nil, fmt.Errorf("demo %s: %d resources rejected, first: %v", file, len(res.Rejected), res.Rejected[0])
		}
		if len(res.Unmapped) > 0 {
			u := res.Unmapped[0]
			return nil, fmt.Errorf("demo %s: %d codes not read, first: %s %s|%s", file, len(res.Unmapped), u.ResourceType, u.System, u.Code)
		}
		if len(res.Batch.Patients) != 1 || res.Batch.Patients[0].ID != id {
			return nil, fmt.Errorf("demo %s: want exactly one patient %q, got %d", file, id, len(res.Batch.Patients))
		}
		out = append(out, Patient{ID: id, File: file, Batch: res.Batch, Read: res.Read})
	}
	return out, nil
}
