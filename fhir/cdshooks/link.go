package cdshooks

import (
	"context"
	"net/url"
	"strings"
	"time"

	"renalwatch/assess"
	"renalwatch/record"
)

// PatientLookup finds the patient RenalWatch's own store holds under id
// (the server adapts its store); ok is false when it holds none or the
// lookup failed.
type PatientLookup func(ctx context.Context, id string) (p record.Patient, ok bool)

// dashboardLink is the URL of the dashboard page of the patient the EHR
// sent, or "" when a card must not link to it. The EHR's Patient.id and
// RenalWatch's patient ids come from different name spaces: the same id
// may be no patient in the store (the page answers 404) or another person
// (trial-web #3). So a card links only when
//
//   - PublicURL is set and the server gave a PatientLookup;
//   - the store holds a patient with the id of context.patientId;
//   - the EHR's Patient (the prefetch, or fetched) has a birth date and a
//     sex (male or female), and the stored patient has the same birth date
//     (at the same precision) and the same sex.
//
// Otherwise the link is left out (§ Link is OPTIONAL). Birth date and sex
// are what both sides hold (RenalWatch imports no names or identifiers);
// agreeing on id, birth date and sex makes opening another person's
// record unlikely but cannot exclude it, which is why the link's label
// says what was matched, and the page shows the patient it opened.
func (h *handler) dashboardLink(ctx context.Context, ehr record.Patient) string {
	if h.cfg.PublicURL == "" || h.cfg.Patients == nil || ehr.ID == "" {
		return ""
	}
	if ehr.BirthDate.IsZero() || (ehr.Sex != record.Female && ehr.Sex != record.Male) {
		return ""
	}
	st, ok := h.cfg.Patients(ctx, ehr.ID)
	if !ok || st.ID != ehr.ID || !sameIdentity(st, ehr) {
		return ""
	}
	return strings.TrimSuffix(h.cfg.PublicURL, "/") + "/patients/" + url.PathEscape(ehr.ID)
}

// sameIdentity reports whether two patient records agree on birth date
// (day, month or year as given, and the same precision) and sex.
func sameIdentity(a, b record.Patient) bool {
	return a.BirthDate.Equal(b.BirthDate) && a.BirthPrecision == b.BirthPrecision && a.Sex == b.Sex
}

// hasLupusNephritis reports whether the record shows lupus nephritis at
// now: an established lupus nephritis condition, or a kidney biopsy read
// by the assessment (the albuminuria-referral alert uses the same test).
func hasLupusNephritis(tl *record.Timeline, a assess.Assessment, now time.Time) bool {
	if a.Lupus.Biopsy != nil {
		return true
	}
	for _, c := range tl.Conditions {
		if c.Kind == record.LupusNephritis && !c.Onset.After(now) && c.Established() {
			return true
		}
	}
	return false
}
