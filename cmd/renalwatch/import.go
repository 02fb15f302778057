package main

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"renalwatch/csvio"
	"renalwatch/fhir"
	"renalwatch/record"
	"renalwatch/store"
)

// now is the clock the import commands use to reject dates in the future;
// tests replace it.
var now = time.Now

const importExample = `  renalwatch import Patient.ndjson Observation.ndjson Condition.ndjson --db renalwatch.db
  renalwatch import bundle.json --strict
  renalwatch import patients.csv labs.csv therapies.csv --json`

// importSummary is the JSON form of an import (renalwatch import --json).
type importSummary struct {
	Files    []fileSummary  `json:"files"`
	Totals   importTotals   `json:"totals"`
	Rejected []rejectedItem `json:"rejected"`
	Unmapped []codeSummary  `json:"unmapped"`
	Ignored  []codeSummary  `json:"ignored"`
	Skipped  []codeSummary  `json:"skipped"`
	Notes    []codeSummary  `json:"notes"`
}

type importTotals struct {
	Read       int `json:"read"`
	Imported   int `json:"imported"`
	Unchanged  int `json:"unchanged"`
	Duplicates int `json:"duplicates"`
	Rejected   int `json:"rejected"`
	Unmapped   int `json:"unmapped"`
	// UnitFromLOINC counts blood pressure values (LOINC 8480-6, 8462-4)
	// read without a unit and stored in mm[Hg], the unit of their LOINC
	// definition; each carries that note (issue 7 item 14).
	UnitFromLOINC int `json:"unit_from_loinc"`
}

type fileSummary struct {
	File   string `json:"file"`
	Format string `json:"format"` // fhir or csv
	importTotals
	// NotImported is true when --strict refused the file: nothing of it
	// was stored.
	NotImported bool `json:"not_imported"`
}

type rejectedItem struct {
	File         string `json:"file"`
	Line         int    `json:"line,omitempty"`
	Entry        int    `json:"entry,omitempty"`
	ResourceType string `json:"resource_type,omitempty"`
	ID           string `json:"id,omitempty"`
	Reason       string `json:"reason"`
}

type codeSummary struct {
	ResourceType string `json:"resource_type"`
	System       string `json:"system,omitempty"`
	Code         string `json:"code,omitempty"`
	Display      string `json:"display,omitempty"`
	Reason       string `json:"reason"`
	Count        int    `json:"count"`
}

// runImport implements "renalwatch import FILE... [--db PATH] [--strict] [--json]".
func runImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("import", "import FILE... [--db PATH] [--strict] [--source NAME] [--json]", importExample, stderr)
	dbPath := fs.String("db", "renalwatch.db", "SQLite database `PATH` (created if missing)")
	strict := fs.Bool("strict", false, "refuse a whole file when any resource or row in it is rejected")
	source := fs.String("source", "", "source system `NAME` recorded with items whose resources do not name one (meta.source)")
	asJSON := fs.Bool("json", false, "print the summary as JSON")
	wait := waitFlag(fs)
	files, err := parseFlags(fs, args, stdout)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return badInputf("import needs at least one FILE (FHIR Bundle JSON, Bulk Data NDJSON or CSV)")
	}
	files, err = importOrder(files)
	if err != nil {
		return badInputf("import: %w", err)
	}
	db, err := openWriter(ctx, *dbPath, *wait, stderr)
	if err != nil {
		return err
	}
	defer db.Close()

	var (
		sum                               = importSummary{}
		unmapped, ignored, skipped, noted = codeTally{}, codeTally{}, codeTally{}, codeTally{}
		readAt                            = now()
	)
	var failed error // stops the import; the summary of the files before it is still printed
	for _, name := range files {
		fsum, rejected, res, err := importFile(ctx, db, name, *source, readAt, *strict)
		if err != nil {
			failed = importStopped(err, name, len(sum.Files))
			break
		}
		sum.Files = append(sum.Files, fsum)
		sum.Rejected = append(sum.Rejected, rejected...)
		if res != nil {
			unmapped.add(res.Unmapped)
			ignored.add(res.Ignored)
			skipped.add(res.Skipped)
			noted.add(res.Notes)
		}
		t := &sum.Totals
		t.Read += fsum.Read
		t.Imported += fsum.Imported
		t.Unchanged += fsum.Unchanged
		t.Duplicates += fsum.Duplicates
		t.Rejected += fsum.Rejected
		t.Unmapped += fsum.Unmapped
		t.UnitFromLOINC += fsum.UnitFromLOINC
	}
	sum.Unmapped, sum.Ignored, sum.Skipped, sum.Notes = unmapped.list(), ignored.list(), skipped.list(), noted.list()
	if failed != nil && len(sum.Files) == 0 {
		return failed
	}
	if *asJSON {
		if err := writeJSON(stdout, sum); err != nil {
			return err
		}
	} else if err := printImport(stdout, &sum); err != nil {
		return err
	}
	if failed != nil {
		return failed
	}
	if sum.Totals.Rejected > 0 {
		if *strict {
			return badInputf("import: %d rejected; files with a rejection were not imported (--strict)", sum.Totals.Rejected)
		}
		return badInputf("import: %d rejected (listed above); everything else was imported", sum.Totals.Rejected)
	}
	return nil
}

