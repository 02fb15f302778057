package importcore

import (
	"fmt"
	"time"

	"renalwatch/internal/labtext"
	"renalwatch/record"
	"renalwatch/store"
	"renalwatch/store/itemdoc"
)

// corrections stores the corrections cs (record.NewCorrection: an
// Observation re-sent with status amended or corrected). Each replacement
// goes through the checks and the INSERT of any observation: with nothing
// stored under its id it is imported as the observation it is (the only
// version there is); with the same content stored it is unchanged; with
// other content stored, the backend calls StoredOther, which keeps the
// stored row and stores the correction beside it.
func (im *Importer) corrections(cs []record.Retraction) error {
	obs := make([]record.Observation, len(cs))
	for i := range cs {
		obs[i] = *cs[i].Replacement
	}
	im.fixes = cs
	defer func() { im.fixes = nil }()
	return im.observations(obs, func(i int) func(*record.Batch) {
		return func(p *record.Batch) { p.Retractions = append(p.Retractions, cs[i]) }
	})
}

// StoredSame is what a backend calls for obs[i], whose id is stored with
// the same content: unchanged; but a correction back to the first value,
// while another correction of it is in force, is stored as a correction.
func (im *Importer) StoredSame(obs []record.Observation, i int) error {
	if im.fixes != nil {
		c := &im.fixes[i]
		corrected, err := im.b.Corrected(c.PatientID, c.Target)
		if err != nil {
			return err
		}
		if corrected {
			return im.storeCorrection(c, true)
		}
	}
	im.res.Unchanged++
	return nil
}

// StoredOther is what a backend calls for obs[i], whose id is stored with
// other content (sameTest: the stored row is of the same patient and
// analyte): a correction is stored beside the stored row, which is kept;
// any other observation is rejected as a conflict. A correction may change
// a result's value or time, not whose result it is or what was measured
// (trial 6 #1, #5: a correction naming another patient was counted and
// shown as that patient's result while the first kept the replaced one; a
// creatinine "corrected" into an ACR changed the A category): it is
// rejected as a conflict, and the stored result stays in use.
func (im *Importer) StoredOther(obs []record.Observation, i int, sameTest bool) error {
	o := &obs[i]
	if im.fixes != nil && sameTest {
		return im.storeCorrection(&im.fixes[i], false)
	}
	if im.fixes != nil {
		im.rejectObservation(o, fmt.Errorf("%w: observation %s is stored for another patient or test "+
			"than this correction (patient %s, %s); a correction may change a result's value, not whose result it is or what was measured: "+
			"the stored result is kept and used; withdraw it with status entered-in-error from its own patient, then send the right result under a new id",
			store.ErrConflict, o.ID, o.PatientID, o.Analyte))
		return nil
	}
	stored, ok, err := im.b.Observation(o.ID)
	if err != nil {
		return err
	}
	what := ""
	if ok && stored.PatientID == o.PatientID && stored.Analyte == o.Analyte {
		what = fmt.Sprintf(" (%s; this file sends %s)", obsText(&stored), valueText(o))
	}
	im.rejectObservation(o, fmt.Errorf("%w: observation %s is stored with other content%s "+
		"(a source corrects a result by sending it again with status amended or corrected)", store.ErrConflict, o.ID, what))
	return nil
}

// storeCorrection stores c as an item, stamped with the time it is
// received (which orders corrections without meta.lastUpdated; strictly
// increasing within the import); back is true when c restores the stored
// value while another correction is in force.
func (im *Importer) storeCorrection(c *record.Retraction, back bool) error {
	// A result withdrawn as entered in error stays withdrawn: a correction
	// received after the retraction was counted as used but was not
	// (trial 6 #4).
	if _, ok, err := im.b.Holder(itemdoc.KindRetraction, record.RetractionID(record.RetractObservation, c.Target)); err != nil {
		return err
	} else if ok {
		im.Reject("observation", c.Target, c.PatientID, c.Provenance, fmt.Errorf("%w: observation %s was withdrawn as entered in error; "+
			"a correction of a withdrawn result is not applied: send the result measured again under a new id", store.ErrConflict, c.Target))
		return nil
	}
	now := time.Now().UTC()
	if !now.After(im.received) {
		now = im.received.Add(time.Nanosecond)
	}
	im.received = now
	x := *c
	x.Received = now
	h := x.ContentHash()
	out, err := im.b.Item(Item{Kind: itemdoc.KindCorrection, ID: x.ID, PatientID: x.PatientID, Hash: h, V1: h, Doc: itemdoc.Correction(x)})
	if err != nil {
		return err
	}
	if out == Inserted || out == Updated {
		replaced, _, err := im.b.Observation(x.Target)
		if err != nil {
			return err
		}
		im.res.Corrections = append(im.res.Corrections, store.Correction{Correction: x, Replaced: replaced, BackToStored: back})
		im.Added(x.PatientID, itemdoc.KindCorrection)
	}
	im.tally(out, &im.res.Corrected, func() {
		im.Reject("observation", x.Target, x.PatientID, x.Provenance, fmt.Errorf("%w: correction %s is stored with other content", store.ErrConflict, x.ID))
	})
	return nil
}

// valueText is o's value at its laboratory precision in the store's unit
// of the analyte (labtext.LabQ): "<0.20 mg/dL".
func valueText(o *record.Observation) string {
	return string(o.Comparator) + labtext.LabQ(o.Analyte, o.Value)
}

// obsText is what a rejection says of a stored observation: "creatinine
// 1.80 mg/dL on 2025-11-03".
func obsText(o *record.Observation) string {
	return o.Analyte.String() + " " + valueText(o) + " on " + o.Time.UTC().Format(time.DateOnly)
}
