package assess

import (
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"renalwatch/lupus"
	"renalwatch/record"
	"renalwatch/units"
)

// inductionClasses start an induction episode for the renal response
// (KDIGO 2024 LN rec 10.2.3.1.1, lupus.md §2.7: glucocorticoids plus MPAA,
// low-dose IV cyclophosphamide, belimumab or a CNI — voclosporin,
// tacrolimus or ciclosporin, so a multitarget MPAA + tacrolimus regimen
// lists both; obinutuzumab and rituximab are used the same way; an MSC
// infusion is judged like any other therapy, lupus.md §8). A glucocorticoid
// alone does not start an episode: it is part of every regimen and is often
// continuous. Azathioprine (maintenance), anifrolumab (non-renal SLE),
// leflunomide and mizoribine (also given for arthritis and non-renal SLE;
// no LN guideline lists them) start none: an SLE patient on leflunomide for
// arthritis must not get a "renal response" or a no-response alert. Their
// courses still get a before/after effect (therapies[].effect).
var inductionClasses = map[record.TherapyClass]bool{
	record.Mycophenolate: true, record.Cyclophosphamide: true, record.Belimumab: true, record.Voclosporin: true,
	record.Obinutuzumab: true, record.Rituximab: true, record.MSCInfusion: true, record.CalcineurinInhibitor: true,
}

// InductionClass reports whether a therapy class starts an induction
// episode (inductionClasses): the lupus nephritis treatments whose start
// after a renal flare means the flare is being treated (cards of the CDS
// Hooks service).
func InductionClass(c record.TherapyClass) bool { return inductionClasses[c] }

// episodeJoin: a glucocorticoid started up to this span before an
// induction course belongs to it (methylprednisolone pulses precede the
// oral drugs by days).
const episodeJoin = 31 * day

// courseGap: a record of an induction drug that starts no more than this
// after the course so far reaches (each record's end, or its start when the
// source gave no end) continues the course. Each refill, dispense or
// infusion is its own record (fhir/read.go): monthly refills and 90-day
// supplies, Euro-Lupus infusions every 2 weeks and NIH cyclophosphamide every
// 3 months all stay one course; a pause of up to 3 months (infection,
// surgery) does not start a new one.
const courseGap = 93 * day

// antiCD20Gap replaces courseGap for a repeat dose of rituximab or
// obinutuzumab, which are re-dosed at 6 months (obinutuzumab day 1, weeks
// 2, 24, 26, 50 and 52: NOBILITY, Furie ARD 2022;81:100; REGENCY,
// ClinicalTrials.gov NCT04221477 — checked with the search tool).
const antiCD20Gap = 183 * day

// initialMonths: KDIGO 2024 LN describes initial therapy of about 6 months
// followed by maintenance (lupus.md §2.2, §2.7). A different induction agent
// added to a course later than this is a new induction (for non-response or
// a flare) and is judged against the baseline before it — except
// mycophenolate, the standard maintenance drug after cyclophosphamide, which
// continues the course.
const initialMonths = 6

// episode is one course of induction therapy: the records of induction
// drugs joined by courseGap, with a glucocorticoid started just before.
type episode struct {
	start     time.Time // the first record's start (earlier when a glucocorticoid joins)
	drugStart time.Time // the first induction record's start
	reach     time.Time // the latest end (or start when none) of its records
	therapies []string  // classes, in order of first record, each once
	members   []int     // indices into the timeline's Therapies
}

func (e *episode) has(c string) bool { return slices.Contains(e.therapies, c) }

func (e *episode) add(i int, th record.Therapy) {
	e.members = append(e.members, i)
	if !e.has(th.Class.String()) {
		e.therapies = append(e.therapies, th.Class.String())
	}
	if r := recordReach(th); r.After(e.reach) {
		e.reach = r
	}
}

// recordReach is the last day a record shows its drug given: its end, or
// its start when the source gave no end.
func recordReach(th record.Therapy) time.Time {
	if !th.End.IsZero() && th.End.After(th.Start) {
		return th.End
	}
	return th.Start
}

// continues reports whether th continues course e rather than starting a
// new induction episode.
func (e *episode) continues(th record.Therapy) bool {
	c := th.Class.String()
	gap := courseGap
	if e.has(c) && (th.Class == record.Rituximab || th.Class == record.Obinutuzumab) {
		gap = antiCD20Gap
	}
	if th.Start.Sub(e.reach) > gap {
		return false // the course had ended for longer than the gap
	}
	if !e.has(c) && th.Class != record.Mycophenolate && th.Start.After(e.drugStart.AddDate(0, initialMonths, 0)) {
		return false // an agent added after the initial phase: re-induction
	}
	return true
}

