package cohort

import (
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strings"
	"time"

	"renalwatch/assess"
	"renalwatch/internal/labtext"
	"renalwatch/record"
)

// Summary is the cohort at a glance: counts by stage and risk, renal
// response by therapy class, and flares per patient-year.
type Summary struct {
	Patients int64 `json:"patients"`
	// Stage and Risk count the patients alive at as_of by the KDIGO G
	// category (with its D/T suffix) and heat-map risk of a current eGFR:
	// "none" without a current eGFR (or, for Risk, without G and A),
	// "deceased" for the patients who died by as_of (prevalentStage).
	Stage map[string]int64 `json:"stage"`
	Risk  map[string]int64 `json:"risk"`
	// Response counts, per therapy class a patient received at any time,
	// the patients whose renal response was judged (not "too early") and
	// their best response; "all" is every judged patient.
	Response map[string]*ResponseCount `json:"response"`
	// Flares and PatientYears give the renal flare rate of the patients
	// the lupus rules apply to; follow-up runs from their first
	// observation to effective_date.
	// Landmark compares, per therapy class started after the landmark
	// (LandmarkMonths after the start of induction), the later response
	// of the patients who had not responded by then: those who received
	// the class after it against those who did not.
	Landmark      map[string]*LandmarkCount `json:"landmark"`
	Flares        int64                     `json:"flares"`
	PatientYears  float64                   `json:"patient_years"`
	LupusPatients int64                     `json:"lupus_patients"`
}

// LandmarkMonths is the landmark of the add-on therapy comparison: 12
// months after the start of induction, when KDIGO 2024 LN expects at least
// a partial response (rec 10.2.3.1, Practice Point on response by 12
// months). Comparing from a landmark, among patients event-free at it,
// avoids counting the time before a therapy was given as time on it
// (immortal time): Anderson JR, Cain KC, Gelber RD. J Clin Oncol
// 1983;1:710-9.
const LandmarkMonths = 12

// LandmarkCount counts the patients who had not responded by the landmark
// and their response after it, with and without a therapy class started
// after it.
//
// Responded is the best response of the report's latest induction
// episode, judged against that episode's own baseline UPCR: for an add-on
// that starts a new episode the baseline is the persistent UPCR at its
// start, for the others the acute UPCR of the first induction, so the two
// response counts are NOT comparable (on the synthetic cohort, whose
// stem-cell infusion has no effect, they differ widely). Failure, kidney
// failure by effective_date (G5, dialysis or transplant), is measured the
// same way in both groups and is the outcome to compare.
type LandmarkCount struct {
	Treated            int64 `json:"treated"`
	TreatedResponded   int64 `json:"treated_responded"`
	TreatedFailure     int64 `json:"treated_kidney_failure"`
	Untreated          int64 `json:"untreated"`
	UntreatedResponded int64 `json:"untreated_responded"`
	UntreatedFailure   int64 `json:"untreated_kidney_failure"`
}

// ResponseCount is the best renal response of the judged patients.
type ResponseCount struct {
	Judged   int64 `json:"judged"`
	Complete int64 `json:"complete"`
	Any      int64 `json:"any"` // complete, partial or responder
}

func newSummary() *Summary {
	return &Summary{Stage: map[string]int64{}, Risk: map[string]int64{}, Response: map[string]*ResponseCount{}, Landmark: map[string]*LandmarkCount{}}
}

// add counts one patient.
func (s *Summary) add(r *assess.Report, tl *record.Timeline) {
	s.Patients++
	g, risk := prevalentStage(r, tl)
	s.Stage[g]++
	s.Risk[risk]++
	l := r.Lupus
	if !l.Applicable {
		return
	}
	s.LupusPatients++
	s.Flares += int64(len(l.Flares))
	if first, end, ok := tl.Span(); ok {
		if eff, err := parseDay(r.EffectiveDate); err == nil {
			end = eff
		}
		if y := end.Sub(first).Hours() / 24 / 365.25; y > 0 {
			s.PatientYears += y
		}
	}
	if l.Response == nil || l.Response.Response == nil || *l.Response.Response == "too early" {
		return
	}
	classes := map[string]bool{"all": true}
	for _, t := range r.Therapies {
		classes[t.Class] = true
	}
	for c := range classes {
		rc := s.Response[c]
		if rc == nil {
			rc = &ResponseCount{}
			s.Response[c] = rc
		}
		rc.Judged++
		if b := l.Response.Best; b != nil {
			rc.Any++
			if b.Response == "complete" {
				rc.Complete++
			}
		}
	}
	s.landmark(r)
}

