package fhir

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"time"

	"renalwatch/record"
	"renalwatch/units"
)

// Reasons a resource is rejected. Every Rejection unwraps to one of them.
var (
	ErrBadJSON        = errors.New("bad JSON")
	ErrMissing        = errors.New("missing element")
	ErrMissingUnit    = errors.New("missing unit")
	ErrUnknownUnit    = errors.New("unknown unit")
	ErrUnitConflict   = errors.New("unit and code disagree")
	ErrWrongUnit      = errors.New("unit does not fit the analyte")
	ErrImplausible    = errors.New("implausible value")
	ErrBadDate        = errors.New("bad date")
	ErrFuture         = errors.New("date in the future")
	ErrBadReference   = errors.New("unresolvable patient reference")
	ErrBadComparator  = errors.New("unknown comparator")
	ErrBadFindingCode = errors.New("unknown finding code")
	ErrBadBiopsyItem  = errors.New("unknown NIH biopsy item")
	ErrTooLong        = errors.New("line too long")
)

// Rejection is one resource (or one component of a panel) that was refused,
// with where it was and why.
type Rejection struct {
	File         string
	Line         int // 1-based line of an NDJSON file; 0 inside a Bundle
	Entry        int // 1-based Bundle entry; 0 in NDJSON
	ResourceType string
	ID           string // resource id, with "#code" for a panel component
	Err          error  // unwraps to one of the Err… sentinels
	// What the rejected item was, as far as the reader had read it before
	// refusing it, so that a reader of the result can name it (CDS Hooks
	// cards list what they left out, and that a newer result of a test
	// was sent): the analyte its code maps to (0: not an analyte, or not
	// read that far), the time it was taken (zero: not read or not a
	// valid date), and its value and unit as sent (empty: none).
	Analyte     units.Analyte
	Time        time.Time
	Value, Unit string
}

func (r Rejection) Error() string {
	return fmt.Sprintf("%s: %s: %v", r.Where(), r.Label(), r.Err)
}

// Label names the resource rejected: "Observation/o1"; "Bundle (no id)"
// for one without an id, never the id of a resource inside it (trial 9
// F-e); "resource (no resourceType, no id)" when neither could be read.
func (r Rejection) Label() string {
	switch {
	case r.ID != "" && r.ResourceType != "":
		return r.ResourceType + "/" + r.ID
	case r.ID != "":
		return "resource " + r.ID + " (no resourceType)"
	case r.ResourceType != "":
		return r.ResourceType + " (no id)"
	}
	return "resource (no resourceType, no id)"
}

// Unwrap returns the reason.
func (r Rejection) Unwrap() error { return r.Err }

// reasons are the Err… sentinels, for Reason.
var reasons = []error{ErrBadJSON, ErrMissing, ErrMissingUnit, ErrUnknownUnit, ErrUnitConflict, ErrWrongUnit, ErrImplausible,
	ErrBadDate, ErrFuture, ErrBadReference, ErrBadComparator, ErrBadFindingCode, ErrBadBiopsyItem, ErrTooLong, ErrBadID, ErrBadText, ErrOutOfRange, ErrNotFinal}

// Reason is the Err… sentinel the rejection unwraps to, in a few words
// ("implausible value"); "" when it unwraps to none.
func (r Rejection) Reason() string {
	for _, e := range reasons {
		if errors.Is(r.Err, e) {
			return e.Error()
		}
	}
	return ""
}

// Where returns "file:line" or "file entry N".
func (r Rejection) Where() string {
	switch {
	case r.Line > 0:
		return fmt.Sprintf("%s:%d", r.File, r.Line)
	case r.Entry > 0:
		return fmt.Sprintf("%s entry %d", r.File, r.Entry)
	}
	return r.File
}

// CodeCount counts resources that share a code (or, with an empty Code, a
// resource type) and what happened to them.
type CodeCount struct {
	ResourceType string
	System       string
	Code         string
	Display      string // the first display seen for the code
	Reason       string // why these were not imported, or the note on them
	Count        int
	// Example names the first item counted and its value as the source
	// wrote it ("Observation/e1: 25 mL/min"), for reasons that are about a
	// value; empty otherwise.
	Example string
}

// Result is what reading one file gave.
type Result struct {
	File  string
	Batch record.Batch
	// Read counts resources read: NDJSON lines and Bundle entries, not the
	// Bundle itself.
	Read     int
	Rejected []Rejection
	// Unmapped are resources whose code (or resource type) RenalWatch does
	// not read, by code, most frequent first.
	Unmapped []CodeCount
	// Ignored are kidney-relevant codes that are recognised and
	// deliberately not imported, with the reason.
	Ignored []CodeCount
	// Skipped are resources left out on purpose by rule, such as an
	// Observation with status "preliminary" or a value absent with a
	// dataAbsentReason.
	Skipped []CodeCount
	// NotFinal are the Observations of a test RenalWatch reads skipped
	// for their status (preliminary, registered, unknown), each with its
	// test, value, unit and date as sent and an Err that unwraps to
	// ErrNotFinal; filled only when Reader.KeepNotFinal is set. They are
	// not rejected: nothing is wrong with them, but a result that is not
	// final is not used.
	NotFinal []Rejection
	// Notes count the decisions taken on imported items, such as an eGFR
	// whose unit was written mL/min.
	Notes []CodeCount
}

type countKey struct{ rt, system, code, reason string }

type counter struct {
	m map[countKey]*CodeCount
}

func (c *counter) add(rt string, cd coding, reason string) {
	c.addExample(rt, cd, reason, "")
}

// addExample counts like add and keeps example when it is the first item
// counted under the reason.
func (c *counter) addExample(rt string, cd coding, reason, example string) {
	if c.m == nil {
		c.m = map[countKey]*CodeCount{}
	}
	k := countKey{rt, cd.System, cd.Code, reason}
	if e, ok := c.m[k]; ok {
		e.Count++
		return
	}
	c.m[k] = &CodeCount{ResourceType: rt, System: cd.System, Code: cd.Code, Display: cd.Display, Reason: reason, Count: 1, Example: example}
}

func (c *counter) list() []CodeCount {
	out := make([]CodeCount, 0, len(c.m))
	for _, e := range c.m {
		out = append(out, *e)
	}
	slices.SortFunc(out, func(a, b CodeCount) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return cmp.Or(cmp.Compare(a.ResourceType, b.ResourceType), cmp.Compare(a.System, b.System),
			cmp.Compare(a.Code, b.Code), cmp.Compare(a.Reason, b.Reason))
	})
	return out
}