// importOrder puts files that start with Patient resources or a patients
// CSV header first, so that the other files find their patients; the order
// is otherwise kept.
func importOrder(files []string) ([]string, error) {
	type ranked struct {
		name string
		rank int
	}
	var rs []ranked
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			return nil, err
		}
		br := bufio.NewReader(fh)
		head, _ := br.Peek(4096)
		fh.Close()
		r := 1
		h := bytes.ReplaceAll(head, []byte(" "), nil)
		if bytes.HasPrefix(h, []byte(`{"resourceType":"Patient"`)) || bytes.HasPrefix(bytes.ToLower(h), []byte("patient_id,birth_date")) {
			r = 0
		}
		rs = append(rs, ranked{f, r})
	}
	slices.SortStableFunc(rs, func(a, b ranked) int { return cmp.Compare(a.rank, b.rank) })
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.name
	}
	return out, nil
}

func isCSV(name string) bool { return strings.EqualFold(filepath.Ext(name), ".csv") }

// importFile reads one file and stores it in one transaction.
func importFile(ctx context.Context, db store.Store, name, source string, readAt time.Time, strict bool) (fileSummary, []rejectedItem, *fhir.Result, error) {
	fh, err := os.Open(name)
	if err != nil {
		return fileSummary{File: name, Format: "fhir"}, nil, nil, badInputf("import: %w", err)
	}
	defer fh.Close()
	return importReader(ctx, db, name, fh, source, readAt, strict)
}

// importReader reads one file's content from fh (name selects the format,
// as importFile's file name does) and stores it in one transaction; the
// server's import route shares it.
func importReader(ctx context.Context, db store.Store, name string, fh io.Reader, source string, readAt time.Time, strict bool) (fileSummary, []rejectedItem, *fhir.Result, error) {
	fsum := fileSummary{File: name, Format: "fhir"}
	var (
		batch    *record.Batch
		rejected []rejectedItem
		fres     *fhir.Result
	)
	if isCSV(name) {
		fsum.Format = "csv"
		rd := csvio.Reader{Now: readAt, System: source}
		res, err := rd.Read(name, fh)
		if err != nil {
			if errors.Is(err, csvio.ErrHeader) || errors.Is(err, csvio.ErrSyntax) {
				return fsum, nil, nil, badInputf("import: %w", err)
			}
			return fsum, nil, nil, err
		}
		batch, fsum.Read = &res.Batch, res.Read
		for _, r := range res.Rejected {
			rejected = append(rejected, rejectedItem{File: r.File, Line: r.Line, ID: r.ID, Reason: r.Err.Error()})
		}
	} else {
		rd := fhir.Reader{Now: readAt, System: source}
		res, err := rd.Read(name, fh)
		if err != nil {
			return fsum, nil, nil, fmt.Errorf("import %s: %w", name, err)
		}
		fres, batch, fsum.Read = res, &res.Batch, res.Read
		for _, r := range res.Rejected {
			rejected = append(rejected, rejectedItem{File: r.File, Line: r.Line, Entry: r.Entry, ResourceType: r.ResourceType, ID: r.ID, Reason: r.Err.Error()})
		}
		for _, u := range res.Unmapped {
			fsum.Unmapped += u.Count
		}
		for _, n := range res.Notes {
			if strings.HasPrefix(n.Reason, fhir.UnitFromLOINC) {
				fsum.UnitFromLOINC += n.Count
			}
		}
	}
	if strict && len(rejected) > 0 {
		fsum.Rejected, fsum.NotImported = len(rejected), true
		return fsum, rejected, fres, nil
	}
	res, err := db.Import(ctx, batch, store.ImportOptions{Strict: strict})
	if err != nil {
		return fsum, nil, nil, fmt.Errorf("import %s: %w", name, err)
	}
	for _, r := range res.Rejected {
		rt, id := r.Provenance.ResourceType, r.ID
		if rt != "" && rt != "csv" {
			id = strings.TrimPrefix(id, rt+"/")
		} else {
			rt = ""
		}
		rejected = append(rejected, rejectedItem{File: name, Line: r.Provenance.Line, ResourceType: rt, ID: id, Reason: r.Err.Error()})
	}
	fsum.Imported, fsum.Unchanged, fsum.Duplicates = res.Imported, res.Unchanged, res.Duplicates
	fsum.Rejected, fsum.NotImported = len(rejected), res.RolledBack
	if res.RolledBack {
		fsum.Imported = 0
	}
	return fsum, rejected, fres, nil
}

