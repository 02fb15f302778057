// The item documents are those of store/sqlite (items.go there), copied
// so that both stores hold the same JSON and neither imports the other.

package postgres

import (
	"encoding/json"
	"fmt"
	"time"

	"renalwatch/record"
)

// Item kinds in the items table.
const (
	kindCondition   = "condition"
	kindFinding     = "finding"
	kindBiopsy      = "biopsy"
	kindTherapy     = "therapy"
	kindReplacement = "replacement"
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

func conditionDoc(c record.Condition) conditionJSON {
	return conditionJSON{c.ID, c.PatientID, c.Kind.String(), c.Stage, c.LNClass, c.Status, c.Onset, c.Abatement, bare(c.Provenance), c.Verification}
}

type findingJSON struct {
	ID, PatientID, Code string
	Present             bool
	Score               *float64
	Time                time.Time
	Provenance          record.Provenance
}

func findingDoc(f record.Finding) findingJSON {
	return findingJSON{f.ID, f.PatientID, f.Code, f.Present, f.Score, f.Time, bare(f.Provenance)}
}

type biopsyJSON record.Biopsy

func biopsyDoc(b record.Biopsy) biopsyJSON {
	b.Provenance = bare(b.Provenance)
	return biopsyJSON(b)
}

type therapyJSON struct {
	ID, PatientID, Class, Name, Dose, Status string
	Start, End                               time.Time
	Provenance                               record.Provenance
}

func therapyDoc(t record.Therapy) therapyJSON {
	return therapyJSON{t.ID, t.PatientID, t.Class.String(), t.Name, t.Dose, t.Status, t.Start, t.End, bare(t.Provenance)}
}

type replacementJSON struct {
	ID, PatientID, Kind string
	Start, End          time.Time
	Provenance          record.Provenance
}

func replacementDoc(r record.Replacement) replacementJSON {
	return replacementJSON{r.ID, r.PatientID, r.Kind.String(), r.Start, r.End, bare(r.Provenance)}
}

// bare drops where an item was read from (file and line): stores keep what
// an item is, not where it was last seen.
func bare(p record.Provenance) record.Provenance {
	p.File, p.Line = "", 0
	return p
}

func utc(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC()
}

func decodeItem(kind string, doc []byte, b *record.Batch) error {
	bad := func(err error) error { return fmt.Errorf("stored %s: %w", kind, err) }
	switch kind {
	case kindCondition:
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
	case kindFinding:
		var d findingJSON
		if err := json.Unmarshal(doc, &d); err != nil {
			return bad(err)
		}
		b.Findings = append(b.Findings, record.Finding{ID: d.ID, PatientID: d.PatientID, Code: d.Code, Present: d.Present,
			Score: d.Score, Time: utc(d.Time), Provenance: d.Provenance})
	case kindBiopsy:
		var d biopsyJSON
		if err := json.Unmarshal(doc, &d); err != nil {
			return bad(err)
		}
		x := record.Biopsy(d)
		x.Time = utc(x.Time)
		b.Biopsies = append(b.Biopsies, x)
	case kindTherapy:
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
	case kindReplacement:
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
	default:
		return bad(fmt.Errorf("unknown item kind"))
	}
	return nil
}
