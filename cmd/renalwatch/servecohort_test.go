package main

import (
	"context"
	"io"
	"path/filepath"
	"testing"

	"renalwatch/synth"
)

// TestDemoCohortOnce: the first "serve --demo" start stores the 200
// virtual patients; a second start finds them and changes nothing.
func TestDemoCohortOnce(t *testing.T) {
	demoNow(t)
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "cohort.db")
	if err := runDemo(ctx, []string{"--db", path, "--json"}, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	n, err := importDemoCohort(ctx, path, io.Discard)
	if err != nil || n != demoCohortPatients {
		t.Fatalf("first start: %d, %v; want %d", n, err, demoCohortPatients)
	}
	count := func() (patients, obs int) {
		db, err := openStore(ctx, path, false)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		ps, err := db.Patients(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range ps {
			obs += p.Observations
		}
		return len(ps), obs
	}
	p1, o1 := count()
	if p1 != 5+demoCohortPatients || o1 == 0 {
		t.Fatalf("%d patients, %d observations; want 5 demonstration + %d virtual", p1, o1, demoCohortPatients)
	}
	if n, err := importDemoCohort(ctx, path, io.Discard); err != nil || n != 0 {
		t.Fatalf("second start: %d, %v; want 0 (nothing imported)", n, err)
	}
	if p2, o2 := count(); p2 != p1 || o2 != o1 {
		t.Errorf("second start changed the store: %d/%d patients, %d/%d observations", p2, p1, o2, o1)
	}
	db, err := openStore(ctx, path, false)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Patient(ctx, synth.PatientID(demoCohortSeed, 0)); err != nil {
		t.Errorf("virtual patient 0: %v", err)
	}
}
