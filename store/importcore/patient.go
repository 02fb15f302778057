package importcore

import (
	"fmt"
	"time"

	"renalwatch/record"
	"renalwatch/store"
)

// patients checks each patient (an id, a plausible birth date, no death
// before birth) and stores it, or replaces the stored details (update).
func (im *Importer) patients(ps []record.Patient) error {
	for _, p := range ps {
		if p.ID == "" {
			im.Reject("patient", p.ID, p.ID, p.Provenance, fmt.Errorf("%w: no id", store.ErrInvalid))
			continue
		}
		if err := record.CheckBirthDate(p.BirthDate); err != nil {
			im.Reject("patient", p.ID, p.ID, p.Provenance, fmt.Errorf("%w: %w", store.ErrInvalid, err))
			continue
		}
		if err := p.CheckAfterBirth("date of death", p.DeceasedDate, record.PrecisionDay); err != nil && !p.DeceasedDate.IsZero() {
			im.Reject("patient", p.ID, p.ID, p.Provenance, fmt.Errorf("%w: %w", store.ErrInvalid, err))
			continue
		}
		out, err := im.b.Patient(p)
		if err != nil {
			return err
		}
		im.Progress(1)
		if out == Inserted {
			im.res.Imported++
			im.Added(p.ID, "patient")
			im.known[p.ID] = patientBirth{exists: true, p: record.Patient{ID: p.ID, BirthDate: p.BirthDate, BirthPrecision: p.BirthPrecision}}
			continue
		}
		delete(im.known, p.ID) // the stored patient counts: looked up again when needed
		switch out {
		case Updated:
			im.res.Imported++
		case Unchanged:
			im.res.Unchanged++
		default:
			if err := im.update(p); err != nil {
				return err
			}
		}
	}
	return nil
}

// update replaces the stored details of patient p.ID by p's (a Patient
// is the patient's current state: the last import wins), keeping the old
// ones in the patient's history, unless a stored observation or item
// would then be dated before the new birth date: p is then rejected,
// naming the earliest such item, and the stored details are kept. A p
// that differs from the stored patient only in provenance, or whose
// meta.lastUpdated is older than the stored details' (an older state of
// the patient: ImportResult.NotApplied), changes nothing (unchanged).
func (im *Importer) update(p record.Patient) error {
	old, err := im.b.Stored(p.ID)
	if err != nil {
		return err
	}
	p, changes, older := record.SentAgain(old, p)
	if len(changes) == 0 {
		im.res.Unchanged++
		return nil
	}
	change := store.PatientChange{PatientID: p.ID, Provenance: p.Provenance, Changes: changes, Updated: p.Updated, StoredUpdated: old.Updated}
	if older {
		im.res.Unchanged++
		im.res.NotApplied = append(im.res.NotApplied, change)
		return nil
	}
	if earliest, _ := p.BirthRange(); !earliest.IsZero() {
		var err error
		refused := record.BirthRefused(p, changes, func(yield func(record.DatedItem) bool) {
			err = im.b.Dated(p.ID, earliest, func(kind, id string, t time.Time, prec record.DatePrecision) error {
				yield(record.DatedItem{Kind: kind, ID: id, Time: t, Prec: prec})
				return nil
			})
		})
		if err != nil {
			return err
		}
		if refused != nil {
			im.Reject("patient", p.ID, p.ID, p.Provenance, fmt.Errorf("%w: %w", store.ErrInvalid, refused))
			return nil
		}
	}
	if err := im.b.Replace(p, time.Now().UTC()); err != nil {
		return err
	}
	im.res.Updated++
	im.res.PatientChanges = append(im.res.PatientChanges, change)
	if c := im.of(p.ID); c != nil {
		c.Details = append(c.Details, changes...)
	}
	return nil
}