// transplantLead: immunosuppression started this close before a kidney
// transplant, or after it, is the graft's, not lupus nephritis induction.
const transplantLead = 7 * day

// graftTherapy reports whether th started from transplantLead before a
// kidney transplant (at or before as_of) on: it protects the graft.
func (a *assessor) graftTherapy(th record.Therapy) bool {
	t := a.firstTransplant()
	return t != nil && !th.Start.Before(t.Start.Add(-transplantLead))
}

// firstTransplant returns the earliest kidney transplant at or before asOf.
func (a *assessor) firstTransplant() *record.Replacement {
	for i, r := range a.tl.Replacements {
		if r.Kind == record.KidneyTransplant && !r.Start.After(a.asOf) {
			return &a.tl.Replacements[i]
		}
	}
	return nil
}

// inductions returns the induction episodes started at or before asOf, one
// per course of therapy: a record of an induction drug continues the
// latest course when it starts within courseGap of the course's reach
// (refills, repeated infusions, mycophenolate maintenance after
// cyclophosphamide), so the response is judged from the start of the
// course against the baseline before it (KDIGO 2024 LN: 6-12 months after
// the start of therapy). A new episode starts when the course had ended for
// longer than the gap, or when a different agent other than mycophenolate
// is added after the initial 6 months. Therapies started from a week before
// a kidney transplant on protect the graft: the LN response rules (KDIGO
// 2024, lupus.md §2) judge the native kidney's response to induction, so
// those therapies start no episode.
func (a *assessor) inductions() []episode {
	if a.epsDone {
		return a.eps // shared by lupus, the flare gate and therapies; not modified
	}
	a.epsDone = true
	var eps []episode
	for i, th := range a.tl.Therapies {
		if th.Start.After(a.asOf) || !inductionClasses[th.Class] || a.graftTherapy(th) {
			continue
		}
		if n := len(eps); n > 0 && eps[n-1].continues(th) {
			eps[n-1].add(i, th)
			continue
		}
		e := episode{start: th.Start, drugStart: th.Start, reach: th.Start}
		e.add(i, th)
		eps = append(eps, e)
	}
	// A glucocorticoid started shortly before an episode belongs to it.
	for i := range eps {
		for _, th := range a.tl.Therapies {
			if th.Class == record.Glucocorticoid && !th.Start.After(eps[i].start) && eps[i].start.Sub(th.Start) <= episodeJoin {
				eps[i].start = th.Start
				eps[i].therapies = append([]string{th.Class.String()}, eps[i].therapies...)
				break
			}
		}
	}
	a.eps = eps
	return eps
}

func (a *assessor) lupus() {
	l := &a.out.Lupus
	l.Applicable = a.hasCondition(record.SLE) || a.hasCondition(record.LupusNephritis)
	// Biopsies and findings are in time order: one at or before as_of is
	// the first.
	if bs := a.tl.Biopsies; len(bs) > 0 && !bs[0].Time.After(a.asOf) {
		l.Applicable = true
	}
	if fs := a.tl.Findings; len(fs) > 0 && !fs[0].Time.After(a.asOf) {
		l.Applicable = true
	}
	a.lupusOn = l.Applicable
	if !l.Applicable {
		a.miss("lupus", "no SLE or lupus nephritis diagnosis, biopsy or SLEDAI-2K finding in the record: lupus rules not applied")
		return
	}
	a.sledai()
	a.biopsy()
	eps := a.inductions()
	a.noLN = !a.knownNephritis()
	// Flares first: the response of an episode is judged up to the first
	// flare after it (judgeEpisode), the state after it against the flare
	// (markFlareState). missing keeps its order: lupus.response, then
	// lupus.flares.
	n := len(a.out.Missing)
	if a.noLN {
		// A renal flare is a relapse of lupus nephritis after a response
		// (KDIGO 2012 GN guideline Table 29; EULAR/ERA-EDTA 2012): in SLE
		// without known nephritis there is none to relapse, and the flare
		// rules' words (response, relapse, persistent activity) would
		// describe a nephritis the record does not show.
		a.miss("lupus.flares", noLNFlare)
	} else {
		a.flares()
	}
	flareMissing := slices.Clone(a.out.Missing[n:])
	a.out.Missing = a.out.Missing[:n]
	switch why := a.replacementBlocks(a.asOf); {
	case why != "":
		a.miss("lupus.response", why)
	case a.noLN:
		a.miss("lupus.response", noLNResponse)
	case len(eps) == 0:
		a.miss("lupus.response", "no induction therapy (mycophenolate, cyclophosphamide, belimumab, voclosporin, tacrolimus or ciclosporin, obinutuzumab, rituximab or MSC) in the record")
	default:
		e := eps[len(eps)-1]
		a.induction = &e
		a.response = a.responseAt(e, a.asOf, "lupus.response")
		l.Response = a.response
	}
	a.out.Missing = append(a.out.Missing, flareMissing...)
	if a.noLN {
		return
	}
	a.markFlareState(a.response, a.asOf, "lupus.response")
}

