package assess

import (
	"math"
	"sort"
	"strconv"
	"time"

	"renalwatch/ckd"
	"renalwatch/egfr"
	"renalwatch/record"
	"renalwatch/units"
)

// Assess reads tl as it stood at asOf and returns the assessment. Only data
// taken (or started) at or before asOf is used; Assess reads no clock and
// does no I/O. tl may be nil only in the sense of an empty record: a nil
// Timeline gives an assessment whose every value is missing.
func Assess(tl *record.Timeline, asOf time.Time, cfg Config) Assessment {
	asOf = asOf.UTC()
	if tl == nil {
		tl = record.NewTimeline(record.Patient{}, record.Batch{})
	}
	// Nothing is judged after death: every rule reads the record as it
	// stood at the earlier of as_of and the date of death.
	eff := asOf
	if p := tl.Patient; p.Deceased && !p.DeceasedDate.IsZero() && p.DeceasedDate.Before(asOf) {
		eff = p.DeceasedDate.UTC()
	}
	a := &assessor{tl: tl, asOf: eff, asOfS: stampOf(eff), cfg: cfg}
	a.out = Assessment{
		AsOf: asOf, EffectiveDate: eff, Config: cfg,
		Kidney:    Kidney{Series: newSeries(tl.Patient.BirthDate, 0), Progression: []Progression{}, Replacement: []Replacement{}},
		Lupus:     Lupus{Flares: []FlareEvent{}},
		Alerts:    []Alert{},
		Therapies: []Therapy{},
		Missing:   []Missing{},
	}
	a.patient()
	a.notUsed()
	a.notUsedComputed()
	if a.beforeBirth() {
		return a.out
	}
	a.kidney()
	a.lupus()
	a.therapies()
	a.labs()
	a.alerts()
	if p := tl.Patient; p.DeadAt(asOf) {
		// A record that says the patient has died raises no alerts: every
		// alert asks for action now (record.Patient.DeadAt).
		when, hist := "on a date not recorded", "the values above are history"
		if !p.DeceasedDate.IsZero() {
			when, hist = "on "+date(p.DeceasedDate), "the record is assessed as it stood at death ("+date(a.asOf)+"); nothing after it is judged"
		}
		a.out.Alerts = []Alert{}
		a.miss("alerts", "the patient is recorded as deceased ("+when+"): no alerts are raised; "+hist)
	}
	return a.out
}

// assessor carries one assessment's inputs and the values later steps use.
type assessor struct {
	// quotes holds the quotes of the assessment's messages (assessor.cat).
	quotes []Quote
	tl     *record.Timeline
	asOf   time.Time
	cfg    Config
	out    Assessment

	points       []point // every creatinine at or before asOf, with its eGFR
	latest       *point  // latest computed eGFR
	dialysis     []period
	onDialysis   *period
	transplant   *record.Replacement  // latest transplant at or before asOf
	transplants  []record.Replacement // transplants at or before asOf, by start
	lupusOn      bool
	induction    *episode
	response     *Response
	courses      []course // courseList
	coursesDone  bool
	upcr         *upcrList   // upcrs: the measured UPCRs, read once
	asOfS        stamp       // asOf as a stamp
	scratch      [3]float64  // responseInput's eGFRs and months
	ages         record.Ages // the patient's ages (egfrSeries; Next remembers the latest year of age)
	hasCystatin  bool        // the record has a cystatin C (egfrSeries)
	eps          []episode   // inductions, computed once
	epsDone      bool
	obsAt        [][]stamp // obsStamps, by analyte
	pointAt      []stamp   // pointStamps
	findingAt    []stamp   // findingStamps
	eqName       string    // lookupEquation's latest equation
	eq           egfr.Equation
	eqOK         bool
	eqID         equation             // equationOf(eqName)
	slopeBuf     []ckd.Point          // slopePoints' points
	unsteady     string               // the eGFR change beyond expected variability ending at the latest eGFR (steadystate.go)
	noLN         bool                 // lupus rules apply but no lupus nephritis is recorded (lupus.go, noLNResponse)
	labEGFR      []record.Observation // values(units.EGFR): the eGFRs not computed by RenalWatch
	labEGFRDone  bool
	effMemo      *effectMemo   // the latest course's effect (courseEffect)
	slopeFits    []slopeFit    // windowFit's fits
	views        []analyteView // by analyte: values, upTo
	castFreeAt   []int         // castFree
	castFreeDone bool
}

