package synth

import (
	"math"
	"math/rand/v2"
	"sort"
	"strconv"
)

// Patient is one generated patient: the true story (Truth) and what a
// record of it holds (the events). A Generator reuses one Patient, so the
// slices are valid until the next call.
type Patient struct {
	Truth Truth

	sex          byte // 'f' or 'm'
	birth        int  // day
	sleOnset     int
	lnOnset      int // 0 when no nephritis
	induction    int
	responseDay  int
	flares       []int
	kf, dialysis int // 0 when none
	transplant   int
	msc          int
	ckd4         int // first day the true GFR is below 30
	end          int
	si           bool // SI units (µmol/L, mg/mmol, g/L) from the first visit
	siSwitch     int  // day the laboratory changes unit system; 0 when never
	gfrOrGPerG   bool // conventional laboratories: UPCR in g/g rather than mg/g
	heightFactor float64
	activity     int // NIH activity index of the biopsy
	chronicity   int

	gfr  knots // true GFR, mL/min/1.73 m2
	upcr knots // natural log of the true UPCR in mg/g

	Labs     []Lab
	Findings []Finding
	Meds     []Med
}

// Lab is one laboratory result or vital sign.
type Lab struct {
	Day    int
	Kind   LabKind
	Value  float64 // in the unit Unit names
	Unit   uint8   // index into the kind's units
	Absent bool    // ordered but no result (dataAbsentReason)
	Value2 float64 // diastolic for a blood pressure panel
}

// Finding is one SLEDAI-2K descriptor recorded at a visit.
type Finding struct {
	Day     int
	Code    string
	Present bool
}

// Med is one medication order.
type Med struct {
	Start, End int // End 0 = ongoing at the end date
	Drug       drug
}

// knots is a piecewise-linear function of the day.
type knots []knot

type knot struct {
	day int
	v   float64
}

func (k knots) at(d int) float64 {
	if len(k) == 0 {
		return math.NaN()
	}
	// i is the first knot after d; of knots on the same day the last wins.
	i := sort.Search(len(k), func(i int) bool { return k[i].day > d })
	switch {
	case i == 0:
		return k[0].v
	case i == len(k):
		return k[len(k)-1].v
	}
	a, b := k[i-1], k[i]
	return a.v + (b.v-a.v)*float64(d-a.day)/float64(b.day-a.day)
}

// add appends a knot, keeping days non-decreasing.
func (k *knots) add(d int, v float64) {
	if n := len(*k); n > 0 && d < (*k)[n-1].day {
		d = (*k)[n-1].day
	}
	*k = append(*k, knot{d, v})
}

const year = 365.25

func yearsToDays(y float64) int { return int(math.Round(y * year)) }

func uniform(r *rand.Rand, lo, hi float64) float64 { return lo + (hi-lo)*r.Float64() }

func clamp(v, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, v)) }

// Generator makes patients. It is deterministic: patient i of a seed is the
// same whatever else is generated, so patients can be made in any order or
// in parallel (one Generator per goroutine).
type Generator struct {
	Seed uint64
	// End is the last day of follow-up (days since 1970-01-01, UTC); nothing
	// is dated after it.
	End int
	p   Patient
	// noMSC suppresses the stem cell infusion (tests: its effect is none).
	noMSC bool
}

// DefaultEnd is 2026-01-01, the default end of follow-up.
var DefaultEnd = dayOf(2026, 1, 1)

// NewGenerator returns a generator for seed with follow-up ending on end
// (days since 1970-01-01).
func NewGenerator(seed uint64, end int) *Generator { return &Generator{Seed: seed, End: end} }

// PatientID is the id of patient i of seed.
func PatientID(seed uint64, i int) string {
	return "syn" + strconv.FormatUint(seed, 10) + "-" + strconv.Itoa(i)
}

// Patient generates patient i. The result is reused by the next call.
func (g *Generator) Patient(i int) *Patient {
	p := &g.p
	labs, finds, meds, flares := p.Labs[:0], p.Findings[:0], p.Meds[:0], p.flares[:0]
	gk, uk := p.gfr[:0], p.upcr[:0]
	*p = Patient{Labs: labs, Findings: finds, Meds: meds, flares: flares, gfr: gk, upcr: uk}
	r := rand.New(rand.NewPCG(g.Seed, uint64(i)))
	// A second stream for the stem cell decision, so that drawing it does
	// not move any other draw (its true effect is none).
	rm := rand.New(rand.NewPCG(g.Seed^0x9e3779b97f4a7c15, uint64(i)))
	p.end = g.End
	p.story(r, rm, g.noMSC)
	p.visits(r)
	p.therapies(r)
	p.truth(g.Seed, i)
	return p
}

