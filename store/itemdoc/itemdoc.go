// Package itemdoc holds the JSON documents the stores keep in their items
// table (conditions, findings, biopsies, therapies, kidney replacement),
// one definition for every backend so that SQLite and PostgreSQL hold the
// same JSON. Enums are stored by name so that reordering a Go enum never
// changes what a stored row means.
package itemdoc

import (
	"encoding/json"
	"fmt"
	"time"

	"renalwatch/record"
)

// Item kinds in the items table.
const (
	KindCondition   = "condition"
	KindFinding     = "finding"
	KindBiopsy      = "biopsy"
	KindTherapy     = "therapy"
	KindReplacement = "replacement"
	// KindRetraction is a record.Retraction: the item it withdraws stays
	// stored as it was.
	KindRetraction = "retraction"
)

// The JSON documents stored in items.doc. Enums are stored by name so that
// reordering a Go enum never changes what a stored row means.

type conditionJSON struct {
	ID, PatientID, Kind, Stage, LNClass, Status string
	Onset, Abatement                            time.Time
	Provenance                                  record.Provenance
	// Verification was added in schema version 2; older documents lack it.
	Verification string `json:",omitempty"`
}

// Condition returns the document stored for a condition (encode it with
// encoding/json).
func Condition(c record.Condition) any {
	return conditionJSON{c.ID, c.PatientID, c.Kind.String(), c.Stage, c.LNClass, c.Status, c.Onset, c.Abatement, Bare(c.Provenance), c.Verification}
}

type findingJSON struct {
	ID, PatientID, Code string
	Present             bool
	Score               *float64
	Time                time.Time
	Provenance          record.Provenance
}

// Finding returns the document stored for a clinical finding (encode it with
// encoding/json).
func Finding(f record.Finding) any {
	return findingJSON{f.ID, f.PatientID, f.Code, f.Present, f.Score, f.Time, Bare(f.Provenance)}
}

type biopsyJSON record.Biopsy

// Biopsy returns the document stored for a kidney biopsy (encode it with
// encoding/json).
func Biopsy(b record.Biopsy) any {
	b.Provenance = Bare(b.Provenance)
	return biopsyJSON(b)
}

type therapyJSON struct {
	ID, PatientID, Class, Name, Dose, Status string
	Start, End                               time.Time
	Provenance                               record.Provenance
}

// Therapy returns the document stored for a therapy record (encode it with
// encoding/json).
func Therapy(t record.Therapy) any {
	return therapyJSON{t.ID, t.PatientID, t.Class.String(), t.Name, t.Dose, t.Status, t.Start, t.End, Bare(t.Provenance)}
}

type replacementJSON struct {
	ID, PatientID, Kind string
	Start, End          time.Time
	Provenance          record.Provenance
}

// Replacement returns the document stored for a dialysis or transplant event (encode it with
// encoding/json).
func Replacement(r record.Replacement) any {
	return replacementJSON{r.ID, r.PatientID, r.Kind.String(), r.Start, r.End, Bare(r.Provenance)}
}

type retractionJSON struct {
	ID, PatientID, Kind, Target, Status, Sent string
	Provenance                                record.Provenance
}

// Retraction returns the document stored for a retraction (encode it with
// encoding/json).
func Retraction(r record.Retraction) any {
	return retractionJSON{r.ID, r.PatientID, r.Kind, r.Target, r.Status, r.Sent, Bare(r.Provenance)}
}

// Bare drops where an item was read from (file and line): stores keep what
// an item is, not where it was last seen.
func Bare(p record.Provenance) record.Provenance {
	p.File, p.Line = "", 0
	return p
}

func utc(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC()
}

// Decode adds the item stored as doc under kind to b.
func Decode(kind string, doc []byte, b *record.Batch) error {
	bad := func(err error) error { return fmt.Errorf("stored %s: %w", kind, err) }
	switch kind {
	case KindCondition:
		var d conditionJSON
		if err := json.Unmarshal(doc, &d); err != nil {
			return bad(err)
		}
		k, ok := record.ParseConditionKind(d.Kind)
		if !ok {
			return bad(fmt.Errorf("unknown condition kind %q", d.Kind))
		}
		b.Conditions = append(b.Conditions, record.Condition{ID: d.ID, PatientID: d.PatientID, Kind: k, Stage: d.Stage,
			LNClass: d.LNClass, Onset: utc(d.Onset), Abatement: utc(d.Abatement), Status: d.Status, Verification: d.Verification,
			Provenance: d.Provenance})
	case KindFinding:
		var d findingJSON
		if err := json.Unmarshal(doc, &d); err != nil {
			return bad(err)
		}
		b.Findings = append(b.Findings, record.Finding{ID: d.ID, PatientID: d.PatientID, Code: d.Code, Present: d.Present,
			Score: d.Score, Time: utc(d.Time), Provenance: d.Provenance})
	case KindBiopsy:
		var d biopsyJSON
		if err := json.Unmarshal(doc, &d); err != nil {
			return bad(err)
		}
		x := record.Biopsy(d)
		x.Time = utc(x.Time)
		b.Biopsies = append(b.Biopsies, x)
	case KindTherapy:
		var d therapyJSON
		if err := json.Unmarshal(doc, &d); err != nil {
			return bad(err)
		}
		c, ok := record.ParseTherapyClass(d.Class)
		if !ok {
			return bad(fmt.Errorf("unknown therapy class %q", d.Class))
		}
		b.Therapies = append(b.Therapies, record.Therapy{ID: d.ID, PatientID: d.PatientID, Class: c, Name: d.Name,
			Start: utc(d.Start), End: utc(d.End), Dose: d.Dose, Status: d.Status, Provenance: d.Provenance})
	case KindReplacement:
		var d replacementJSON
		if err := json.Unmarshal(doc, &d); err != nil {
			return bad(err)
		}
		k, ok := record.ParseReplacementKind(d.Kind)
		if !ok {
			return bad(fmt.Errorf("unknown replacement kind %q", d.Kind))
		}
		b.Replacements = append(b.Replacements, record.Replacement{ID: d.ID, PatientID: d.PatientID, Kind: k,
			Start: utc(d.Start), End: utc(d.End), Provenance: d.Provenance})
	case KindRetraction:
		var d retractionJSON
		if err := json.Unmarshal(doc, &d); err != nil {
			return bad(err)
		}
		b.Retractions = append(b.Retractions, record.Retraction{ID: d.ID, PatientID: d.PatientID, Kind: d.Kind, Target: d.Target,
			Status: d.Status, Sent: d.Sent, Provenance: d.Provenance})
	case KindCorrection:
		if err := decodeCorrection(doc, b); err != nil {
			return bad(err)
		}
	default:
		return bad(fmt.Errorf("unknown item kind"))
	}
	return nil
}