// codeTally merges code counts across files.
type codeTally map[[4]string]*codeSummary

func (t codeTally) add(cs []fhir.CodeCount) {
	for _, c := range cs {
		k := [4]string{c.ResourceType, c.System, c.Code, c.Reason}
		if e, ok := t[k]; ok {
			e.Count += c.Count
			continue
		}
		t[k] = &codeSummary{ResourceType: c.ResourceType, System: c.System, Code: c.Code, Display: c.Display, Reason: c.Reason, Count: c.Count}
	}
}

func (t codeTally) list() []codeSummary {
	out := []codeSummary{}
	for _, c := range t {
		out = append(out, *c)
	}
	slices.SortFunc(out, func(a, b codeSummary) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.ResourceType, b.ResourceType), cmp.Compare(a.System, b.System),
			cmp.Compare(a.Code, b.Code), cmp.Compare(a.Reason, b.Reason))
	})
	return out
}

// maxListed bounds the rejected and unmapped lists in the text summary;
// --json lists everything.
const maxListed = 25

func printImport(w io.Writer, s *importSummary) error {
	s = s.safe() // input text escaped (safetext.go)
	var b strings.Builder
	for _, f := range s.Files {
		fmt.Fprintf(&b, "%s (%s): read %d, imported %d, unchanged %d, duplicates %d, rejected %d, unmapped %d",
			f.File, f.Format, f.Read, f.Imported, f.Unchanged, f.Duplicates, f.Rejected, f.Unmapped)
		if f.NotImported {
			b.WriteString(" (not imported: --strict)")
		}
		b.WriteByte('\n')
	}
	t := s.Totals
	fmt.Fprintf(&b, "\nTotal: %d resources or rows read; items imported %d, unchanged %d, duplicates %d; rejected %d; unmapped %d\n",
		t.Read, t.Imported, t.Unchanged, t.Duplicates, t.Rejected, t.Unmapped)
	b.WriteString("(A blood pressure panel gives two items; a duplicate is a measurement already stored under another id.)\n")
	if t.UnitFromLOINC > 0 {
		fmt.Fprintf(&b, "Blood pressure values without a unit in the source: %d, stored as mm[Hg], the unit of their LOINC definition (8480-6, 8462-4; no other analyte gets a unit inferred)\n", t.UnitFromLOINC)
	}
	if len(s.Rejected) > 0 {
		fmt.Fprintf(&b, "\nRejected (%d):\n", len(s.Rejected))
		for i, r := range s.Rejected {
			if i == maxListed {
				fmt.Fprintf(&b, "  … and %d more (--json lists all)\n", len(s.Rejected)-maxListed)
				break
			}
			where := r.File
			switch {
			case r.Line > 0:
				where = fmt.Sprintf("%s:%d", r.File, r.Line)
			case r.Entry > 0:
				where = fmt.Sprintf("%s entry %d", r.File, r.Entry)
			}
			id := r.ID
			if r.ResourceType != "" {
				id = r.ResourceType + "/" + r.ID
			}
			if id != "" {
				id += ": "
			}
			fmt.Fprintf(&b, "  %s: %s%s\n", where, id, r.Reason)
		}
	}
	listCodes(&b, "Unmapped (not imported; by code)", s.Unmapped, false)
	listCodes(&b, "Recognised kidney codes not imported, with the reason", s.Ignored, true)
	listCodes(&b, "Skipped by rule", s.Skipped, true)
	listCodes(&b, "Notes on imported items", s.Notes, true)
	_, err := io.WriteString(w, b.String())
	return err
}

func listCodes(b *strings.Builder, title string, cs []codeSummary, reasons bool) {
	if len(cs) == 0 {
		return
	}
	fmt.Fprintf(b, "\n%s:\n", title)
	for i, c := range cs {
		if i == maxListed {
			rest := 0
			for _, c := range cs[i:] {
				rest += c.Count
			}
			fmt.Fprintf(b, "  … %d more codes, %d resources (--json lists all)\n", len(cs)-maxListed, rest)
			break
		}
		code := c.ResourceType
		if c.Code != "" {
			code += " " + shortSystem(c.System) + c.Code
		}
		line := fmt.Sprintf("  %6d  %s", c.Count, code)
		if c.Display != "" {
			line += " " + c.Display
		}
		if reasons && c.Reason != "" {
			line += ": " + c.Reason
		}
		b.WriteString(line + "\n")
	}
}

func shortSystem(s string) string {
	switch s {
	case "http://loinc.org":
		return "LOINC|"
	case "http://snomed.info/sct":
		return "SNOMED|"
	case "http://www.nlm.nih.gov/research/umls/rxnorm":
		return "RxNorm|"
	case "http://hl7.org/fhir/sid/icd-10-cm":
		return "ICD-10-CM|"
	case "http://www.whocc.no/atc":
		return "ATC|"
	case "":
		return ""
	}
	return s + "|"
}
