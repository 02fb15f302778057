package importcore

import (
	"fmt"
	"time"

	"renalwatch/record"
	"renalwatch/store"
	"renalwatch/store/itemdoc"
)

// Run checks and stores one chunk of items: patients first, then
// observations, then the other kinds, each dated item checked against its
// patient's birth.
func (im *Importer) Run(b *record.Batch) error {
	if err := im.patients(b.Patients); err != nil {
		return err
	}
	if err := im.observations(b.Observations, func(i int) func(*record.Batch) {
		return func(p *record.Batch) { p.Observations = append(p.Observations, b.Observations[i]) }
	}); err != nil {
		return err
	}
	withdrawals, corrections := splitCorrections(b.Retractions)
	if len(corrections) > 0 {
		if err := im.corrections(corrections); err != nil {
			return err
		}
	}
	for _, c := range b.Conditions {
		err := im.item(itemdoc.KindCondition, c.ID, c.PatientID, c.Provenance, c.Onset,
			func(p *record.Batch) { p.Conditions = append(p.Conditions, c) },
			func() Item {
				v1 := c
				v1.Verification = "" // what store/sqlite's schema version 1 stored
				return Item{Hash: c.ContentHash(), V1: v1.ContentHash(), Doc: itemdoc.Condition(c)}
			})
		if err != nil {
			return err
		}
	}
	for _, f := range b.Findings {
		err := im.item(itemdoc.KindFinding, f.ID, f.PatientID, f.Provenance, f.Time,
			func(p *record.Batch) { p.Findings = append(p.Findings, f) },
			func() Item { h := f.ContentHash(); return Item{Hash: h, V1: h, Doc: itemdoc.Finding(f)} })
		if err != nil {
			return err
		}
	}
	for _, x := range b.Biopsies {
		err := im.item(itemdoc.KindBiopsy, x.ID, x.PatientID, x.Provenance, x.Time,
			func(p *record.Batch) { p.Biopsies = append(p.Biopsies, x) },
			func() Item { h := x.ContentHash(); return Item{Hash: h, V1: h, Doc: itemdoc.Biopsy(x)} })
		if err != nil {
			return err
		}
	}
	for _, x := range b.Therapies {
		err := im.item(itemdoc.KindTherapy, x.ID, x.PatientID, x.Provenance, x.Start,
			func(p *record.Batch) { p.Therapies = append(p.Therapies, x) },
			func() Item { h := x.ContentHash(); return Item{Hash: h, V1: h, Doc: itemdoc.Therapy(x)} })
		if err != nil {
			return err
		}
	}
	for _, x := range b.Replacements {
		err := im.item(itemdoc.KindReplacement, x.ID, x.PatientID, x.Provenance, x.Start,
			func(p *record.Batch) { p.Replacements = append(p.Replacements, x) },
			func() Item { h := x.ContentHash(); return Item{Hash: h, V1: h, Doc: itemdoc.Replacement(x)} })
		if err != nil {
			return err
		}
	}
	for _, x := range withdrawals {
		// A retraction withdraws a result of its own patient: one whose
		// subject names another patient than the stored item's would be
		// stored for that other patient and withdraw nothing (trial 6 #1).
		if pid, ok, err := im.b.Holder(x.Kind, x.Target); err != nil {
			return err
		} else if ok && pid != x.PatientID {
			im.Reject(x.Kind, x.Target, x.PatientID, x.Provenance, fmt.Errorf("%w: %s %s is stored for patient %s, but this retraction (%s) names patient %s; "+
				"nothing was withdrawn: send it from the item's own patient", store.ErrConflict, x.Kind, x.Target, pid, x.Status, x.PatientID))
			continue
		}
		err := im.item(itemdoc.KindRetraction, x.ID, x.PatientID, x.Provenance, time.Time{},
			func(p *record.Batch) { p.Retractions = append(p.Retractions, x) },
			func() Item { h := x.ContentHash(); return Item{Hash: h, V1: h, Doc: itemdoc.Retraction(x)} })
		if err != nil {
			return err
		}
	}
	return nil
}

// patient looks a patient up in the store (once per import).
func (im *Importer) patient(id string) (patientBirth, error) {
	if pb, seen := im.known[id]; seen {
		return pb, nil
	}
	p, exists, err := im.b.Birth(id)
	if err != nil {
		return patientBirth{}, err
	}
	pb := patientBirth{exists: exists, p: p}
	im.known[id] = pb
	return pb, nil
}

// check rejects items without an id, with an unknown patient, or dated
// (t, given to precision prec) before the patient's birth
// (record.Patient.CheckItemAfterBirth). An item
// whose patient is not known yet is held by hold(add) until Flush when
// there is room (ok is then false, and nothing is rejected).
func (im *Importer) check(kind, id, pid string, prov record.Provenance, notes []string, t time.Time, prec record.DatePrecision,
	add func(*record.Batch)) (ok bool, err error) {
	reject := func(err error) {
		im.reject(store.Rejection{Kind: kind, ID: id, PatientID: pid, Provenance: prov, Err: err, Notes: notes})
	}
	if id == "" || pid == "" {
		reject(fmt.Errorf("%w: an item needs an id and a patient", store.ErrInvalid))
		return false, nil
	}
	pb, err := im.patient(pid)
	if err != nil {
		return false, err
	}
	if !pb.exists {
		if !im.hold(add) {
			reject(fmt.Errorf("%w: %s (import the patient first, or in the same file)", store.ErrUnknownPatient, pid))
		}
		return false, nil
	}
	if err := pb.p.CheckItemAfterBirth(kind, t, prec); err != nil {
		reject(fmt.Errorf("%w: %w", store.ErrInvalid, err))
		return false, nil
	}
	return true, nil
}