// point is one creatinine with its eGFR, unrounded. It is kept small (48
// bytes): a patient may have a million creatinines, and the eGFR series
// of the report is assembled from these points (issue 8 item 4).
type point struct {
	obs   *record.Observation // in the timeline (shared; not to be modified)
	value float64             // the eGFR the report shows (with cystatin C when present): stage, KFRE, alerts
	cr    float64             // creatinine-only eGFR by the age's equation: slopes and the response use it
	cys   *record.Observation // the cystatin C behind value, when one was used (in the timeline)
	// reported is set for a laboratory-reported eGFR (obs is then the
	// eGFR observation; ok is false: it enters no slope or response).
	reported *ReportedEGFR
	crEq     equation
	eq       equation
	ok       bool // creatinine-only eGFR computed: cr and crEq are valid (slopes, response)
	shown    bool // a reported eGFR exists: value and eq are valid (ok, or a cystatin-only fallback)
}

// cysID is the id of the cystatin C behind the point's value, or "".
func (p *point) cysID() string {
	if p.cys == nil {
		return ""
	}
	return p.cys.ID
}

func (a *assessor) miss(path, reason string) {
	a.out.Missing = append(a.out.Missing, Missing{Path: path, Reason: reason})
}

func (a *assessor) patient() {
	p := a.tl.Patient
	a.out.Patient = PatientInfo{ID: p.ID, Sex: p.Sex.String(), Deceased: p.Deceased, Comorbidities: a.comorbidities(),
		Updates: patientUpdates(a.tl.Updates)}
	if !p.DeceasedDate.IsZero() {
		d := p.DeceasedDate
		a.out.Patient.DeceasedDate = &d
		if age, ok := p.AgeAt(d); ok {
			a.out.Patient.AgeAtDeath = &age
		}
	}
	if !p.BirthDate.IsZero() {
		b := p.BirthDate
		a.out.Patient.BirthDate = &b
		if age, ok := p.AgeAt(a.asOf); ok {
			a.out.Patient.AgeYears = &age
		}
		if p.BirthPrecision != record.PrecisionDay {
			a.out.Patient.BirthPrecision = p.BirthPrecision.String()
			a.miss("patient.birth_date", "birth date known to the "+p.BirthPrecision.String()+" only: ages are the oldest possible, and an age-band decision (adult or paediatric equation at 18 years, KFRE from 18, anaemia bands) is not made when the possible ages fall on both sides of the boundary")
		}
	}
	if p.BirthDate.IsZero() {
		a.miss("patient.birth_date", "birth date unknown: age-dependent equations (eGFR, KFRE) and age-specific thresholds cannot be applied")
	}
	if p.Sex != record.Female && p.Sex != record.Male {
		a.miss("patient.sex", "recorded as "+p.Sex.String()+": the eGFR equations, the KFRE and the anaemia thresholds are sex-specific and are not computed")
	}
}

// firstAfter returns the index of the first observation taken after t
// (obs is in time order). It indexes rather than copying the elements,
// which matters on the benchmark's hot path.
func firstAfter(obs []record.Observation, t time.Time) int {
	return sort.Search(len(obs), func(i int) bool { return obs[i].Time.After(t) })
}

// firstFrom returns the index of the first observation taken at or after t.
func firstFrom(obs []record.Observation, t time.Time) int {
	return sort.Search(len(obs), func(i int) bool { return !obs[i].Time.Before(t) })
}

