package synth

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"math"
	"runtime"
	"testing"

	"renalwatch/egfr"
)

// readTruth generates n patients and reads truth.ndjson back.
func readTruth(t *testing.T, n int, seed uint64) []Truth {
	t.Helper()
	opt := Options{Patients: n, Seed: seed, Format: NDJSON, Workers: runtime.GOMAXPROCS(0)}
	var truth bytes.Buffer
	ws := map[string]io.Writer{}
	for _, name := range opt.Files() {
		ws[name] = io.Discard
	}
	ws[FileTruth] = &truth
	if _, err := Write(context.Background(), opt, ws); err != nil {
		t.Fatal(err)
	}
	var out []Truth
	sc := bufio.NewScanner(&truth)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var tr Truth
		if err := json.Unmarshal(sc.Bytes(), &tr); err != nil {
			t.Fatal(err)
		}
		out = append(out, tr)
	}
	if len(out) != n {
		t.Fatalf("truth has %d lines, want %d", len(out), n)
	}
	return out
}

func day(t *testing.T, s string) int {
	t.Helper()
	z, ok := ParseDate(s)
	if !ok {
		t.Fatalf("bad date %q in the truth file", s)
	}
	return z
}

// within checks a proportion k/n against p with a tolerance of 4 binomial
// standard errors (a false alarm about 1 in 16,000 per check).
func within(t *testing.T, what string, k, n int, p float64) {
	t.Helper()
	if n == 0 {
		t.Fatalf("%s: no patients", what)
	}
	got, se := float64(k)/float64(n), math.Sqrt(p*(1-p)/float64(n))
	if math.Abs(got-p) > 4*se {
		t.Errorf("%s: %d/%d = %.4f, want %.4f ± %.4f (4 SE)", what, k, n, got, p, 4*se)
	} else {
		t.Logf("%s: %d/%d = %.4f (model %.4f ± %.4f)", what, k, n, got, p, 4*se)
	}
}

// poisson checks observed events against the expected count E with a
// tolerance of 4 Poisson standard errors (4 √E).
func poisson(t *testing.T, what string, observed int, expected float64) {
	t.Helper()
	if math.Abs(float64(observed)-expected) > 4*math.Sqrt(expected) {
		t.Errorf("%s: %d events, expected %.1f ± %.1f (4 SE)", what, observed, expected, 4*math.Sqrt(expected))
	} else {
		t.Logf("%s: %d events, expected %.1f ± %.1f", what, observed, expected, 4*math.Sqrt(expected))
	}
}

// TestTruthRates: the truths of a generated cohort come back from
// truth.ndjson within bounds set by the sample size: demographics, response
// rates by arm (AURORA 1, BLISS-LN), the renal flare hazard (MAINTAIN,
// AURORA 2) and the kidney failure hazard (SLICC).
func TestTruthRates(t *testing.T) {
	const n = 8000
	tr := readTruth(t, n, 11)
	var female, adults, adultLN, children, childLN int
	type count struct{ k, n int }
	complete, partial := map[Arm]*count{}, map[Arm]*count{}
	for _, a := range Arms() {
		complete[a], partial[a] = &count{}, &count{}
	}
	var flares int
	var flareExposure float64
	kfObserved := map[Response]int{}
	kfExpected := map[Response]float64{}
	var msc, mscNone int
	for _, p := range tr {
		if p.Sex == "female" {
			female++
		}
		if p.Child {
			children++
			if p.LupusNephritis {
				childLN++
			}
		} else {
			adults++
			if p.LupusNephritis {
				adultLN++
			}
		}
		if p.MSCInfusion != "" {
			msc++
			if p.MSCTrueEffect == "none" && p.Response == None {
				mscNone++
			}
		}
		if !p.LupusNephritis {
			if p.Response != "" || len(p.Flares) > 0 || p.KidneyFailureDate != "" || p.MSCInfusion != "" {
				t.Errorf("%s: nephritis events without nephritis: %+v", p.PatientID, p)
			}
			continue
		}
		complete[p.Arm].n++
		partial[p.Arm].n++
		switch p.Response {
		case Complete:
			complete[p.Arm].k++
		case Partial:
			partial[p.Arm].k++
		}
		end := day(t, p.End)
		// Kidney failure: exponential from one year after onset, censored
		// at the end of follow-up.
		start := day(t, p.LNOnset) + yearsToDays(1)
		stop := end
		if p.KidneyFailureDate != "" {
			stop = day(t, p.KidneyFailureDate)
			kfObserved[p.Response]++
		}
		kfExpected[p.Response] += KidneyFailureHazard(p.Class, p.Response) * float64(stop-start) / year
		// First flare: exponential from the response date, censored at the
		// end of follow-up or 240 days before kidney failure.
		if p.ResponseDate != "" {
			from, censor := day(t, p.ResponseDate), end
			if p.KidneyFailureDate != "" {
				censor = day(t, p.KidneyFailureDate) - 240
			}
			if len(p.Flares) > 0 {
				flares++
				censor = day(t, p.Flares[0])
			}
			if censor > from {
				flareExposure += float64(censor-from) / year
			}
		}
	}
	within(t, "female", female, n, femaleShare)
	within(t, "adults", adults, n, 1-childShare)
	within(t, "lupus nephritis, adults", adultLN, adults, lnShareAdult)
	within(t, "lupus nephritis, children", childLN, children, lnShareChild)
	for _, a := range Arms() {
		c, p := ResponseRate(a)
		within(t, "complete response, "+string(a), complete[a].k, complete[a].n, c)
		within(t, "partial response, "+string(a), partial[a].k, partial[a].n, p)
	}
	poisson(t, "first renal flare", flares, FlareHazard()*flareExposure)
	for _, r := range []Response{Complete, Partial, None} {
		poisson(t, "kidney failure, "+string(r)+" response", kfObserved[r], kfExpected[r])
	}
	if msc == 0 || mscNone != msc {
		t.Errorf("stem cell infusions: %d, of which %d in non-responders with true effect none", msc, mscNone)
	}
}

