package itemdoc

import (
	"context"
	"time"

	"renalwatch/record"
	"renalwatch/store"
	"renalwatch/units"
)

// Count sets the count of kind in s to n (a row of SELECT patient_id,
// kind, count(*) FROM items GROUP BY patient_id, kind); an unknown kind is
// ignored.
func Count(s *store.PatientSummary, kind string, n int) {
	switch kind {
	case KindCondition:
		s.Conditions = n
	case KindFinding:
		s.Findings = n
	case KindBiopsy:
		s.Biopsies = n
	case KindTherapy:
		s.Therapies = n
	case KindReplacement:
		s.Replacements = n
	}
}

// Withdrawing reports whether items of kind change which observations a
// timeline uses: retractions and corrections.
func Withdrawing(kind string) bool { return kind == KindRetraction || kind == KindCorrection }

// FixLatest sets the latest creatinine of out[i], for every i of which
// (patients with retractions or corrections, Withdrawing), to the one
// their timeline uses: the SQL that finds the latest row does not know
// that a retraction withdrew it or a correction replaced it. Ties on time
// go to the greatest id, as the SQL does.
func FixLatest(ctx context.Context, out []store.PatientSummary, which []int,
	timeline func(context.Context, string) (*record.Timeline, error)) error {
	for _, i := range which {
		tl, err := timeline(ctx, out[i].Patient.ID)
		if err != nil {
			return err
		}
		s := &out[i]
		s.LatestCreatinine, s.LatestCreatinineTime = units.Quantity{}, time.Time{}
		if vs := tl.Values(units.Creatinine); len(vs) > 0 {
			o := vs[len(vs)-1]
			s.LatestCreatinine, s.LatestCreatinineTime = o.Value, o.Time
		}
	}
	return nil
}