// prevalentStage returns the cells a patient counts in on the summary's
// GFR and risk lines, which describe the cohort as it stands at as_of (a
// registry reads them as prevalence; trial-cli #7): "deceased" for a
// patient who died by as_of (the report's stage is the stage at death),
// "none" without a current eGFR (the report's stage then describes the
// date of an eGFR older than the current window, named in its missing
// list), else the report's G category with its suffix and its risk. A
// patient on dialysis is G5D whatever the age of the last eGFR. The
// per-patient rows keep the report's fields; only the counts differ.
// A patient whose first observation comes after as_of is "no_data" (no
// data by the as-of date): with an as-of before a registry's data began
// they were counted as prevalent without a current eGFR (trial 12 F14).
func prevalentStage(r *assess.Report, tl *record.Timeline) (g, risk string) {
	day, err := parseDay(r.AsOf)
	if err != nil {
		return "none", "none"
	}
	end := day.Add(24*time.Hour - time.Nanosecond) // the record as it stood at the end of as_of
	if p := r.Patient; p.Deceased && (p.DeceasedDate == nil || !p.DeceasedDate.After(end)) {
		return "deceased", "deceased"
	}
	if first, _, ok := tl.Span(); ok && first.After(end) {
		return "no_data", "no_data"
	}
	st := r.Kidney.Stage
	if st.G == nil {
		return "none", "none"
	}
	if st.Suffix != "D" {
		e := r.Kidney.EGFR
		// The test of kidney.egfr's missing entry "the stage describes
		// that date, not now" (assess/kidney.go).
		if e == nil || end.Sub(e.Date) > r.Config.CurrentWindow {
			return "none", "none"
		}
	}
	g, risk = st.G.String()+st.Suffix, "none"
	if st.Risk != nil {
		risk = st.Risk.String()
	}
	return g, risk
}

// inductionClasses start a lupus nephritis induction (KDIGO 2024 LN rec
// 10.2.3.1: mycophenolate or low-dose cyclophosphamide, with belimumab, a
// calcineurin inhibitor such as voclosporin, or an anti-CD20 antibody).
var inductionClasses = map[string]bool{"mycophenolate": true, "cyclophosphamide": true, "voclosporin": true,
	"belimumab": true, "obinutuzumab": true, "rituximab": true, "calcineurin_inhibitor": true}

// landmark counts one judged patient in the landmark comparison: the
// landmark is LandmarkMonths after the first induction course. The report
// judges the latest induction episode only, so a patient counts when that
// episode began by the landmark (its best response then tells whether and
// when they responded), or, in the treated group of a class, when the
// class started the episode after the landmark (an add-on or rescue
// therapy; whether the patient had responded before it is then not seen).
// Patients re-induced after the landmark with other drugs are left out.
func (s *Summary) landmark(r *assess.Report) {
	resp := r.Lupus.Response
	var t0 time.Time
	for _, t := range r.Therapies {
		if inductionClasses[t.Class] && (t0.IsZero() || t.Start.Before(t0)) {
			t0 = t.Start
		}
	}
	if t0.IsZero() {
		return
	}
	mark := t0.AddDate(0, LandmarkMonths, 0)
	eff, err := parseDay(r.EffectiveDate)
	if err != nil || eff.Before(mark.AddDate(1, 0, 0)) {
		return // not followed for a year past the landmark
	}
	orig := !resp.Since.After(mark)
	if b := resp.Best; orig && b != nil && !b.Date.After(mark) {
		return // responded by the landmark
	}
	later := resp.Best != nil && resp.Best.Date.After(mark)
	st := r.Kidney.Stage
	failure := st.Suffix != "" || st.G != nil && st.G.String() == "G5"
	after := map[string]bool{}
	for _, t := range r.Therapies {
		if t.Start.After(mark) {
			after[t.Class] = true
		}
	}
	for _, c := range landmarkClasses {
		treated := after[c]
		if !orig && !(treated && slices.Contains(resp.Therapies, c)) {
			continue
		}
		lc := s.Landmark[c]
		if lc == nil {
			lc = &LandmarkCount{}
			s.Landmark[c] = lc
		}
		if treated {
			lc.Treated++
			lc.TreatedResponded += b2i(later)
			lc.TreatedFailure += b2i(failure)
		} else {
			lc.Untreated++
			lc.UntreatedResponded += b2i(later)
			lc.UntreatedFailure += b2i(failure)
		}
	}
}

// landmarkClasses are the therapy classes compared at the landmark: the
// add-on and rescue therapies of persistent lupus nephritis.
var landmarkClasses = []string{"msc_infusion", "rituximab", "obinutuzumab", "belimumab", "voclosporin", "calcineurin_inhibitor", "cyclophosphamide", "mycophenolate"}