// latestExact returns the latest observation of an analyte at or before
// at that is a measurement (no comparator), and whether it is no older
// than maxAge (0: any age).
func (a *assessor) latestExact(an units.Analyte, at time.Time, maxAge time.Duration) (record.Observation, bool) {
	obs := a.upTo(an)
	// Those after at are passed over by a binary search, and the
	// window's start is computed once.
	n := firstAfter(obs, at)
	var from time.Time
	if maxAge > 0 {
		from = windowStart(at, maxAge)
	}
	for i := n - 1; i >= 0; i-- {
		o := &obs[i]
		if maxAge > 0 && o.Time.Before(from) { // !inWindow(at, o.Time, maxAge): o is not after at
			return record.Observation{}, false
		}
		if o.Comparator == record.Exact {
			return *o, true
		}
	}
	return record.Observation{}, false
}

// nearestExact returns the exact observation of an analyte closest to t
// within tol on either side, not after asOf.
func (a *assessor) nearestExact(an units.Analyte, t time.Time, tol time.Duration) (record.Observation, bool) {
	if o := a.nearest(an, t, tol); o != nil {
		return *o, true
	}
	return record.Observation{}, false
}

// nearest is nearestExact returning a pointer into the timeline (shared;
// not to be modified), or nil.
func (a *assessor) nearest(an units.Analyte, t time.Time, tol time.Duration) *record.Observation {
	obs, ss := a.values(an), a.obsStamps(an)
	ts := stampOf(t)
	return a.nearestFrom(obs, ss, searchFrom(ss, ts.add(-tol)), ts, tol)
}

// nearestFrom is nearest over obs (with their stamps ss) from index lo, the
// first observation not before ts - tol.
func (a *assessor) nearestFrom(obs []record.Observation, ss []stamp, lo int, ts stamp, tol time.Duration) *record.Observation {
	best, bestD, to := -1, time.Duration(0), ts.add(tol)
	for i := lo; i < len(obs); i++ {
		if ss[i].after(to) || ss[i].after(a.asOfS) {
			break
		}
		if obs[i].Comparator != record.Exact {
			continue
		}
		if d := absDur(ss[i].sub(ts)); best < 0 || d < bestD {
			best, bestD = i, d
		}
	}
	if best < 0 {
		return nil
	}
	return &obs[best]
}

func absDur(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

// reported returns an observation's value in the unit the source reported
// it in, when that unit is one the analyte accepts: guideline thresholds
// for ratios are applied in the unit of report (lupus.md §9 A3). The
// source's own number is used when it agrees with the stored value, so
// "3 mg/mmol" stays exactly 3 and is not a round trip through mg/g.
func reported(o record.Observation) units.Quantity { return reportedAt(&o) }

// reportedAt is reported for an observation in place (an observation is
// 184 bytes; the assessment's loops do not copy it to read one value).
func reportedAt(o *record.Observation) units.Quantity {
	srcUnit := o.SourceUnit()
	if units.Unit(srcUnit) == o.Value.Unit {
		return o.Value // as LookupUnit below would find: a stored unit is a UCUM code of the table
	}
	u, ok := units.LookupUnit(srcUnit)
	return reportedIn(o, u, ok)
}

// reportedIn is reported for an observation whose source unit
// (Provenance().Unit) is not its stored unit, with that unit as
// units.LookupUnit found it (ok false: not a known unit).
func reportedIn(o *record.Observation, u units.Unit, ok bool) units.Quantity {
	if !ok || u == o.Value.Unit {
		return o.Value
	}
	// A unit the analyte does not accept fails in Convert below.
	if o.SourceValue != "" {
		if v, err := parseSource(o.SourceValue); err == nil {
			q := units.Q(v, u)
			if c, err := o.Analyte.Convert(q, o.Value.Unit); err == nil && math.Abs(c.Value-o.Value.Value) <= 1e-9*math.Max(1, math.Abs(o.Value.Value)) {
				return q
			}
		}
	}
	q, err := o.Analyte.Convert(o.Value, u)
	if err != nil {
		return o.Value
	}
	// Ten significant digits remove only binary noise of the conversion
	// (3 mg/mmol, not 2.9999999999999996), 1e-10 relative: this is not the
	// display rounding that JSON never gets (docs/report.md, "Numbers").
	q.Value = roundSig(q.Value, 10)
	return q
}

// Reported returns an observation's value in the unit the source reported
// it in (see reported): what text output shows for a measured value.
func Reported(o record.Observation) units.Quantity { return reported(o) }

// roundSig rounds v to sig significant digits.
func roundSig(v float64, sig int) float64 {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return v
	}
	p := pow10(float64(sig-1) - math.Floor(math.Log10(math.Abs(v))))
	return math.Round(v*p) / p
}

