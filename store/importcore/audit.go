package importcore

import (
	"cmp"
	"slices"
	"time"

	"renalwatch/record"
	"renalwatch/store"
	"renalwatch/store/itemdoc"
)

// patientCounts is what the import changed in each patient's record, for
// the audit rows of store.ImportAudit; nil when the import writes none.
type patientCounts struct {
	by   map[string]*store.PatientCounts
	last *store.PatientCounts // the counts of lastID: files list a patient's items together
	// lastID is the patient of last.
	lastID string
}

// of returns the counts of patient pid, nil when the import is not
// audited.
func (im *Importer) of(pid string) *store.PatientCounts {
	t := im.counts
	if t == nil {
		return nil
	}
	if t.last != nil && t.lastID == pid {
		return t.last
	}
	c, ok := t.by[pid]
	if !ok {
		c = &store.PatientCounts{}
		t.by[pid] = c
	}
	t.last, t.lastID = c, pid
	return c
}

// Added counts one new item of kind (itemdoc's kinds, "observation",
// "patient") stored for patient pid, for the patient's audit row.
func (im *Importer) Added(pid, kind string) {
	c := im.of(pid)
	if c == nil {
		return
	}
	switch kind {
	case "patient":
		c.NewPatient = true
	case "observation":
		c.Observations++
	case itemdoc.KindCondition:
		c.Conditions++
	case itemdoc.KindFinding:
		c.Findings++
	case itemdoc.KindBiopsy:
		c.Biopsies++
	case itemdoc.KindTherapy:
		c.Therapies++
	case itemdoc.KindReplacement:
		c.Replacements++
	case itemdoc.KindRetraction:
		c.Retractions++
	case itemdoc.KindCorrection:
		c.Corrections++
	}
}

// AddedObservations counts the new observations obs[i], i in rows (a
// backend's bulk INSERT that stored every one).
func (im *Importer) AddedObservations(obs []record.Observation, rows []int) {
	if im.counts == nil {
		return
	}
	for _, i := range rows {
		im.of(obs[i].PatientID).Observations++
	}
}

// AuditEntries are the audit rows of the import (store.ImportAudit), one
// per patient whose record it changed, by patient id; none when the
// import is not audited. A backend writes them in the import's
// transaction just before it commits.
func (im *Importer) AuditEntries() []store.AuditEntry {
	if im.counts == nil {
		return nil
	}
	a := im.opt.Audit
	at := a.Time
	if at.IsZero() {
		at = time.Now()
	}
	out := make([]store.AuditEntry, 0, len(im.counts.by))
	for pid, c := range im.counts.by {
		out = append(out, store.AuditEntry{Time: at, Who: a.Who, Action: "import", PatientID: pid, Outcome: c.Outcome()})
	}
	slices.SortFunc(out, func(x, y store.AuditEntry) int { return cmp.Compare(x.PatientID, y.PatientID) })
	return out
}
