package fhir

import (
	"errors"
	"strings"
)

// ErrNotFinal: an Observation whose status says its result is not final
// (Result.NotFinal).
var ErrNotFinal = errors.New("status not final")

// notFinalError is why a result is not used: "status preliminary: not
// used until final". It unwraps to ErrNotFinal.
type notFinalError struct{ status string }

func (e notFinalError) Error() string { return "status " + e.status + ": not used until final" }
func (e notFinalError) Unwrap() error { return ErrNotFinal }

// notFinal reads an Observation skipped for its status registered,
// preliminary or unknown (FHIR R4 observation-status: preliminary "This
// is an initial or interim observation: data may be incomplete or
// unverified"; registered "no result yet available"; unknown, the source
// does not know which status applies). Its result is never used: only a
// final (or amended, corrected) result is (fhir.md). It is counted in
// Skipped by code with its status, as before, now with the first one as
// the example ("Observation/k1: 6.5 mmol/L, 2026-12-06"), so the import
// summary names one; and when the Reader keeps them (KeepNotFinal), an
// Observation of a test RenalWatch reads is named in Result.NotFinal
// with its test, value and unit as sent, and date (trial 10 F16: a
// preliminary potassium of 6.5 mmol/L gave no card and was named
// nowhere: a clinician must know such a value exists).
func (f *file) notFinal(r *resource) {
	rj := Rejection{File: f.res.File, Line: f.line, Entry: f.entry, ResourceType: r.ResourceType, ID: r.ID, Err: notFinalError{r.Status}}
	for _, c := range r.Code.Coding {
		if c.System != systemLOINC {
			continue
		}
		if cf := f.codes.facts(c.Code); cf.analyteK {
			rj.Analyte = cf.analyte
			break
		}
	}
	if eff := effective(r); eff != "" {
		if t, _, err := f.whenPrec("effective", eff); err == nil {
			rj.Time = t
		}
	}
	if q := r.ValueQuantity; q != nil && q.Value != nil {
		rj.Value, rj.Unit = quantityValue(q), sentUnit(q)
	}
	example := ""
	if rj.Value != "" {
		example = r.ResourceType + "/" + r.ID + ": " + strings.TrimSpace(rj.Value+" "+rj.Unit)
		if !rj.Time.IsZero() {
			example += ", " + rj.Time.UTC().Format("2006-01-02")
		}
	}
	f.skipped.addExample(r.ResourceType, anyCoding(r.Code), "status "+r.Status, example)
	if f.r.KeepNotFinal && rj.Analyte != 0 {
		f.res.NotFinal = append(f.res.NotFinal, rj)
	}
}