// noLNFlare is why no renal flare is judged for SLE without known lupus
// nephritis (knownNephritis).
const noLNFlare = "not applicable: no lupus nephritis recorded (no lupus nephritis diagnosis, kidney biopsy with an ISN/RPS class, or renal SLEDAI-2K descriptor present): a renal flare is a relapse of lupus nephritis (KDIGO 2012 GN guideline Table 29); proteinuria in SLE without known nephritis is judged by the albuminuria alerts"

// noLNResponse is why no renal response is judged for SLE without known
// lupus nephritis (trial-cli #5). A renal response is the response of lupus
// nephritis to its treatment (KDIGO 2024 LN guideline: complete and partial
// response are defined against the proteinuria and GFR of active LN), and
// an immunosuppressant given for extrarenal SLE (or a calcineurin inhibitor
// for another reason) is not LN induction. Known nephritis is that of the
// monitoring alert (knownNephritis), so the report does not call the patient
// "SLE without known lupus nephritis" there and judge a renal response here.
const noLNResponse = "not applicable: no lupus nephritis recorded (no lupus nephritis diagnosis, kidney biopsy with an ISN/RPS class, or renal SLEDAI-2K descriptor present): a renal response, and induction therapy, are those of lupus nephritis"

// replacementBlocks returns why no renal response can be judged at t, or
// "": after a kidney transplant (the lupus nephritis rules judge the native
// kidney, and immunosuppression after a transplant protects the graft) or
// on dialysis (UPCR and eGFR no longer measure the native kidney's
// response). lupus.response has been guarded so since commit fc4da9c;
// therapies[].effect.response uses the same guard.
func (a *assessor) replacementBlocks(t time.Time) string {
	switch tx, dia := a.replacementAt(t); {
	case tx != nil:
		return "not judged: kidney transplant on " + date(tx.Start) + "; the lupus nephritis response rules judge the native kidney, and immunosuppression after a transplant protects the graft"
	case dia:
		return "not judged: on dialysis; UPCR and eGFR no longer measure a response of the native kidney"
	}
	return ""
}

// replacementAt returns the latest kidney transplant at or before t (and
// as_of), and whether t falls in a dialysis period.
func (a *assessor) replacementAt(t time.Time) (*record.Replacement, bool) {
	var tx *record.Replacement
	for i, r := range a.tl.Replacements {
		if r.Kind == record.KidneyTransplant && !r.Start.After(t) && !r.Start.After(a.asOf) {
			tx = &a.tl.Replacements[i]
		}
	}
	return tx, a.dialysisAt(t) != nil
}

// flareBlocks is replacementBlocks for a flare visit at t.
func (a *assessor) flareBlocks(t time.Time) string {
	switch tx, dia := a.replacementAt(t); {
	case tx != nil:
		return "after the kidney transplant of " + date(tx.Start) + ": the lupus nephritis flare rules judge the native kidney"
	case dia:
		return "on dialysis: UPCR and creatinine no longer measure the native kidney's disease activity"
	}
	return ""
}

