package cohort

import (
	"fmt"
	"strings"
	"time"

	"renalwatch/record"
	"renalwatch/store"
)

// afterBirth drops the items of b dated before the birth of p, the
// patient as resolved (patientOf), as import rejects them
// (record.Patient.CheckItemAfterBirth, the rule store/importcore applies):
// each is a problem in import's words at its file and line. where turns
// a line of the data b was read from into its file and line; nil when the
// items carry their own (the CSV layouts).
func afterBirth(p record.Patient, b *record.Batch, where func(int) (string, int), report func(Problem) error) error {
	if p.BirthDate.IsZero() {
		return nil
	}
	var failed error
	check := func(kind, id string, prov record.Provenance, t time.Time, prec record.DatePrecision) bool {
		err := p.CheckItemAfterBirth(kind, t, prec)
		if err == nil || failed != nil {
			return err == nil
		}
		pr := Problem{File: prov.File, Line: prov.Line, ID: id, Err: fmt.Errorf("%w: %w", store.ErrInvalid, err)}
		if rt := prov.ResourceType; rt != "" && rt != "csv" { // as import names it
			pr.ResourceType, pr.ID = rt, strings.TrimPrefix(id, rt+"/")
		}
		if where != nil {
			pr.File, pr.Line = where(prov.Line)
		}
		failed = report(pr)
		return false
	}
	b.Observations = keep(b.Observations, func(o *record.Observation) bool {
		return check("observation", o.ID, o.Provenance(), o.Time, o.TimePrecision)
	})
	b.Conditions = keep(b.Conditions, func(x *record.Condition) bool {
		return check("condition", x.ID, x.Provenance, x.Onset, record.PrecisionDay)
	})
	b.Findings = keep(b.Findings, func(x *record.Finding) bool {
		return check("finding", x.ID, x.Provenance, x.Time, record.PrecisionDay)
	})
	b.Biopsies = keep(b.Biopsies, func(x *record.Biopsy) bool {
		return check("biopsy", x.ID, x.Provenance, x.Time, record.PrecisionDay)
	})
	b.Therapies = keep(b.Therapies, func(x *record.Therapy) bool {
		return check("therapy", x.ID, x.Provenance, x.Start, record.PrecisionDay)
	})
	b.Replacements = keep(b.Replacements, func(x *record.Replacement) bool {
		return check("replacement", x.ID, x.Provenance, x.Start, record.PrecisionDay)
	})
	return failed
}

// keep returns the elements of xs for which ok is true, in place.
func keep[T any](xs []T, ok func(*T) bool) []T {
	out := xs[:0]
	for i := range xs {
		if ok(&xs[i]) {
			out = append(out, xs[i])
		}
	}
	return out
}
