package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"renalwatch/csvio"
	"renalwatch/fhir"
	"renalwatch/internal/inputs"
	"renalwatch/internal/labtext"
	"renalwatch/record"
	"renalwatch/store"
)

// now is the clock the import commands use to reject dates in the future;
// tests replace it.
var now = time.Now

const importExample = `  renalwatch import Patient.ndjson Observation.ndjson Condition.ndjson --db renalwatch.db
  renalwatch import bundle.json --strict
  renalwatch import patients.csv labs.csv therapies.csv diagnoses.csv biopsies.csv findings.csv --json
  renalwatch import bulk-export --db renalwatch.db   # a Bulk Data export folder: its *.ndjson(.gz) files
  renalwatch import Observation.ndjson.gz labs.csv.gz # gzip is read by its content, whatever the name`

// importSummary is the JSON form of an import (renalwatch import --json).
type importSummary struct {
	Files    []fileSummary  `json:"files"`
	Totals   importTotals   `json:"totals"`
	Rejected []rejectedItem `json:"rejected"`
	Unmapped []codeSummary  `json:"unmapped"`
	Ignored  []codeSummary  `json:"ignored"`
	Skipped  []codeSummary  `json:"skipped"`
	Notes    []codeSummary  `json:"notes"`
	// Retracted are the resources sent as entered in error: retractions
	// of the records stored under their ids (importretract.go).
	Retracted []retractedItem `json:"retracted,omitempty"`
	// Corrections are the values the source corrected: each names the
	// value stored before and the correction (importcorrect.go).
	Corrections []correctedItem `json:"corrections,omitempty"`
	// PatientUpdates are the patients whose stored details the import
	// replaced (importupdate.go).
	PatientUpdates []patientUpdate `json:"patient_updates,omitempty"`
	// NotApplied are the Patients with other details and a
	// meta.lastUpdated older than the stored details': not applied.
	NotApplied []patientUpdate `json:"patient_updates_not_applied,omitempty"`
	// SkippedFiles are the files of a folder argument (a Bulk Data
	// export) that were not read: its log, OperationOutcome files and
	// anything that is not NDJSON.
	SkippedFiles []inputs.Skipped `json:"skipped_files,omitempty"`
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
	// Retractions counts retractions stored for the first time (a
	// retraction sent again is counted as unchanged).
	Retractions int `json:"retractions,omitempty"`
	// Corrected counts corrections stored for the first time: an
	// Observation sent again under a stored id with status amended or
	// corrected and a new value (store.ImportResult.Corrected). A
	// correction sent again is counted as unchanged, and one with nothing
	// stored under its id as imported.
	Corrected int `json:"corrected,omitempty"`
	// Updated counts patients whose stored details a Patient sent again
	// with other details replaced (store.ImportResult.Updated).
	Updated int `json:"updated,omitempty"`
}

type fileSummary struct {
	File   string `json:"file"`
	Format string `json:"format"` // fhir or csv
	importTotals
	// NotImported is true when --strict refused the file: nothing of it
	// was stored.
	NotImported bool `json:"not_imported"`
	// retracted lists the file's retractions (importSummary.Retracted).
	retracted []retractedItem
	// corrections lists the file's corrections stored
	// (importSummary.Corrections).
	corrections []correctedItem
	// updates and stale list the file's patient updates
	// (importSummary.PatientUpdates, NotApplied).
	updates, stale []patientUpdate
	// auditRows counts the audit rows of patients the file's transaction
	// wrote (store.ImportResult.AuditRows).
	auditRows int
}

type rejectedItem struct {
	File         string `json:"file"`
	Line         int    `json:"line,omitempty"`
	Entry        int    `json:"entry,omitempty"`
	ResourceType string `json:"resource_type,omitempty"`
	ID           string `json:"id,omitempty"`
	Reason       string `json:"reason"`
	// dependent marks an item rejected because its patient was rejected in
	// this import: a consequence, listed after the rejections of its file.
	dependent bool
}