// sledai scores the latest visit with SLEDAI-2K findings: descriptors
// recorded in the attribution window ending at that visit (the latest
// record of each descriptor wins), or a reported total when the visit has
// no descriptors.
func (a *assessor) sledai() {
	// The findings are in time order (their stamps index for index): the
	// latest at or before as_of is the one before the first after it.
	var last *record.Finding
	fss := a.findingStamps()
	if n := sort.Search(len(fss), func(i int) bool { return fss[i].after(a.asOfS) }); n > 0 {
		last = &a.tl.Findings[n-1]
	}
	if last == nil {
		a.miss("lupus.sledai", "no SLEDAI-2K findings at or before as_of")
		return
	}
	w := a.cfg.SLEDAIWindowDays
	from := last.Time.Add(-time.Duration(w) * day)
	// The latest record of each descriptor: by its index in sledaiItems
	// (0 unrecorded, 1 absent, 2 present), codes outside it only counted
	// (an array and a read-only index instead of a map per assessment).
	var state [sledaiNames]uint8
	var others []string
	recorded := 0
	var score *float64
	var scoreDate time.Time
	visit := time.Time{}
	lastS := stampOf(last.Time)
	for i := searchFrom(fss, stampOf(from)); i < len(fss) && !fss[i].after(lastS); i++ {
		f := &a.tl.Findings[i]
		if f.Code == record.FindingSLEDAI2KScore {
			if f.Score != nil {
				score, scoreDate = f.Score, f.Time
			}
			continue
		}
		if k, ok := sledaiIndex[f.Code]; ok {
			if state[k] == 0 {
				recorded++
			}
			state[k] = 1
			if f.Present {
				state[k] = 2
			}
		} else if !slices.Contains(others, f.Code) {
			others = append(others, f.Code)
			recorded++
		}
		visit = f.Time
	}
	src := "Gladman DD, Ibañez D, Urowitz MB. J Rheumatol 2002;29:288-91 (SLEDAI-2K)"
	if recorded > 0 {
		var items []string
		for k, d := range sledaiItems {
			if state[k] == 2 {
				items = append(items, d)
			}
		}
		r, err := lupus.SLEDAI2K(items, w)
		if err != nil {
			a.miss("lupus.sledai", "SLEDAI-2K not scored: "+err.Error())
			return
		}
		a.out.Lupus.SLEDAI = &SLEDAI{Score: r.Score, RenalScore: ptr(r.RenalScore), Date: visit, Basis: "descriptors", WindowDays: w, Items: r.Items,
			Recorded: recorded, Source: src}
		if n := recorded; n < len(sledaiItems) {
			a.miss("lupus.sledai.score", "only "+num(float64(n))+" of 24 SLEDAI-2K descriptors were recorded at the visit of "+date(visit)+
				"; the others are unknown and count as absent, so the score is a lower bound")
		}
		return
	}
	if score == nil || *score < 0 || *score > 105 || *score != math.Trunc(*score) {
		a.miss("lupus.sledai", "the latest SLEDAI-2K record has neither descriptors nor a valid total (0-105)")
		return
	}
	a.out.Lupus.SLEDAI = &SLEDAI{Score: int(*score), Date: scoreDate, Basis: "reported score", WindowDays: w, Items: []lupus.ScoredItem{}, Source: src + "; total as reported, descriptors not given"}
	a.miss("lupus.sledai.renal_score", "only a total SLEDAI-2K score was reported")
}

// sledaiItems is lupus.SLEDAIItems, read once (sledai reads it at every
// assessment; not modified).
var sledaiItems = lupus.SLEDAIItems()

// sledaiNames is the number of SLEDAI-2K descriptors (sledai's array).
const sledaiNames = 24

// sledaiIndex is each descriptor's index in sledaiItems (read-only).
var sledaiIndex = func() map[string]int {
	if len(sledaiItems) != sledaiNames {
		panic("assess: SLEDAI-2K has 24 descriptors")
	}
	m := make(map[string]int, len(sledaiItems))
	for i, d := range sledaiItems {
		m[d] = i
	}
	return m
}()

func (a *assessor) biopsy() {
	var b *record.Biopsy
	for i := range a.tl.Biopsies {
		if !a.tl.Biopsies[i].Time.After(a.asOf) {
			b = &a.tl.Biopsies[i]
		}
	}
	if b == nil {
		a.miss("lupus.biopsy", "no kidney biopsy in the record")
		return
	}
	class := strings.Join(b.Classes, "+")
	act, chr := map[string]lupus.BiopsyValue{}, map[string]lupus.BiopsyValue{}
	put := func(m map[string]lupus.BiopsyValue, key string, v *int) {
		if v != nil {
			m[key] = lupus.BiopsyValue{Score: *v}
		}
	}
	put(act, "endocapillary_hypercellularity", b.EndocapillaryHypercellularity)
	put(act, "neutrophils_karyorrhexis", b.Neutrophils)
	put(act, "fibrinoid_necrosis", b.FibrinoidNecrosis)
	put(act, "hyaline_deposits", b.HyalineDeposits)
	put(act, "cellular_fibrocellular_crescents", b.CellularCrescents)
	put(act, "interstitial_inflammation", b.InterstitialInflammation)
	put(chr, "glomerulosclerosis", b.GlomerularSclerosis)
	put(chr, "fibrous_crescents", b.FibrousCrescents)
	put(chr, "tubular_atrophy", b.TubularAtrophy)
	put(chr, "interstitial_fibrosis", b.InterstitialFibrosis)
	r, err := lupus.Biopsy(class, lupus.ISNRPS2018, act, chr)
	if err != nil {
		// Classes written with the 2003 subdivisions (IV-G (A/C)).
		r2, err2 := lupus.Biopsy(class, lupus.ISNRPS2003, act, chr)
		if err2 != nil {
			a.miss("lupus.biopsy", "biopsy of "+date(b.Time)+" not read: "+err.Error())
			return
		}
		r = r2
	}
	out := &Biopsy{Class: r.Class, ClassName: r.ClassName, Rules: r.Rules, ActivityIndex: r.ActivityIndex, ChronicityIndex: r.ChronicityIndex,
		IndexBasis: "items", NotAssessed: r.NotAssessed, Date: b.Time, Note: r.Note}
	if out.ActivityIndex == nil && b.ActivityIndex != nil && *b.ActivityIndex >= 0 && *b.ActivityIndex <= 24 {
		out.ActivityIndex, out.IndexBasis = ptr(*b.ActivityIndex), "reported totals"
	}
	if out.ChronicityIndex == nil && b.ChronicityIndex != nil && *b.ChronicityIndex >= 0 && *b.ChronicityIndex <= 12 {
		out.ChronicityIndex, out.IndexBasis = ptr(*b.ChronicityIndex), "reported totals"
	}
	if out.ActivityIndex == nil {
		a.miss("lupus.biopsy.activity_index", "not every NIH activity item was reported (and no total)")
	}
	if out.ChronicityIndex == nil {
		a.miss("lupus.biopsy.chronicity_index", "not every NIH chronicity item was reported (and no total)")
	}
	a.out.Lupus.Biopsy = out
}

