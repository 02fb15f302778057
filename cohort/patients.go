package cohort

import (
	"fmt"

	"renalwatch/record"
)

// patientOf resolves the Patient records of one patient, in the order
// they were read, as import resolves them when it reads them in that order
// (record.SentAgain, trial 13 F5: a Patient given twice with other
// details was merged without a word): the first gives the details, each
// later one with other details replaces them, and the details replaced
// become the timeline's updates (report --json's patient.updates, dated
// at the reading time, as import dates them at its own); one whose
// meta.lastUpdated is older than the details held is not applied. Each
// change is a warning naming the file and line of the later Patient, in
// import's words. where gives a Patient's file and line.
func (w *worker) patientOf(ps []record.Patient, where func(record.Patient) (string, int)) (record.Patient, []record.PatientUpdate) {
	cur := ps[0]
	var us []record.PatientUpdate
	for _, p := range ps[1:] {
		merged, changes, older := record.SentAgain(cur, p)
		if len(changes) == 0 {
			continue
		}
		file, line := where(p)
		what := "details updated, as import updates them: the row reads the later details"
		if older {
			what = fmt.Sprintf("older than the details read before (meta.lastUpdated %s, before %s), not applied, as import does",
				p.Updated.UTC().Format("2006-01-02T15:04:05Z"), cur.Updated.UTC().Format("2006-01-02T15:04:05Z"))
		}
		if w.opt.Warning != nil {
			w.opt.Warning(fmt.Sprintf("%s:%d: %s (%s)", file, line, record.ChangesText(p.ID, changes), what))
		}
		if older {
			continue
		}
		us = append(us, record.PatientUpdate{Time: w.opt.Now.UTC(), File: file, Previous: cur})
		cur = merged
	}
	return cur, us
}

// provenanceWhere is where for Patients that carry their own file and
// line (CSV rows).
func provenanceWhere(p record.Patient) (string, int) { return p.Provenance.File, p.Provenance.Line }