type codeSummary struct {
	ResourceType string `json:"resource_type"`
	System       string `json:"system,omitempty"`
	Code         string `json:"code,omitempty"`
	Display      string `json:"display,omitempty"`
	Reason       string `json:"reason"`
	Count        int    `json:"count"`
	// Example is the first item counted and its value, for reasons about
	// a value (an eGFR written in mL/min).
	Example string `json:"example,omitempty"`
}

// runImport implements "renalwatch import FILE... [--db PATH] [--strict] [--json]".
func runImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("import", "import FILE|FOLDER... [--db PATH] [--strict] [--source NAME] [--json]",
		importExample+"\n\nCSV layouts (columns found by name, in any order; [optional]; README \"Import\"):\n  "+strings.ReplaceAll(inputs.CSVLayouts(), "; ", "\n  "), stderr)
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
	files, skippedFiles, err := inputs.Folders(files)
	if err != nil {
		return importInputError(err)
	}
	files, err = importOrder(files)
	if err != nil {
		return err
	}
	db, err := openWriter(ctx, *dbPath, *wait, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	// The import streams: what it holds at any time is one chunk (and at
	// most one 64 MiB line). A soft limit on the Go heap keeps the garbage
	// of reading from piling up to twice the peak before it is collected
	// (issue 8 item 4: peak RSS <= 256 MiB, with SQLite's 64 MiB page cache
	// outside the Go heap). It is soft: a larger live heap only makes the
	// collector run more often.
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(importMemoryLimit))

	var (
		sum                               = importSummary{SkippedFiles: skippedFiles}
		unmapped, ignored, skipped, noted = codeTally{}, codeTally{}, codeTally{}, codeTally{}
		readAt                            = now()
		// Each file's transaction writes the rows of the patients it
		// changed; the run's own row (auditImport) has the same time and
		// who.
		audit = &store.ImportAudit{Time: readAt, Who: cliUser()}
	)
	var failed error // stops the import; the summary of the files before it is still printed
	sink, err := newRejectionSink(*asJSON)
	if err != nil {
		return err
	}
	defer sink.close()
	for _, name := range files {
		fsum, res, err := importFile(ctx, db, name, *source, readAt, *strict, sink, audit)
		if err != nil {
			failed = importStopped(err, name, len(sum.Files))
			break
		}
		sum.Files = append(sum.Files, fsum)
		sum.Retracted = append(sum.Retracted, fsum.retracted...)
		sum.Corrections = append(sum.Corrections, fsum.corrections...)
		sum.PatientUpdates = append(sum.PatientUpdates, fsum.updates...)
		sum.NotApplied = append(sum.NotApplied, fsum.stale...)
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
		t.Retractions += fsum.Retractions
		t.Corrected += fsum.Corrected
		t.Updated += fsum.Updated
	}
	sum.Unmapped, sum.Ignored, sum.Skipped, sum.Notes = unmapped.list(), ignored.list(), skipped.list(), noted.list()
	sum.Rejected = sortRejected(sink.first)
	if err := auditImport(ctx, db, &sum, audit, failed); err != nil {
		failed = errors.Join(failed, err)
	}
	if failed != nil && len(sum.Files) == 0 {
		return failed
	}
	if *asJSON {
		if err := sink.writeJSON(stdout, sum); err != nil {
			return err
		}
	} else if err := printImport(stdout, &sum); err != nil {
		return err
	}
	if failed != nil {
		return failed
	}
	return importOutcome(sum.Totals, *strict)
}

// nothingStored reports whether an import stored nothing and found
// nothing already stored: every row rejected or unmapped, or no row at all.
// A retraction stored (an entered-in-error resource, trial 3 #2) or a
// correction is something stored.
func nothingStored(t importTotals) bool {
	return t.Imported == 0 && t.Unchanged == 0 && t.Duplicates == 0 && t.Retractions == 0 && t.Corrected == 0 && t.Updated == 0
}