// pow10 is math.Pow(10, e) for a whole e: math.Pow10 (a table) where the two
// are the same float64 (|e| <= 22, the powers of ten a float64 holds
// exactly, and their reciprocals; TestPow10 checks each), else math.Pow.
func pow10(e float64) float64 {
	if e >= -22 && e <= 22 {
		return math.Pow10(int(e))
	}
	return math.Pow(10, e)
}

func ptr[T any](v T) *T { return &v }

// months returns the time from a to b in months of 30.4375 days (365.25/12).
func months(a, b time.Time) float64 { return b.Sub(a).Hours() / 24 / 30.4375 }

// ageYears returns the age in fractional years (days / 365.25).
func ageYears(birth, t time.Time) float64 { return t.Sub(birth).Hours() / 24 / 365.25 }

// date is t.UTC().Format("2006-01-02"), written directly for the years
// 0-9999 (TestDateFormat): messages name many dates, and Format parses
// its layout each time.
func date(t time.Time) string {
	y, m, d := t.UTC().Date()
	if y < 0 || y > 9999 {
		return t.UTC().Format("2006-01-02")
	}
	b := [10]byte{byte('0' + y/1000), byte('0' + y/100%10), byte('0' + y/10%10), byte('0' + y%10), '-',
		byte('0' + m/10), byte('0' + m%10), '-', byte('0' + d/10), byte('0' + d%10)}
	return string(b[:])
}

func num(v float64) string {
	// A whole number under 10,000 (a count, an index, days) has at most 4
	// significant digits: roundSig keeps it and FormatFloat writes Itoa's
	// digits (TestNumWhole); 0 is left to FormatFloat for its "-0".
	if v != 0 && v > -1e4 && v < 1e4 && v == math.Trunc(v) {
		return strconv.Itoa(int(v))
	}
	return strconv.FormatFloat(roundSig(v, 4), 'f', -1, 64)
}

func sameDay(x, y time.Time) bool {
	x, y = x.UTC(), y.UTC()
	return x.Year() == y.Year() && x.YearDay() == y.YearDay()
}

// sessionGap: dialysis events no more than this far apart are one period.
// Maintenance haemodialysis is 2-3 sessions a week, but records may hold
// only some sessions (Synthea writes them in runs about three weeks apart);
// a period whose last session ended within this span of as_of is ongoing.
const sessionGap = 30 * day

// period is a span of kidney replacement therapy: a run of dialysis
// sessions, a dialysis episode, or a transplant (End zero).
type period struct {
	kind       string
	start, end time.Time // end zero: ongoing at as_of (dialysis) or a transplant
	events     int
}