// egfrNear returns the creatinine-only eGFR nearest t within tol, not after
// asOf.
// The point is a.points' own (shared, not to be modified).
func (a *assessor) egfrNear(t time.Time, tol time.Duration, notAfter bool) (*point, bool) {
	// a.points is in time order: start at the first within tol before t
	// and stop after t + tol (the same points, in the same order, as a
	// full scan; the first of equally near points wins).
	// Times are compared as stamps (the points' own, index for index).
	ts := stampOf(t)
	from, to := ts.add(-tol), ts.add(tol)
	pts, ss := a.points, a.pointStamps()
	best, bestD := -1, time.Duration(0)
	for i := searchFrom(ss, from); i < len(pts); i++ {
		if ss[i].after(to) {
			break
		}
		if p := &pts[i]; !p.ok || (notAfter && ss[i].after(ts)) {
			continue
		}
		if d := absDur(ss[i].sub(ts)); d <= tol && (best < 0 || d < bestD) {
			best, bestD = i, d
		}
	}
	if best < 0 {
		return nil, false
	}
	return &pts[best], true
}

// responseAt judges the renal response to episode e with the values known
// at time at: the baseline UPCR and eGFR are the latest within
// BaselineLookback before the start; the current UPCR is the latest after
// the start, at or before at, and the current eGFR the one nearest it
// (within 90 days). Before 6 calendar months the response is "too early".
// From then on every UPCR is judged and the best response reached stands
// (judgeEpisode). Reasons a value is null go to Missing under path.
func (a *assessor) responseAt(e episode, at time.Time, path string) *Response {
	rule := a.cfg.ResponseRule
	r := &Response{Rule: rule, Since: e.start, Months: months(e.start, at), Therapies: e.therapies,
		Criteria: []lupus.CriterionResult{}, Warnings: []string{}}
	sixMonths := e.start.AddDate(0, 6, 0) // calendar months: a sample "at 6 months" is 181-184 days
	if at.Before(sixMonths) {
		r.Response = ptr("too early")
		r.Warnings = append(r.Warnings, "renal response is judged from 6 months after the start of therapy (KDIGO 2024 LN: 6-12 months)")
		return r
	}
	base, ok := a.tl.Baseline(units.PCR, e.start, a.cfg.BaselineLookback)
	if !ok || base.Comparator != record.Exact {
		a.miss(path, "no measured UPCR in the "+num(a.cfg.BaselineLookback.Hours()/24)+" days before the start of therapy ("+date(e.start)+")")
		return r
	}
	bq := a.reportedPCR(&base)
	r.BaselineUPCR = &bq
	if lupus.BaselineBelowActive(bq) {
		// No LN proteinuria at the start: the response rules do not apply
		// (lupus.BaselineBelowActive); no category, no no-response alert.
		r.Response = ptr(lupus.ResponseNotApplicable)
		r.Warnings = append(r.Warnings, lupus.NoProteinuriaNote)
		return r
	}
	cur, ok := a.latestExact(units.PCR, at, 0)
	if !ok || !cur.Time.After(e.start) {
		a.miss(path, "no UPCR after the start of therapy ("+date(e.start)+")")
		return r
	}
	a.judgeEpisode(r, e, at, cur, bq, path)
	if r.AssessedAt != nil {
		r.AssessedMonths = ptr(months(e.start, *r.AssessedAt))
	}
	return r
}

// visitTolerance pairs a creatinine, urine microscopy or cast finding with
// a UPCR taken within this many days.
const visitTolerance = 7 * day