// StoredNothing reports whether the import stored nothing and found
// nothing already stored (nothingStored): POST /api/import then answers 422
// with the summary, as the command exits 2 (trial 7 #1: an upload whose
// every row was rejected, or a cut-off Bundle, answered 200).
func (sum importSummary) StoredNothing() bool { return nothingStored(sum.Totals) }

// importOutcome is the error the import exits with, nil on success (exit
// 2 for bad input, README "Import"): something was rejected, or nothing
// was imported at all (trial #14: a file whose every row was rejected
// read "everything else was imported"; an empty file exited 0 with a
// summary of zeros).
func importOutcome(t importTotals, strict bool) error {
	nothing := nothingStored(t)
	switch {
	case t.Rejected > 0 && strict:
		if nothing {
			return badInputf("import: nothing was imported: %d rejected; files with a rejection are not imported (--strict)", t.Rejected)
		}
		return badInputf("import: %d rejected; files with a rejection were not imported (--strict)", t.Rejected)
	case t.Rejected > 0 && nothing:
		return badInputf("import: nothing was imported: %s rejected (listed above)", every(t.Rejected, "the row or resource was", "all %d rows or resources were"))
	case t.Rejected > 0 && t.Imported == 0 && t.Updated == 0:
		return badInputf("import: %d rejected (listed above); everything else was already stored", t.Rejected)
	case t.Rejected > 0:
		return badInputf("import: %d rejected (listed above); everything else was imported", t.Rejected)
	case nothing && t.Read == 0:
		return badInputf("import: nothing was imported: no resource or row was read (an empty file, or a CSV with a header only)")
	case nothing && t.Unmapped == 0:
		// trial 4 #2: only resources skipped by rule (a refuted or
		// preliminary one) read "all 0 resources are not read".
		return badInputf("import: nothing was imported: what was read was skipped by rule or is not used (listed above)")
	case nothing:
		return badInputf("import: nothing was imported: %s not read by RenalWatch (listed above)", every(t.Unmapped, "the resource is", "all %d resources are"))
	}
	return nil
}

// every is one when n is 1, else many with n.
func every(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return fmt.Sprintf(many, n)
}

// importOrder is inputs.PatientsFirst, its errors as import reports them.
func importOrder(files []string) ([]string, error) {
	out, err := inputs.PatientsFirst(files)
	if err != nil {
		return nil, importInputError(err)
	}
	return out, nil
}

// importMemoryLimit is the soft limit on the Go heap during an import.
const importMemoryLimit = 128 << 20

// importChunk is how many items (or rejections) are read before they are
// stored: a file of any size is read, checked and stored in chunks of this
// size inside its one transaction, so that memory does not grow with it.
const importChunk = 16 << 10

// importFile reads one file and stores it in one transaction, chunk by
// chunk; its rejections go to sink.
func importFile(ctx context.Context, db store.Store, name, source string, readAt time.Time, strict bool, sink *rejectionSink, audit *store.ImportAudit) (fileSummary, *fhir.Result, error) {
	fh, err := inputs.Open(name)
	if err != nil {
		return fileSummary{File: name, Format: string(inputs.FHIR)}, nil, importInputError(err)
	}
	defer fh.Close()
	return importReader(ctx, db, name, fh, source, readAt, strict, sink, audit)
}

