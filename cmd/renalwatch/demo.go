package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"renalwatch/demo"
	"renalwatch/store"
)

const demoExample = `  renalwatch demo
  renalwatch demo --db /tmp/demo.db --json`

// demoSummary is "renalwatch demo --json".
type demoSummary struct {
	DB        string       `json:"db"`
	Read      int          `json:"read"`      // resources in the embedded Bundles
	Imported  int          `json:"imported"`  // items newly stored (0 when run again)
	Unchanged int          `json:"unchanged"` // items already stored with the same content
	AsOf      string       `json:"as_of"`     // the day the patient list was assessed at
	Patients  []patientRow `json:"patients"`  // the demonstration patients, as in "patients --json"
	Next      []string     `json:"next"`      // commands to run next
	Note      string       `json:"note"`
}

const demoNote = "The demonstration patients are synthetic and hand-written (demo/data/README.md); no value comes from a real person."

// runDemo implements "renalwatch demo [--db PATH] [--json]": it imports the
// embedded demonstration patients into the store and lists them.
func runDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("demo", "demo [--db PATH] [--json]", demoExample, stderr)
	dbPath := fs.String("db", "renalwatch.db", "SQLite database `PATH` (created if missing)")
	asJSON := fs.Bool("json", false, "print JSON")
	wait := waitFlag(fs)
	pos, err := parseFlags(fs, args, stdout)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return badInputf("demo takes no arguments, got %q (give the database with --db PATH)", strings.Join(pos, " "))
	}
	ps, err := demo.Load(now())
	if err != nil {
		return err // the embedded data is part of the program: exit 1
	}
	db, err := openWriter(ctx, *dbPath, *wait, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := refuseNonDemoStore(ctx, db, "demo", *dbPath); err != nil {
		return err
	}
	sum := demoSummary{DB: dbName(*dbPath), Patients: []patientRow{}, Next: []string{}, Note: demoNote}
	ids := map[string]bool{}
	for _, p := range ps {
		res, err := db.Import(ctx, &p.Batch, store.ImportOptions{Strict: true})
		if err != nil {
			return fmt.Errorf("demo %s: %w", p.File, err)
		}
		if len(res.Rejected) > 0 {
			// A stored item with the same id and other content: the
			// database holds an older or edited copy of the demo.
			return fmt.Errorf("demo %s: %d items not imported (nothing of this patient was stored), first: %v; use another --db", p.File, len(res.Rejected), res.Rejected[0])
		}
		sum.Read += p.Read
		sum.Imported += res.Imported
		sum.Unchanged += res.Unchanged
		ids[p.ID] = true
	}
	day, _ := asOfDay("demo", "")
	sum.AsOf = day.Format("2006-01-02")
	if sum.Patients, err = patientRows(ctx, db, day, ids); err != nil {
		return err
	}
	db0 := " --db " + shellQuote(dbName(*dbPath))
	for _, p := range ps {
		sum.Next = append(sum.Next, "renalwatch report "+p.ID+db0)
	}
	sum.Next = append(sum.Next, "renalwatch report "+ps[0].ID+db0+" --json", "renalwatch report "+ps[0].ID+db0+" --fhir", "renalwatch patients"+db0)
	if *asJSON {
		return writeJSON(stdout, sum)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Demonstration patients in %s: %d resources read from the embedded FHIR Bundles; items imported %d, unchanged %d.\n",
		safeText(dbName(*dbPath)), sum.Read, sum.Imported, sum.Unchanged)
	b.WriteString(demoNote + "\n\n")
	if _, err := io.WriteString(stdout, b.String()); err != nil {
		return err
	}
	if err := printPatients(stdout, &patientsList{AsOf: sum.AsOf, Patients: sum.Patients}, unitsConventional); err != nil {
		return err
	}
	b.Reset()
	b.WriteString("\nNext (with 'go run ./cmd/renalwatch' in place of 'renalwatch' in a source checkout):\n")
	for _, c := range sum.Next {
		b.WriteString("  " + safeText(c) + "\n")
	}
	_, err = io.WriteString(stdout, b.String())
	return err
}

// shellQuote quotes s for a POSIX shell when it holds anything but safe
// characters.
func shellQuote(s string) string {
	safe := s != ""
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./:=+,@", r)) {
			safe = false
			break
		}
	}
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