// flares applies the configured flare rule to each UPCR against the
// previous one (the "last value" of Moroni; the baseline of KDIGO 2012 Table
// 29), with the creatinine, urine red cells and casts of the same visits.
// Consecutive visits that each meet the rule are one flare.
func (a *assessor) flares() {
	rule := a.cfg.FlareRule
	// The measured UPCRs, with their values in the unit of report.
	ul := a.upcrs()
	upcr := ul.obs
	// What each visit shows, read once: a visit is the current value of one
	// comparison and the baseline of the next.
	// (The UPCR in the unit of report is ul.q's.)
	type visit struct {
		creat, rbc *record.Observation // shared with the timeline; nil when none
		creatQ     units.Quantity      // creat in the unit of report (reportedAt), read once per visit
		creatMg    float64             // creatQ in mg/dL (creatinineMgDL)
		casts      *bool
		sediment   string
	}
	visits := make([]visit, len(upcr))
	// The UPCRs are in time order, so each search window starts at or
	// after the previous one's: cursors walk the creatinines, red cells and
	// findings once (nearest, castsNear).
	creat, rbc, casts := a.cursor(units.Creatinine), a.cursor(units.UrineRBC), a.findingCursor()
	for i := range upcr {
		v := &visits[i]
		ts := ul.at[i]
		if rule != lupus.AURORA2Flare {
			if v.creat = creat.nearest(ts, visitTolerance); v.creat != nil {
				v.creatQ = reportedAt(v.creat)
				v.creatMg = creatinineMgDL(v.creatQ).Value
			}
		}
		switch rule {
		case lupus.KDIGO2012Flare:
			v.rbc = rbc.nearest(ts, visitTolerance)
			v.casts = a.castsFrom(casts.from(ts.add(-visitTolerance)), ts)
		case lupus.MoroniFlare, lupus.EULAR2012Flare:
			v.sediment = a.sediment(upcr[i].Time)
		}
	}
	gate := a.newResponseGate()
	var open *FlareEvent
	openAfter := ""      // the response the open flare follows (eular-2012)
	var respAt time.Time // the date of the response the open flare follows
	var noResponse []time.Time
	var noResponseAgain []time.Time // rises after a flare with no response since
	var skipped, far []string
	var blocked []string // reasons, in order; one entry each
	blockedDates := map[string][]time.Time{}
	// Only a transplant or dialysis blocks a visit (replacementAt): a
	// record without either is not searched at every visit.
	mayBlock := len(a.tl.Replacements) > 0
	for i := 1; i < len(upcr); i++ {
		b, c := &upcr[i-1], &upcr[i]
		vb, vc := &visits[i-1], &visits[i]
		why := ""
		if mayBlock {
			if why = a.flareBlocks(c.Time); why == "" {
				why = a.flareBlocks(b.Time)
			}
		}
		if why != "" {
			if blockedDates[why] == nil {
				blocked = append(blocked, why)
			}
			blockedDates[why] = append(blockedDates[why], c.Time)
			open = nil
			continue
		}
		if ul.at[i].sec-ul.at[i-1].sec >= int64(flareMaxMonthsAtLeast/time.Second) && c.Time.After(b.Time.AddDate(0, flareMaxMonths, 0)) {
			far = append(far, date(c.Time)+" ("+num(c.Time.Sub(b.Time).Hours()/24)+" days after "+date(b.Time)+")")
			open = nil
			continue
		}
		// The flare input's parts, in the order they were always read
		// (castsCleared and the eular-2012 gate judge UPCRs); the input
		// itself is built only for a visit mayFlare passes.
		withCreat := vb.creat != nil && vc.creat != nil && vb.creat != vc.creat
		var baseRBC, curRBC units.Quantity
		if vb.rbc != nil && vc.rbc != nil && vb.rbc != vc.rbc {
			baseRBC, curRBC = vb.rbc.Value, vc.rbc.Value
		}
		var cleared *bool
		if rule == lupus.KDIGO2012Flare && vc.casts != nil && *vc.casts {
			cleared = a.castsCleared(gate, i, c.Time, open, respAt)
		}
		after := ""
		if rule == lupus.EULAR2012Flare {
			after = openAfter
			if open == nil {
				after = gate.reached(i-1, true)
				if after != lupus.ResponseComplete && after != lupus.ResponsePartial {
					after = ""
				}
			}
			if after == "" {
				if l := gate.lost; l != nil && open == nil {
					l.skipped = true
				}
				skipped = append(skipped, date(c.Time))
				open = nil
				continue
			}
		}
		creatRise := 0.0 // creatinineRise of the input, from each visit's value in mg/dL
		if withCreat {
			creatRise = vc.creatMg - vb.creatMg
		}
		if !mayFlare(rule, b.Value.Value, c.Value.Value, creatRise, vc.casts, vc.sediment, curRBC, baseRBC) {
			open = nil
			continue
		}
		in := lupus.FlareInput{BaselineUPCR: ul.q[i-1], UPCR: ul.q[i], BaselineRBC: baseRBC, RBC: curRBC,
			Casts: vc.casts, CastsCleared: cleared, Sediment: vc.sediment, After: after}
		if withCreat {
			in.BaselineCreatinine, in.Creatinine = vb.creatQ, vc.creatQ
		}
		// The decision first (lupus.FlareBrief): most rises continue a flare
		// or have no prior response, and only a new flare's criteria are
		// written out (below, by lupus.Flare, with the same decision).
		res, err := lupus.FlareBrief(rule, in)
		if err != nil || !res.Flare {
			if err != nil && rule != lupus.AURORA2Flare {
				a.miss("lupus.flares", "visit "+date(c.Time)+" not assessed: "+err.Error())
			}
			open = nil
			continue
		}
		if open != nil {
			gate.reset(i)
			open.LastDate, open.Visits, open.UPCR, open.last = c.Time, open.Visits+1, in.UPCR, i
			open.Provisional = open.Provisional || res.Provisional
			if worse(res.Severity, open.Severity) {
				open.Severity = res.Severity
			}
			if open.Type == nil {
				open.Type = res.Type
			}
			continue
		}
		if gate.reached(i-1, rule == lupus.EULAR2012Flare) == "" {
			if l := gate.lost; l != nil {
				l.rises = append(l.rises, c.Time)
			} else if len(a.out.Lupus.Flares) > 0 {
				noResponseAgain = append(noResponseAgain, c.Time)
			} else {
				noResponse = append(noResponse, c.Time)
			}
			continue
		}
		respAt = gate.at
		gate.reset(i)
		openAfter = in.After
		res, _ = lupus.Flare(rule, in) // no error: FlareBrief, with the same checks, gave none
		a.out.Lupus.Flares = append(a.out.Lupus.Flares, FlareEvent{Date: c.Time, LastDate: c.Time, last: i, Visits: 1, Rule: rule,
			Severity: res.Severity, Type: res.Type, Provisional: res.Provisional, BaselineUPCR: in.BaselineUPCR, UPCR: in.UPCR,
			Criteria: res.Criteria, Source: res.Source})
		open = &a.out.Lupus.Flares[len(a.out.Lupus.Flares)-1]
	}
	if len(upcr) < 2 {
		a.miss("lupus.flares", "fewer than two measured UPCRs: flares cannot be judged")
	}
	a.missNoResponse(rule, noResponse, noResponseAgain)
	a.missLost(rule, gate.losses)
	if len(skipped) > 0 {
		a.miss("lupus.flares", "eular-2012 needs a prior complete or partial response; not judged at "+strings.Join(skipped, ", "))
	}
	if len(far) > 0 {
		a.miss("lupus.flares", "a UPCR is compared only with a previous UPCR at most "+num(flareMaxMonths)+
			" calendar months earlier (a rise over a longer gap may be slow progression or a missed flare); not compared: "+strings.Join(far, ", "))
	}
	for _, why := range blocked {
		ds := blockedDates[why]
		which := "UPCR of " + date(ds[0])
		if len(ds) > 1 {
			which = num(float64(len(ds))) + " UPCRs from " + date(ds[0]) + " to " + date(ds[len(ds)-1])
		}
		a.miss("lupus.flares", which+" not compared with the previous one, "+why)
	}
}