// TestStageFromCreatinine: the eGFR computed from each written creatinine
// (as reported: rounded, in its unit) matches the true GFR of that day
// within the 5% creatinine variation, and the KDIGO G category of the
// cohort's latest eGFRs matches the true categories.
func TestStageFromCreatinine(t *testing.T) {
	g := NewGenerator(5, DefaultEnd)
	var sum, sumSq float64
	var m, agree, staged int
	trueShare, estShare := map[string]int{}, map[string]int{}
	for i := range 3000 {
		p := g.Patient(i)
		female := p.sex == 'f'
		sex := egfr.Male
		if female {
			sex = egfr.Female
		}
		last := -1
		for j, l := range p.Labs {
			age := p.ageAt(l.Day)
			if l.Kind != Creatinine || l.Absent || age < 18 || (p.dialysis != 0 && l.Day >= p.dialysis) {
				continue
			}
			u := labSpecs[Creatinine].units[l.Unit]
			s := math.Pow10(u.decimals)
			scr := math.Round(l.Value*u.factor*s) / s / u.factor
			r := math.Log(egfr.CKDEPI2021(scr, age, sex) / p.gfr.at(l.Day))
			sum += r
			sumSq += r * r
			m++
			last = j
		}
		if last < 0 || p.Labs[last].Day < p.end-90 {
			continue
		}
		l := p.Labs[last]
		est := gStage(egfr.CKDEPI2021(l.Value, p.ageAt(l.Day), sex))
		tru := gStage(p.gfr.at(l.Day))
		staged++
		trueShare[tru]++
		estShare[est]++
		if est == tru {
			agree++
		}
	}
	mean := sum / float64(m)
	sd := math.Sqrt(sumSq/float64(m) - mean*mean)
	t.Logf("log(eGFR/true GFR) over %d creatinines: mean %.4f, SD %.4f; G category agreement %d/%d", m, mean, sd, agree, staged)
	// Creatinine CV 5% and the CKD-EPI exponent -1.2 (-0.241/-0.302 below
	// the knot) give an SD of at most 1.2 x 0.05 = 0.06 plus rounding.
	if math.Abs(mean) > 0.01 || sd > 0.065 || sd < 0.02 {
		t.Errorf("log(eGFR/true GFR): mean %.4f (want |mean| ≤ 0.01), SD %.4f (want 0.02-0.065)", mean, sd)
	}
	if float64(agree) < 0.85*float64(staged) {
		t.Errorf("G category from the latest creatinine agrees with the truth in %d of %d (want ≥ 85%%)", agree, staged)
	}
	for _, s := range []string{"G1", "G2", "G3a", "G3b", "G4"} {
		d := math.Abs(float64(trueShare[s]-estShare[s])) / float64(staged)
		if d > 0.03 {
			t.Errorf("%s: %d true vs %d estimated of %d (share differs by %.3f > 0.03)", s, trueShare[s], estShare[s], staged, d)
		}
	}
	t.Logf("true G categories %v, from creatinine %v", trueShare, estShare)
}