// dialysisPeriods merges the dialysis events at or before asOf into
// periods. A kidney transplant after a period's last session ends that
// period (review 2 item 3): sessions on either side of a transplant are
// never merged, an open-ended dialysis episode ends at the transplant, and
// a period whose last session is recent is not ongoing when a transplant
// followed it.
func (a *assessor) dialysisPeriods() []period {
	var ps []period
	a.transplants = a.transplants[:0]
	for _, r := range a.tl.Replacements {
		if r.Kind == record.KidneyTransplant && !r.Start.After(a.asOf) {
			a.transplants = append(a.transplants, r)
		}
	}
	for _, r := range a.tl.Replacements {
		if !r.Kind.IsDialysis() || r.Start.After(a.asOf) {
			continue
		}
		end := r.End
		if end.After(a.asOf) {
			end = time.Time{}
		}
		if n := len(ps); n > 0 && (ps[n-1].end.IsZero() || r.Start.Sub(ps[n-1].end) <= sessionGap) && a.transplantIn(ps[n-1].last(), r.Start) == nil {
			p := &ps[n-1]
			p.events++
			if p.kind != r.Kind.String() {
				p.kind = record.Dialysis.String()
			}
			if !p.end.IsZero() && (end.IsZero() || end.After(p.end)) {
				p.end = end
			}
			continue
		}
		ps = append(ps, period{kind: r.Kind.String(), start: r.Start, end: end, events: 1})
	}
	// The last period is ongoing when its last session is recent, unless a
	// transplant came after it.
	if n := len(ps); n > 0 && !ps[n-1].end.IsZero() && a.asOf.Sub(ps[n-1].end) <= sessionGap && ps[n-1].events > 1 && a.transplantIn(ps[n-1].end, a.asOf) == nil {
		ps[n-1].end = time.Time{}
	}
	// An open-ended period ends at a later transplant.
	for i := range ps {
		if ps[i].end.IsZero() {
			if tx := a.transplantIn(ps[i].start, a.asOf); tx != nil {
				ps[i].end = tx.Start
			}
		}
	}
	return ps
}

// last returns the latest known date of a period: its end, or its start
// while open.
func (p period) last() time.Time {
	if p.end.IsZero() {
		return p.start
	}
	return p.end
}

// transplantIn returns the first kidney transplant in (from, to], not
// after asOf, or nil.
func (a *assessor) transplantIn(from, to time.Time) *record.Replacement {
	for i := range a.transplants {
		r := &a.transplants[i]
		if r.Start.After(from) && !r.Start.After(to) {
			return r
		}
	}
	return nil
}

// currentState reports whether a value taken at t can describe the
// patient's present kidney state (review 2 items 2 and 10): it is after
// the latest transplant (before it, it described the native kidney or
// dialysis), and it was not taken in a dialysis period that has since
// ended. While a patient is on dialysis, values from the running period
// are the present state.
func (a *assessor) currentState(t time.Time) bool {
	if a.transplant != nil && !t.After(a.transplant.Start) {
		return false
	}
	if p := a.dialysisAt(t); p != nil && p != a.onDialysis {
		return false
	}
	return true
}

// dialysisAt returns the dialysis period running at t, if any.
func (a *assessor) dialysisAt(t time.Time) *period {
	if len(a.dialysis) == 0 {
		return nil // most records: no call into the loop below for every value
	}
	return a.dialysisIn(t)
}

// dialysisIn is dialysisAt's search of the dialysis periods.
func (a *assessor) dialysisIn(t time.Time) *period {
	for i := range a.dialysis {
		p := &a.dialysis[i]
		if !t.Before(p.start) && (p.end.IsZero() || !t.After(p.end)) {
			return p
		}
	}
	return nil
}

// stateReason says why currentState(t) is false.
func (a *assessor) stateReason(t time.Time) string {
	if a.transplant != nil && !t.After(a.transplant.Start) {
		return "is from before the kidney transplant of " + date(a.transplant.Start)
	}
	if p := a.dialysisAt(t); p != nil {
		return "was taken during dialysis (" + date(p.start) + " to " + date(p.end) + ")"
	}
	return "describes another kidney state"
}

// hasCondition reports whether a condition of kind k had its onset at or
// before asOf.
func (a *assessor) hasCondition(k record.ConditionKind) bool {
	for _, c := range a.tl.Conditions {
		if c.Kind == k && !c.Onset.After(a.asOf) && c.Established() {
			return true
		}
	}
	return false
}

// ageBandUncertain reports whether the patient's age at t may fall on either
// side of the boundary (in whole years) because the birth date is partial:
// then a decision that depends on the age band must not be made silently
// (record.Patient.AgeRangeAt).
func (a *assessor) ageBandUncertain(t time.Time, boundary int) bool {
	if p := a.tl.Patient.BirthPrecision; p != record.PrecisionMonth && p != record.PrecisionYear {
		return false // a full birth date: one age at t (record.Patient.BirthRange), never on both sides
	}
	young, old, ok := a.tl.Patient.AgeRangeAt(t)
	return ok && young < boundary && old >= boundary
}
