package main

import (
	"context"
	"io"

	"renalwatch/demo"
	"renalwatch/internal/labtext"
	"renalwatch/store"
	"renalwatch/synth"
)

// demoPatient reports whether id is one of the patients 'demo' and
// 'serve --demo' load: the five demonstration patients (demo.IDs) and the
// virtual cohort (synth.PatientID of demoCohortSeed, 0 to
// demoCohortPatients-1). Their records are synthetic and loaded with
// Strict imports, so a stored patient under one of these ids with other
// content makes the load fail rather than mix with it.
func demoPatient(id string) bool {
	for _, d := range demo.IDs() {
		if id == d {
			return true
		}
	}
	for i := range demoCohortPatients {
		if id == synth.PatientID(demoCohortSeed, i) {
			return true
		}
	}
	return false
}

// refuseNonDemoStore refuses (exit 2) a store holding any patient that is
// not a demonstration or virtual-cohort patient (demoPatient), or whose
// audit trail lists an import (refuseImportedDemoStore): 'demo' adds
// its patients without an audit row, and 'serve --demo' serves every
// patient of the store without a token, so run on a store of imported
// (possibly real) records they would mix synthetic records into it and
// serve the real ones to anyone on the machine (trial 9 F-g). The message
// names the store and how many such patients it holds, never who.
func refuseNonDemoStore(ctx context.Context, db store.Store, cmd, dbPath string) error {
	ps, err := db.Patients(ctx)
	if err != nil {
		return err
	}
	n := 0
	for _, p := range ps {
		if !demoPatient(p.Patient.ID) {
			n++
		}
	}
	if n == 0 {
		return refuseImportedDemoStore(ctx, db, cmd, dbPath)
	}
	return badInputf("%s: %s holds %s that %s not among the synthetic demonstration patients (imported records, possibly real), so nothing was added: "+
		"'demo' adds its records without an audit row, and 'serve --demo' serves every patient of its store without a token. "+
		"Give a new file (--db demo.db), or serve this store with 'renalwatch serve --token-file FILE --db %s'",
		cmd, safeText(dbName(dbPath)), labtext.Count(n, "patient"), labtext.Noun(n, "is", "are"), safeText(shellQuote(dbName(dbPath))))
}

// refuseImportedDemoStore refuses (exit 2) a store whose audit trail holds
// any import row (Action "import"), even when every patient in it has a
// demonstration id: the demonstration loads write no import rows, so such
// a row means records were imported into it, and an imported row under a
// demonstration id (a potassium of 6.9 for stem-cell) would be served
// without a token under the "synthetic patients only" banner (trial 11
// F1). A store that keeps no audit trail (not a store.Auditor) has none.
func refuseImportedDemoStore(ctx context.Context, db store.Store, cmd, dbPath string) error {
	a, ok := db.(store.Auditor)
	if !ok {
		return nil
	}
	es, err := a.AuditLog(ctx, store.AuditQuery{})
	if err != nil {
		return err
	}
	n := 0
	for _, e := range es {
		if e.Action == "import" {
			n++
		}
	}
	if n == 0 {
		return nil
	}
	return badInputf("%s: %s holds imported records (its audit trail lists %s), which may be real even under the synthetic demonstration patients' ids, so nothing was added: "+
		"'demo' adds its records without an audit row, and 'serve --demo' serves every patient of its store without a token. "+
		"Give a new file (--db demo.db), or serve this store with 'renalwatch serve --token-file FILE --db %s'",
		cmd, safeText(dbName(dbPath)), labtext.Count(n, "import row"), safeText(shellQuote(dbName(dbPath))))
}

// checkDemoStore opens the store at dbPath (creating a missing SQLite
// file, as 'demo' does) and refuses it for cmd when it holds other
// patients (refuseNonDemoStore).
func checkDemoStore(ctx context.Context, cmd, dbPath string, stderr io.Writer) error {
	db, err := openWriter(ctx, dbPath, 0, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	return refuseNonDemoStore(ctx, db, cmd, dbPath)
}