func (s *Summary) merge(o *Summary) {
	s.Patients += o.Patients
	for k, v := range o.Stage {
		s.Stage[k] += v
	}
	for k, v := range o.Risk {
		s.Risk[k] += v
	}
	for k, v := range o.Response {
		rc := s.Response[k]
		if rc == nil {
			rc = &ResponseCount{}
			s.Response[k] = rc
		}
		rc.Judged += v.Judged
		rc.Complete += v.Complete
		rc.Any += v.Any
	}
	for k, v := range o.Landmark {
		lc := s.Landmark[k]
		if lc == nil {
			lc = &LandmarkCount{}
			s.Landmark[k] = lc
		}
		lc.Treated += v.Treated
		lc.TreatedResponded += v.TreatedResponded
		lc.TreatedFailure += v.TreatedFailure
		lc.Untreated += v.Untreated
		lc.UntreatedResponded += v.UntreatedResponded
		lc.UntreatedFailure += v.UntreatedFailure
	}
	s.Flares += o.Flares
	s.PatientYears += o.PatientYears
	s.LupusPatients += o.LupusPatients
}

// z95 is the 97.5th percentile of the standard normal distribution.
const z95 = 1.959963984540054

// Wilson returns the Wilson score 95% interval for x successes in n
// trials: Wilson EB, Probable inference, the law of succession, and
// statistical inference. J Am Stat Assoc 1927;22:209-212. Unlike the
// Wald interval it stays inside [0, 1] and keeps its coverage for small n
// and rates near 0 or 1 (Brown, Cai, DasGupta, Stat Sci 2001;16:101-133).
func Wilson(x, n int64) (lo, hi float64) {
	if n <= 0 {
		return math.NaN(), math.NaN()
	}
	p := float64(x) / float64(n)
	nn := float64(n)
	z2 := z95 * z95
	den := 1 + z2/nn
	centre := (p + z2/(2*nn)) / den
	half := z95 / den * math.Sqrt(p*(1-p)/nn+z2/(4*nn*nn))
	return max(0, centre-half), min(1, centre+half)
}

// Write prints the summary for people. With minCell K > 0, every count
// below K is shown as "<K" and a rate whose count, complement or total is
// below K is withheld, so that the summary can be shared (small-cell
// suppression). A line whose cells add up to the printed total and that
// has exactly one cell below K would give that cell away by subtraction,
// so the next-smallest cell of the line is withheld too (complementary
// suppression, secondary suppression in Hundepool A et al. Statistical
// Disclosure Control. Wiley 2012, chapter on frequency tables).
func (s *Summary) Write(w io.Writer, minCell int64) error {
	cnt := func(n int64) string {
		if minCell > 0 && n < minCell && n > 0 {
			return fmt.Sprintf("<%d", minCell)
		}
		return fmt.Sprint(n)
	}
	ew := &errWriter{w: w}
	if s.Patients == 0 {
		// Not lines ending in a colon with nothing after them (trial 12
		// F14: every resource rejected, or of patients with no Patient).
		ew.printf("Cohort: 0 patients assessed: no summary.\n")
		return ew.err
	}
	ew.printf("Cohort: %s\n", patients(cnt(s.Patients), s.Patients))
	stage, c1 := suppressLine(s.Stage, minCell)
	risk, c2 := suppressLine(s.Risk, minCell)
	ew.printf("By KDIGO GFR category: %s\n", joinCells(stage, "no current eGFR"))
	ew.printf("By KDIGO risk: %s\n", joinCells(risk, "not assessable (no current eGFR or ACR/UPCR)"))
	if c1 || c2 {
		ew.printf("Where a line had only one count below %d, its next-smallest count is withheld as well (\"withheld\"), so that the\nsmall one cannot be recovered from the total (complementary suppression).\n", minCell)
	}
	if s.LupusPatients == 0 {
		// Trial-cli #20: not empty sections ending in a colon.
		ew.printf("No lupus patients: renal response, landmark and flares not computed.\n")
		return ew.err
	}
	ew.printf("Best renal response of the patients judged, by therapy class received (Wilson 95%% CI, Wilson 1927).\n")
	ew.printf("Observational, not a comparison of treatments: agents given to patients who did not respond (rescue,\n")
	ew.printf("add-on, investigational) look worse by design (confounding by indication), and \"any response\" is the\n")
	ew.printf("best response reached at any time up to as-of (also after 12 months), not a trial's fixed time point:\n")
	if len(s.Response) == 0 {
		ew.printf("  none judged (no lupus patient's renal response could be judged yet)\n")
	}
	for _, k := range slices.Sorted(maps.Keys(s.Response)) {
		rc := s.Response[k]
		ew.printf("  %-22s judged %s: complete %s, any response %s\n", k, cnt(rc.Judged), rate(rc.Complete, rc.Judged, minCell), rate(rc.Any, rc.Judged, minCell))
	}
	ew.printf("Landmark: patients without a renal response %d months after their first induction course and followed a year past it; kidney failure (G5, dialysis, transplant) by the end, by therapy class started after the landmark or not (Wilson 95%% CI; observational):\n", LandmarkMonths)
	shown := 0
	for _, k := range slices.Sorted(maps.Keys(s.Landmark)) {
		lc := s.Landmark[k]
		if lc.Treated == 0 {
			continue
		}
		shown++
		ew.printf("  %-22s started: %s of %s; not started: %s of %s\n", k, rate(lc.TreatedFailure, lc.Treated, minCell), cnt(lc.Treated), rate(lc.UntreatedFailure, lc.Untreated, minCell), cnt(lc.Untreated))
	}
	if shown == 0 {
		ew.printf("  none (no patient started an add-on or rescue class after the landmark)\n")
	}
	ew.printf("Renal flares: %s\n", s.flareText(cnt, minCell))
	return ew.err
}