// flareMaxMonths: a flare is judged only between two UPCRs at most this
// many calendar months apart. KDIGO 2012 Table 29 compares with the
// baseline and Moroni with the "last value" (lupus.md §2.5), both assuming
// regular monitoring: ACR 2024 measures proteinuria at least every 3 months
// until complete response and every 3-6 months once it is sustained
// (lupus.md §2.4). The limit is that longest interval, 6 months, plus one
// month for scheduling. Two values further apart are not consecutive visits
// of that schedule: a rise between them may be slow progression, or a flare
// missed at its peak, and is reported in missing rather than as a flare.
const flareMaxMonths = 7

// flareMaxMonthsAtLeast is less than any flareMaxMonths calendar months
// (7 months hold at least 28 + 3×30 + 3×31 = 211 days, more when AddDate
// carries a day past a short month's end, and an hour of daylight saving
// at most less): two UPCRs no further apart are never too far apart, and
// the calendar arithmetic is done only for those that may be.
const flareMaxMonthsAtLeast = 7 * 28 * day

var severityRank = map[string]int{"mild": 1, "moderate": 2, "severe": 3}

func worse(x, y *string) bool {
	if x == nil {
		return false
	}
	if y == nil {
		return true
	}
	return severityRank[*x] > severityRank[*y]
}