// item checks one item and stores what doc returns for it.
func (im *Importer) item(kind, id, pid string, prov record.Provenance, t time.Time,
	add func(*record.Batch), doc func() Item) error {
	ok, err := im.check(kind, id, pid, prov, nil, t, record.PrecisionDay, add)
	if err != nil || !ok {
		return err
	}
	it := doc()
	it.Kind, it.ID, it.PatientID, it.Time = kind, id, pid, t
	out, err := im.b.Item(it)
	if err != nil {
		return err
	}
	im.Progress(1)
	added := &im.res.Imported
	if kind == itemdoc.KindRetraction {
		added = &im.res.Retractions
	}
	im.tally(out, added, func() {
		im.Reject(kind, id, pid, prov, fmt.Errorf("%w: %s %s is stored with other content", store.ErrConflict, kind, id))
	})
	if out == Inserted || out == Updated {
		im.Added(pid, kind)
	}
	return nil
}

// tally counts what storing one item did: a new (or completed) item in
// *added, an unchanged one, or a conflict, which conflict reports.
func (im *Importer) tally(out Outcome, added *int, conflict func()) {
	switch out {
	case Inserted, Updated:
		*added++
	case Unchanged:
		im.res.Unchanged++
	default:
		conflict()
	}
}

// splitCorrections returns the withdrawals and the corrections of rs.
func splitCorrections(rs []record.Retraction) (withdrawals, corrections []record.Retraction) {
	for _, r := range rs {
		if r.IsCorrection() {
			corrections = append(corrections, r)
		} else {
			withdrawals = append(withdrawals, r)
		}
	}
	return withdrawals, corrections
}

// observations checks each observation (as an item, then its canonical
// unit and comparator) and gives the good ones to the backend; hold(i)
// holds obs[i] until its patient is known.
func (im *Importer) observations(obs []record.Observation, hold func(i int) func(*record.Batch)) error {
	good := make([]int, 0, len(obs))
	for i := range obs {
		o := &obs[i]
		ok, err := im.check("observation", o.ID, o.PatientID, o.Provenance(), o.Notes, o.Time, o.TimePrecision, hold(i))
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		if o.Value.Unit != o.Analyte.Canonical() || o.Analyte.String() == "unknown analyte" {
			im.rejectObservation(o, fmt.Errorf("%w: %s value %s is not in the canonical unit %s",
				store.ErrInvalid, o.Analyte, o.Value.Text(), o.Analyte.Canonical()))
			continue
		}
		if !storable(o.Comparator) {
			im.rejectObservation(o, fmt.Errorf("%w: comparator %q is not one of <, <=, >, >= or none",
				store.ErrInvalid, o.Comparator))
			continue
		}
		if err := im.b.Analyte(o.Analyte); err != nil {
			return err
		}
		good = append(good, i)
	}
	if im.fixes == nil { // several corrections of one id are each stored
		good = im.sameID(obs, good)
	}
	if len(good) == 0 {
		return nil
	}
	return im.b.Observations(obs, good)
}

// sameID rejects an observation of obs[good] whose id an earlier one of
// the chunk has with other content, naming the earlier one's line, and
// returns the others. Without it the outcome depended on the store
// (trial-cli #10): the second row was rejected when the first was stored
// under the id, and stored under it (the first counted as "unchanged")
// when the first was the same measurement as a stored one under another
// id. Now the first is stored, or counted as a duplicate, and the second is
// rejected either way. Rows with the same id and content stay (the second
// is "unchanged").
func (im *Importer) sameID(obs []record.Observation, good []int) []int {
	if im.ids == nil {
		im.ids = make(map[string]int, len(good))
	}
	first := im.ids
	defer clear(first)
	kept := good[:0]
	for _, i := range good {
		o := &obs[i]
		j, seen := first[o.ID]
		if !seen {
			first[o.ID] = i
		}
		if !seen || obs[j].ContentHash() == o.ContentHash() {
			kept = append(kept, i)
			continue
		}
		where := "earlier in the file"
		if l := obs[j].Line; l > 0 {
			where = fmt.Sprintf("on line %d", l)
		}
		e := &obs[j]
		value := e.Value.Text()
		if pv := e.Provenance(); pv.Value != "" && pv.Unit != "" {
			value = pv.Value + " " + pv.Unit // as the source wrote it
		}
		im.rejectObservation(o, fmt.Errorf("%w: observation %s was read %s with other content (%s %s on %s); this one is not imported",
			store.ErrConflict, o.ID, where, e.Analyte, value, e.Time.UTC().Format(time.DateOnly)))
	}
	return kept
}

// storable reports whether a store can hold comparator c: the ones FHIR
// Quantity allows but "ad" (both stores code these five).
func storable(c record.Comparator) bool {
	switch c {
	case record.Exact, record.Less, record.LessOrEqual, record.Greater, record.GreaterOrEqual:
		return true
	}
	return false
}
