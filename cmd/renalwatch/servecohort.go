package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"time"

	"renalwatch/store"
	"renalwatch/synth"
)

// The virtual cohort "serve --demo" adds to the demonstration patients
// (issue 11: "the demo patients and a virtual cohort (no real patients)"),
// so that the list has enough patients to sort and filter. Fixed seed,
// size and end of follow-up: every start generates the same bytes.
const (
	demoCohortPatients = 200
	demoCohortSeed     = 11
)

// demoCohortEnd is the last day of the cohort's follow-up: the
// demonstration data's reference date (demo/data/README.md), so that the
// virtual patients are as current as the five demonstration patients.
var demoCohortEnd = time.Date(2026, 10, 15, 0, 0, 0, 0, time.UTC)

// demoCohortDone reports whether the cohort is stored already: its last
// patient with observations. Each file is imported in one transaction and
// observations come last, so a start stopped half-way is completed by the
// next one.
func demoCohortDone(ctx context.Context, db store.Store) (bool, error) {
	last := synth.PatientID(demoCohortSeed, demoCohortPatients-1)
	ps, err := db.Patients(ctx)
	if err != nil {
		return false, err
	}
	for _, p := range ps {
		if p.Patient.ID == last {
			return p.Observations > 0, nil
		}
	}
	return false, nil
}

// importDemoCohort generates the virtual cohort into dbPath unless it is
// there already (a second start changes nothing). It returns how many
// patients it imported (0 when the cohort was there).
func importDemoCohort(ctx context.Context, dbPath string, stderr io.Writer) (int, error) {
	db, err := openWriter(ctx, dbPath, 0, stderr)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	if done, err := demoCohortDone(ctx, db); err != nil || done {
		return 0, err
	}
	opt := synth.Options{Patients: demoCohortPatients, Seed: demoCohortSeed, Format: synth.NDJSON,
		End: int(demoCohortEnd.Unix() / 86400), Workers: 2}
	bufs := map[string]*bytes.Buffer{}
	ws := map[string]io.Writer{}
	for _, name := range opt.Files() {
		bufs[name] = &bytes.Buffer{}
		ws[name] = bufs[name]
	}
	if _, err := synth.Write(ctx, opt, ws); err != nil {
		return 0, fmt.Errorf("demo cohort: %w", err)
	}
	for _, name := range synth.FHIRFiles() { // patients first; truth.ndjson is not a record
		sink := &rejectionSink{}
		fsum, _, err := importReader(ctx, db, name, bufs[name], "", now(), true, sink, nil)
		if err != nil {
			return 0, fmt.Errorf("demo cohort: %w", err)
		}
		if fsum.NotImported || sink.n > 0 {
			return 0, fmt.Errorf("demo cohort %s: %d items rejected (nothing of the file was stored); use another --db", name, sink.n)
		}
	}
	return demoCohortPatients, nil
}