// castsNear reads the urinary_casts finding within visitTolerance of t
// (the latest one when several).
func (a *assessor) castsNear(t time.Time) *bool {
	ss, ts := a.findingStamps(), stampOf(t)
	return a.castsFrom(searchFrom(ss, ts.add(-visitTolerance)), ts)
}

// castsFrom is castsNear from index lo of the findings, the first not
// before ts - visitTolerance.
func (a *assessor) castsFrom(lo int, ts stamp) *bool {
	fs, ss := a.tl.Findings, a.findingStamps()
	var v *bool
	for i, to := lo, ts.add(visitTolerance); i < len(fs) && !ss[i].after(to); i++ {
		if f := &fs[i]; f.Code == record.FindingUrinaryCasts && !ss[i].after(a.asOfS) {
			v = ptr(f.Present)
		}
	}
	return v
}

// mayFlare is a cheap screen that lets flares skip lupus.Flare at visits
// where no rule could find one. It must be a superset of every rule: a
// false here drops a flare. Every flare definition needs something to
// worsen (UPCR, creatinine, red cells), casts, active sediment, or, for
// KDIGO 2012 severe, a UPCR increase above 5000 mg/g (500 mg/mmol = 4420
// mg/g), so a UPCR of at least 4000 mg/g always passes. For the default kdigo-2012 rule the screen is tighter, with a
// margin below each Table 29 threshold, in canonical mg/g whatever the unit
// of report: a moderate UPCR rise needs at least 880 mg/g (the smallest
// target is 100 mg/mmol = 884 mg/g) and, from a baseline of 500 mg/g or
// more, at least 1760 mg/g (200 mg/mmol = 1768) while the baseline is at
// most 1000 mg/g, or a doubling above it; a creatinine rise needs at least
// 0.19 mg/dL (the smallest moderate rise is 0.20 mg/dL, 17.7 umol/L); red
// cells more than 15/hpf; or casts. TestMayFlareIsSuperset checks the
// screen against lupus.Flare over a grid of values in every unit.
//
// bv and cv are the previous and the current UPCR in the stored unit, mg/g;
// creatRise is creatinineRise of the flare input, and casts, sediment, rbc
// and baseRBC are its Casts, Sediment, RBC and BaselineRBC.
func mayFlare(rule lupus.FlareRule, bv, cv, creatRise float64, casts *bool, sediment string, rbc, baseRBC units.Quantity) bool {
	const severeUPCR = 4000.0 // mg/g, below 4420 and 5000
	if cv >= severeUPCR || (casts != nil && *casts) || sediment == "active" {
		return true
	}
	if rule == lupus.KDIGO2012Flare {
		moderateUPCR := cv >= 880 && (bv < 500 || (bv <= 1000 && cv >= 1760) || cv >= 1.99*bv)
		return moderateUPCR || creatRise >= 0.19 || (!rbc.IsZero() && rbc.Value > 15)
	}
	return cv > bv || creatRise > 0 || (!rbc.IsZero() && rbc.Value > baseRBC.Value)
}

// creatinineRise is the rise of the creatinine of a flare input in mg/dL,
// 0 when it has none.
func creatinineRise(in *lupus.FlareInput) float64 {
	if in.Creatinine.IsZero() {
		return 0
	}
	return creatinineMgDL(in.Creatinine).Value - creatinineMgDL(in.BaselineCreatinine).Value
}

// creatinineMgDL is a creatinine in mg/dL, as creatinineRise reads it.
func creatinineMgDL(q units.Quantity) units.Quantity {
	if q.Unit == units.MgPerDL {
		return q // as Convert returns a quantity already in the unit asked for
	}
	c, _ := units.Creatinine.Convert(q, units.MgPerDL)
	return c
}

// sediment is "active" when a visit near t shows > 5 RBC/hpf, > 5 WBC/hpf
// or casts (lupus.md §6), "inactive" when it was examined and showed none,
// and "" when there is no urine microscopy.
func (a *assessor) sediment(t time.Time) string {
	seen, active := false, false
	for _, an := range []units.Analyte{units.UrineRBC, units.UrineWBC} {
		if o, ok := a.nearestExact(an, t, visitTolerance); ok {
			seen = true
			active = active || o.Value.Value > 5
		}
	}
	if c := a.castsNear(t); c != nil {
		seen = true
		active = active || *c
	}
	switch {
	case active:
		return "active"
	case seen:
		return "inactive"
	}
	return ""
}