// flareText is the renal flare line after "Renal flares: ". With minCell
// K the rate is withheld when the flare count is below K, as every rate
// built on a small count is (docs/cohort.md): printing "<20 ... 0.018 per
// patient-year" beside 596 patient-years gives the count back by
// multiplication (trial-cli #6).
func (s *Summary) flareText(cnt func(int64) string, minCell int64) string {
	who := fmt.Sprintf("%s in %.0f patient-years of %s lupus %s", cnt(s.Flares), s.PatientYears, cnt(s.LupusPatients), plural(s.LupusPatients, cnt(s.LupusPatients)))
	switch {
	case s.PatientYears <= 0:
		return cnt(s.Flares) + " (no follow-up time: rate not computed)"
	case minCell > 0 && s.Flares > 0 && s.Flares < minCell: // a count shown as "<K" (0 is shown as 0)
		return fmt.Sprintf("%s: rate withheld (count < %d)", who, minCell)
	}
	return fmt.Sprintf("%s: %.3f per patient-year", who, float64(s.Flares)/s.PatientYears)
}

// patients is "1 patient" or "n patients" with the count as shown.
func patients(shown string, n int64) string { return shown + " " + plural(n, shown) }

// plural is "patient" for a count shown as 1, else "patients"
// (labtext.Noun; a count shown otherwise, such as "<5", is plural).
func plural(n int64, shown string) string {
	if shown != "1" {
		return "patients"
	}
	return labtext.Noun(n, "patient", "patients")
}

// joinCells prints a line's cells as "key count; key count" in key order,
// the "none" cell last but one under the label none (trial #22: "none 19"
// read as "no risk"), then "no_data" (no data by the as-of date), then
// "deceased".
func joinCells(shown map[string]string, none string) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(shown)) {
		if k != "none" && k != "deceased" && k != "no_data" {
			parts = append(parts, k+" "+shown[k])
		}
	}
	if v, ok := shown["none"]; ok {
		parts = append(parts, none+" "+v)
	}
	if v, ok := shown["no_data"]; ok {
		parts = append(parts, "no data by the as-of date "+v)
	}
	if v, ok := shown["deceased"]; ok {
		parts = append(parts, "deceased "+v)
	}
	return strings.Join(parts, "; ")
}

// suppressLine renders the cells of one line whose counts add up to a
// printed total: a count below minCell as "<K"; if exactly one cell is
// below minCell, the next-smallest cell (ties broken by name) is shown as
// "withheld" (complementary suppression). complementary reports whether it
// withheld one.
func suppressLine(cells map[string]int64, minCell int64) (shown map[string]string, complementary bool) {
	shown = make(map[string]string, len(cells))
	var small []string
	for k, n := range cells {
		shown[k] = fmt.Sprint(n)
		if minCell > 0 && n > 0 && n < minCell {
			shown[k] = fmt.Sprintf("<%d", minCell)
			small = append(small, k)
		}
	}
	if len(small) != 1 {
		return shown, false
	}
	next := ""
	for _, k := range slices.Sorted(maps.Keys(cells)) {
		if k != small[0] && (next == "" || cells[k] < cells[next]) {
			next = k
		}
	}
	if next == "" {
		return shown, false
	}
	shown[next] = "withheld"
	return shown, true
}

func rate(x, n, minCell int64) string {
	if n == 0 {
		return "-"
	}
	if minCell > 0 && (x < minCell || n-x < minCell || n < minCell) {
		return "withheld (cell < " + fmt.Sprint(minCell) + ")"
	}
	lo, hi := Wilson(x, n)
	return fmt.Sprintf("%d (%.1f%%, %.1f-%.1f%%)", x, 100*float64(x)/float64(n), 100*lo, 100*hi)
}

type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(f string, a ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, f, a...)
	}
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}