// importReader reads one file's content from fh (gunzipped when it is
// gzip; FHIR or CSV as its content shows, inputs.Sniff) and
// stores it in one transaction, chunk by chunk; its rejections go to sink. With strict, a rejection by the
// reader rolls the file back at once (the rest is still read, to list every
// rejection), and one by the store at the end. With audit, the transaction
// writes the audit row of each patient whose record it changed
// (store.ImportAudit). The server's import route shares it.
func importReader(ctx context.Context, db store.Store, name string, fh io.Reader, source string, readAt time.Time, strict bool, sink *rejectionSink, audit *store.ImportAudit) (fileSummary, *fhir.Result, error) {
	fsum := fileSummary{File: name, Format: string(inputs.FHIR)}
	fh, format, err := inputs.Sniff(name, fh)
	if err != nil {
		return fsum, nil, importInputError(err)
	}
	before := sink.n
	unstored := unstoredNotes{}
	tx, err := db.BeginImport(ctx, store.ImportOptions{Strict: strict, Audit: audit, OnReject: func(r store.Rejection) {
		unstored.add(r)
		rt, id := r.Provenance.ResourceType, r.ID
		if rt != "" && rt != "csv" {
			id = strings.TrimPrefix(id, rt+"/")
		} else {
			rt = ""
		}
		it := rejectedItem{File: name, Line: r.Provenance.Line, ResourceType: rt, ID: id, Reason: r.Err.Error()}
		if errors.Is(r.Err, store.ErrUnknownPatient) {
			// The patient's own rejection is the cause: named, and listed
			// before its consequences.
			if why, ok := sink.rejectedPatient(r.PatientID, name); ok {
				it.Reason, it.dependent = why, true
			}
		}
		sink.add(it)
	}})
	if err != nil {
		return fsum, nil, fmt.Errorf("import %s: %w", name, err)
	}
	defer tx.Rollback()
	refused := false // strict, and the reader rejected something: nothing of the file is stored
	add := func(b *record.Batch, rejected int) error {
		if strict && rejected > 0 && !refused {
			refused = true
			if err := tx.Rollback(); err != nil {
				return err
			}
		}
		if refused {
			return nil
		}
		return tx.Add(b)
	}
	var fres *fhir.Result
	if format == inputs.CSV {
		fsum.Format = string(inputs.CSV)
		rd := csvio.Reader{Now: readAt, System: source}
		res, err := rd.ReadChunks(name, fh, importChunk, func(b *record.Batch, rej []csvio.Rejection) error {
			for _, r := range rej {
				it := rejectedItem{File: r.File, Line: r.Line, ID: r.ID, Reason: r.Err.Error()}
				if r.Patient != "" {
					sink.patientRejected(r.Patient, it)
				}
				sink.add(it)
			}
			return add(b, len(rej))
		})
		if err != nil {
			if errors.Is(err, csvio.ErrHeader) || errors.Is(err, csvio.ErrSyntax) {
				return fsum, nil, badInputf("import: %w", err)
			}
			return fsum, nil, fmt.Errorf("import %s: %w", name, err)
		}
		fsum.Read = res.Read
	} else {
		rd := fhir.Reader{Now: readAt, System: source}
		res, err := rd.ReadChunks(name, fh, importChunk, func(b *record.Batch, rej []fhir.Rejection) error {
			for _, r := range rej {
				sink.add(rejectedItem{File: r.File, Line: r.Line, Entry: r.Entry, ResourceType: r.ResourceType, ID: r.ID, Reason: r.Err.Error()})
			}
			fsum.retracted = append(fsum.retracted, retractedItems(name, b.Retractions)...) // not the corrections
			return add(b, len(rej))
		})
		if err != nil {
			return fsum, nil, fmt.Errorf("import %s: %w", name, err)
		}
		fres, fsum.Read = res, res.Read
		for _, u := range res.Unmapped {
			fsum.Unmapped += u.Count
		}
	}
	if refused {
		fsum.Rejected, fsum.NotImported = sink.n-before, true
		if fres != nil {
			fres.Notes = unstored.storedOnly(fres.Notes, true)
			fsum.UnitFromLOINC = unitFromLOINC(fres.Notes)
		}
		return fsum, fres, nil
	}
	res, err := tx.Commit()
	if err != nil {
		return fsum, nil, fmt.Errorf("import %s: %w", name, err)
	}
	if fres != nil {
		fres.Notes = unstored.storedOnly(fres.Notes, res.RolledBack)
		fsum.UnitFromLOINC = unitFromLOINC(fres.Notes)
	}
	fsum.Imported, fsum.Unchanged, fsum.Duplicates, fsum.Retractions = res.Imported, res.Unchanged, res.Duplicates, res.Retractions
	fsum.Corrected, fsum.Updated = res.Corrected, res.Updated
	fsum.Rejected, fsum.NotImported, fsum.auditRows = sink.n-before, res.RolledBack, res.AuditRows
	if res.RolledBack {
		fsum.Imported, fsum.Retractions, fsum.Corrected, fsum.Updated = 0, 0, 0, 0
	} else {
		fsum.updates, fsum.stale = patientUpdates(name, res.PatientChanges), patientUpdates(name, res.NotApplied)
		fsum.corrections = correctedItems(name, res.Corrections)
	}
	return fsum, fres, nil
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
		t[k] = &codeSummary{ResourceType: c.ResourceType, System: c.System, Code: c.Code, Display: c.Display, Reason: c.Reason, Count: c.Count, Example: c.Example}
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
		fmt.Fprintf(&b, "%s (%s): read %d, imported %d, unchanged %d, duplicates %d%s, rejected %d, unmapped %d",
			f.File, f.Format, f.Read, f.Imported, f.Unchanged, f.Duplicates, withdrawn(f.importTotals), f.Rejected, f.Unmapped)
		if f.NotImported {
			b.WriteString(" (not imported: --strict)")
		}
		b.WriteByte('\n')
	}
	t := s.Totals
	fmt.Fprintf(&b, "\nTotal: %d %s read; items imported %d, unchanged %d, duplicates %d%s; rejected %d; unmapped %d\n",
		t.Read, labtext.Noun(t.Read, "resource or row", "resources or rows"), t.Imported, t.Unchanged, t.Duplicates, withdrawn(t), t.Rejected, t.Unmapped)
	b.WriteString("(A blood pressure panel gives two items; a duplicate is a measurement already stored under another id.)\n")
	if nothingStored(t) {
		b.WriteString("Nothing was imported.\n")
	}
	if t.UnitFromLOINC > 0 {
		fmt.Fprintf(&b, "Blood pressure values without a unit in the source: %d, stored as mm[Hg], the unit of their LOINC definition (8480-6, 8462-4; no other analyte gets a unit inferred)\n", t.UnitFromLOINC)
	}
	if len(s.Rejected) > 0 {
		// s.Rejected holds the first maxListed; t.Rejected counts them all.
		fmt.Fprintf(&b, "\nRejected (%d):\n", t.Rejected)
		for i, r := range s.Rejected {
			if i == maxListed {
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
				// As fhir.Rejection.Label: a resource without an id is
				// named so, not "Bundle/" (trial 9 F-e).
				id = fhir.Rejection{ResourceType: r.ResourceType, ID: r.ID}.Label()
			}
			if id != "" {
				id += ": "
			}
			fmt.Fprintf(&b, "  %s: %s%s\n", where, id, r.Reason)
		}
		if t.Rejected > len(s.Rejected) {
			fmt.Fprintf(&b, "  … and %d more (--json lists all)\n", t.Rejected-len(s.Rejected))
		}
	}
	listCodes(&b, "Unmapped (not imported; by code)", s.Unmapped, false)
	listCodes(&b, "Recognised kidney codes not imported, with the reason", s.Ignored, true)
	printRetracted(&b, s.Retracted)
	printUpdated(&b, s.PatientUpdates, s.NotApplied)
	printCorrected(&b, s.Corrections)
	listCodes(&b, "Skipped by rule", s.Skipped, true)
	listCodes(&b, "Notes on imported items", s.Notes, true)
	if len(s.SkippedFiles) > 0 {
		fmt.Fprintf(&b, "\nFiles of the folder not read (%d):\n", len(s.SkippedFiles))
		for _, f := range s.SkippedFiles {
			fmt.Fprintf(&b, "  %s: %s\n", safeText(f.File), f.Reason)
		}
	}
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
			fmt.Fprintf(b, "  … %d more %s, %s (--json lists all)\n", len(cs)-maxListed, labtext.Noun(len(cs)-maxListed, "code", "codes"), labtext.Count(rest, "resource"))
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
		if c.Example != "" {
			line += "; first: " + c.Example
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