// story draws the true course: demographics, nephritis, response, flares,
// kidney failure and replacement, and the true GFR and UPCR curves.
func (p *Patient) story(r *rand.Rand, rm *rand.Rand, noMSC bool) {
	p.sex = 'm'
	if r.Float64() < femaleShare {
		p.sex = 'f'
	}
	child := r.Float64() < childShare
	var age float64
	if child {
		age = uniform(r, 8, 17.9)
	} else {
		age = clamp(adultOnsetMean+adultOnsetSD*r.NormFloat64(), 18, 75)
	}
	follow := uniform(r, minFollowYears, maxFollowYears)
	p.sleOnset = p.end - yearsToDays(follow)
	p.birth = p.sleOnset - yearsToDays(age)
	p.si = r.Float64() < 0.5
	p.gfrOrGPerG = r.Float64() < 0.5
	if r.Float64() < 0.1 {
		p.siSwitch = p.sleOnset + int(r.Float64()*float64(p.end-p.sleOnset))
	}
	p.heightFactor = 1 + 0.04*r.NormFloat64()

	// Healthy GFR (ASSUMPTION): children 115 ± 12, adults 105 ± 10 less
	// 0.8 mL/min per year of age above 40, at SLE onset.
	var g0 float64
	if child {
		g0 = clamp(115+12*r.NormFloat64(), 90, 145)
	} else {
		g0 = clamp(105+10*r.NormFloat64()-0.8*math.Max(0, age-40), 60, 135)
	}
	lnShare := lnShareAdult
	if child {
		lnShare = lnShareChild
	}
	ln := r.Float64() < lnShare
	if !ln {
		// SLE without nephritis: normal kidneys, ageing slope 0.8 a year
		// after 40 (ASSUMPTION), UPCR about 80 mg/g.
		p.gfr.add(p.sleOnset, g0)
		ageEnd := age + follow
		gEnd := g0 - 0.8*math.Max(0, ageEnd-math.Max(40, age))
		p.gfr.add(p.end, gEnd)
		p.Truth.GFRSlope = (gEnd - g0) / follow
		p.upcr.add(p.sleOnset, math.Log(80))
		return
	}
	p.lnOnset = p.sleOnset
	if r.Float64() >= lnAtDiagnosis {
		p.lnOnset = p.sleOnset + yearsToDays(uniform(r, 0.25, 3))
	}
	if p.lnOnset > p.end-400 {
		p.lnOnset = p.sleOnset
	}
	class := pick(r, classWeights)
	arm := pickArm(r, child)
	p.Truth.Class, p.Truth.Arm = class, arm
	p.induction = p.lnOnset + 7 + r.IntN(15)
	proliferative := class != "V"
	if proliferative {
		p.activity, p.chronicity = 4+r.IntN(11), r.IntN(5)
	} else {
		p.activity, p.chronicity = r.IntN(3), r.IntN(4)
	}

	// GFR and UPCR at onset (ASSUMPTION): proliferative classes lose 5-45% of
	// GFR, class V 0-20%; UPCR log-normal, median 3,000 mg/g (3,500 for class
	// V), within 2,000-9,000 (AURORA 1 enrolled UPCR ≥ 1.5 mg/mg).
	drop := uniform(r, 0.55, 0.95)
	base := 3000.0
	if !proliferative {
		drop, base = uniform(r, 0.8, 1.0), 3500
	}
	gOn := g0 * drop
	uOn := clamp(base*math.Exp(0.45*r.NormFloat64()), 2000, 9000)
	p.gfr.add(p.sleOnset, g0)
	p.upcr.add(p.sleOnset, math.Log(90))
	p.gfr.add(p.lnOnset-45, g0)
	p.upcr.add(p.lnOnset-45, math.Log(150))
	p.gfr.add(p.lnOnset, gOn)
	p.upcr.add(p.lnOnset, math.Log(uOn))
	p.gfr.add(p.induction, gOn)
	p.upcr.add(p.induction, math.Log(uOn))

	rate := armRates[arm]
	u := r.Float64()
	resp := None
	switch {
	case u < rate.complete:
		resp = Complete
	case u < rate.complete+rate.partial:
		resp = Partial
	}
	p.Truth.Response = resp
	var level float64 // UPCR at and after response
	var gResp float64
	switch resp {
	case Complete:
		p.responseDay = p.induction + yearsToDays(uniform(r, 3, 11)/12)
		level = uniform(r, 100, 200)
		gResp = gOn + (g0-gOn)*uniform(r, 0.5, 1)
	case Partial:
		p.responseDay = p.induction + yearsToDays(uniform(r, 3, 9)/12)
		level = clamp(0.35*uOn, 700, 2500)
		gResp = gOn + (g0-gOn)*uniform(r, 0.2, 0.7)
	default:
		p.responseDay = p.induction + 182
		level = uOn * uniform(r, 0.6, 1)
		gResp = gOn * uniform(r, 0.85, 1)
	}
	p.gfr.add(p.responseDay, gResp)
	p.upcr.add(p.responseDay, math.Log(level))
	if resp == None {
		p.responseDay = 0
	}

	// Kidney failure: 1 year after onset plus an exponential time.
	year1 := p.lnOnset + yearsToDays(1)
	tKF := year1 + yearsToDays(r.ExpFloat64()/KidneyFailureHazard(class, resp))
	// Chronic slope without kidney failure (ASSUMPTION): -1 ± 0.8 mL/min a
	// year, -3 ± 1 for non-responders, floored at 16 (no kidney failure).
	slope := -1 + 0.8*r.NormFloat64()
	if resp == None {
		slope = -3 + r.NormFloat64()
	}
	from := max(p.responseDay, p.induction+182)
	gFrom := p.gfr.at(from)
	if tKF <= p.end {
		p.kf = tKF
		p.dialysis = tKF + 60 + r.IntN(180)
		if r.Float64() < transplantShare {
			p.transplant = p.dialysis + yearsToDays(uniform(r, 1, 4))
		}
	}
	// Flares: constant hazard from the response date, while in response and
	// before kidney failure.
	lam := FlareHazard()
	stop := p.end
	if p.kf != 0 {
		stop = p.kf - 240
	}
	if p.responseDay != 0 {
		t := p.responseDay + yearsToDays(r.ExpFloat64()/lam)
		for t <= stop {
			p.flares = append(p.flares, t)
			t += flareRecoveryDays + yearsToDays(r.ExpFloat64()/lam)
		}
	}
	// The GFR curve after the response: linear decline (to 15 at kidney
	// failure if any), with a step at each flare that partly recovers.
	endLine := p.end
	gEnd := math.Max(16, gFrom+slope*float64(p.end-from)/year)
	if p.kf != 0 {
		endLine, gEnd = p.kf, 15
		gFrom = math.Max(gFrom, 20)
	}
	p.Truth.GFRSlope = (gEnd - gFrom) / (float64(max(1, endLine-from)) / year)
	line := func(d int) float64 { return gFrom + (gEnd-gFrom)*float64(d-from)/float64(max(1, endLine-from)) }
	for _, f := range p.flares {
		if f <= from {
			continue
		}
		g := line(f - 30)
		p.gfr.add(f-30, g)
		p.upcr.add(f-30, math.Log(level))
		peak := math.Max(1500, 4*level) * uniform(r, 1, 2)
		p.gfr.add(f, g*uniform(r, 0.75, 0.92))
		p.upcr.add(f, math.Log(peak))
		back := f + 120 + r.IntN(60)
		p.gfr.add(back, line(back)*uniform(r, 0.93, 1))
		p.upcr.add(back, math.Log(level))
	}
	if p.kf != 0 {
		p.gfr.add(p.kf, 15)
		p.gfr.add(p.dialysis, 8)
		p.upcr.add(p.kf, math.Log(math.Max(level, 1500)))
		// On dialysis the "GFR" stands for the residual function that sets
		// the pre-dialysis creatinine (ASSUMPTION: 6).
		p.gfr.add(p.dialysis+1, 6)
		if p.transplant != 0 && p.transplant <= p.end {
			p.gfr.add(p.transplant, 6)
			p.gfr.add(p.transplant+30, uniform(r, 45, 70))
			p.upcr.add(p.transplant, math.Log(1500))
			p.upcr.add(p.transplant+90, math.Log(150))
		} else {
			p.transplant = 0
		}
		if p.dialysis > p.end {
			p.dialysis = 0
		}
	} else {
		p.gfr.add(p.end, gEnd)
	}
	p.gfr.add(p.end, p.gfr.at(p.end))
	p.upcr.add(p.end, p.upcr.at(p.end))

	// First day below 30 (CKD G4), on a weekly grid.
	for d := p.lnOnset; d <= p.end; d += 7 {
		if p.gfr.at(d) < 30 && (p.transplant == 0 || d < p.transplant) {
			p.ckd4 = d
			break
		}
	}

	// Stem cells, from their own stream.
	if resp == None && rm.Float64() < mscShare && !noMSC {
		d := p.induction + yearsToDays(uniform(rm, 1, 2))
		if d+365 <= p.end && (p.kf == 0 || d < p.kf) {
			p.msc = d
		}
	}
}

func pick(r *rand.Rand, ws []struct {
	class string
	w     float64
}) string {
	u := r.Float64()
	for _, w := range ws {
		if u < w.w {
			return w.class
		}
		u -= w.w
	}
	return ws[len(ws)-1].class
}

func pickArm(r *rand.Rand, child bool) Arm {
	u := r.Float64()
	for _, w := range armWeights {
		if u < w.w {
			if child && w.arm == ArmVoclosporin {
				return ArmMMF
			}
			return w.arm
		}
		u -= w.w
	}
	return ArmMMF
}
