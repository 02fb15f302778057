package assess_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"testing"
	"time"

	"renalwatch/assess"
	"renalwatch/fhir"
	"renalwatch/record"
	"renalwatch/synth"
)

// cohortPatient is one generated patient: its record and its truth.
type cohortPatient struct {
	tl    *record.Timeline
	truth synth.Truth
	end   time.Time // the end of follow-up, end of day
}

// synthCohort generates n patients of seed with the synth package, reads
// the FHIR NDJSON back with the fhir reader (as "renalwatch import" does)
// and returns each patient's timeline and truth.
func synthCohort(t testing.TB, n int, seed uint64) []cohortPatient {
	t.Helper()
	opt := synth.Options{Patients: n, Seed: seed, Format: synth.NDJSON, Workers: 1}
	bufs := map[string]*bytes.Buffer{}
	ws := map[string]io.Writer{}
	for _, name := range opt.Files() {
		bufs[name] = &bytes.Buffer{}
		ws[name] = bufs[name]
	}
	if _, err := synth.Write(context.Background(), opt, ws); err != nil {
		t.Fatal(err)
	}
	rd := fhir.Reader{Now: time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC), System: "synth"}
	var all record.Batch
	for _, name := range synth.FHIRFiles() {
		res, err := rd.Read(name, bufs[name])
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Rejected) > 0 {
			t.Fatalf("%s: %d rejected, first %v", name, len(res.Rejected), res.Rejected[0])
		}
		appendBatch(&all, res.Batch)
	}
	truths := map[string]synth.Truth{}
	sc := bufio.NewScanner(bufs[synth.FileTruth])
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var tr synth.Truth
		if err := json.Unmarshal(sc.Bytes(), &tr); err != nil {
			t.Fatal(err)
		}
		truths[tr.PatientID] = tr
	}
	var out []cohortPatient
	for _, p := range all.Patients {
		tr, ok := truths[p.ID]
		if !ok {
			t.Fatalf("patient %s has no truth", p.ID)
		}
		end, err := time.Parse(time.DateOnly, tr.End)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, cohortPatient{tl: record.NewTimeline(p, all), truth: tr, end: end.Add(24*time.Hour - time.Nanosecond)})
	}
	if len(out) != n {
		t.Fatalf("%d patients read back, want %d", len(out), n)
	}
	return out
}

// flareTally compares the flares assess reports with the generator's true
// flares.
type flareTally struct {
	reported, matched      int // reported flares; those within flareMatch of a true flare
	trueFlares, found      int // true flares (assessable); those a reported flare matched
	noTrue, noTrueWithFlag int // patients without a true flare; those with a reported flare
	noTrueLN, noTrueLNFlag int // the same among patients with lupus nephritis
	fpByResponse           map[string]int
}

// flareMatch: a reported flare matches a true flare whose peak lies from
// this long before its first visit to this long after its last visit (the
// generator raises UPCR over the month before the peak and brings it back
// in 4-6 months).
const flareMatch = 90 * 24 * time.Hour

func tallyFlares(t testing.TB, pats []cohortPatient) flareTally {
	t.Helper()
	ft := flareTally{fpByResponse: map[string]int{}}
	cfg := assess.DefaultConfig()
	for _, p := range pats {
		a := assess.Assess(p.tl, p.end, cfg)
		var peaks []time.Time
		for _, s := range p.truth.Flares {
			d, err := time.Parse(time.DateOnly, s)
			if err != nil {
				t.Fatal(err)
			}
			peaks = append(peaks, d)
		}
		ft.trueFlares += len(peaks)
		hit := make([]bool, len(peaks))
		fp := 0
		for _, f := range a.Lupus.Flares {
			ft.reported++
			ok := false
			for i, pk := range peaks {
				if !pk.Before(f.Date.Add(-flareMatch)) && !pk.After(f.LastDate.Add(flareMatch)) {
					ok, hit[i] = true, true
				}
			}
			if ok {
				ft.matched++
			} else {
				fp++
				resp := string(p.truth.Response)
				if !p.truth.LupusNephritis {
					resp = "no nephritis"
				}
				ft.fpByResponse[resp]++
				for _, c := range f.Criteria {
					if c.Met != nil && *c.Met {
						ft.fpByResponse["crit: "+c.Name]++
					}
				}
				ft.fpByResponse[fmt.Sprintf("visits=%d", f.Visits)]++
			}
		}
		for _, h := range hit {
			if h {
				ft.found++
			}
		}
		if len(peaks) == 0 {
			ft.noTrue++
			if len(a.Lupus.Flares) > 0 {
				ft.noTrueWithFlag++
			}
			if p.truth.LupusNephritis {
				ft.noTrueLN++
				if len(a.Lupus.Flares) > 0 {
					ft.noTrueLNFlag++
				}
			}
		}
	}
	return ft
}

// TestSynthFlaresAgainstTruth runs assess on a generated cohort and
// compares the renal flares it reports (default kdigo-2012 rule) with the
// generator's true flares.
func TestSynthFlaresAgainstTruth(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and assesses a cohort")
	}
	ft := tallyFlares(t, synthCohort(t, 300, synthFlareSeed()))
	t.Logf("reported %d flares, %d within %v of a true flare; %d of %d true flares found; %d of %d patients without a true flare have a reported flare (%d of %d with lupus nephritis); false flares by true response: %v",
		ft.reported, ft.matched, flareMatch, ft.found, ft.trueFlares, ft.noTrueWithFlag, ft.noTrue, ft.noTrueLNFlag, ft.noTrueLN, ft.fpByResponse)
	// Measured on this cohort (seed 42, 300 patients, 93 with lupus
	// nephritis and no true flare): before a flare needed a prior response,
	// 265 flares were reported, 241 of them false, and 67 of the 93 (72%)
	// had one; with it, 50 flares, 29 false, 21 of the 93 (23%), finding 21
	// of 24 true flares (23 before). Requiring casts to have cleared before
	// Table 29's "recurrence" of casts: 49 flares (29 false, 20 of 24 true
	// found) -> 43 (22 false, 21 of 24); on seed 5, 39 (27 false, 12 of 16)
	// -> 32 (16 false, 16 of 16).
	if rate := float64(ft.noTrueWithFlag) / float64(ft.noTrue); rate > 0.10 {
		t.Errorf("%d of %d patients without a true flare have a reported flare (%.1f%%), want at most 10%%", ft.noTrueWithFlag, ft.noTrue, 100*rate)
	}
	if rate := float64(ft.noTrueLNFlag) / float64(ft.noTrueLN); rate > 0.25 {
		t.Errorf("%d of %d patients with lupus nephritis and no true flare have a reported flare (%.1f%%), want at most 25%%", ft.noTrueLNFlag, ft.noTrueLN, 100*rate)
	}
	if false_ := ft.reported - ft.matched; false_ > 40 {
		t.Errorf("%d false flares, want at most 40", false_)
	}
	if ft.found*4 < ft.trueFlares*3 {
		t.Errorf("found %d of %d true flares, want at least 75%%", ft.found, ft.trueFlares)
	}
}

// appendBatch appends the items of b to all.
func appendBatch(all *record.Batch, b record.Batch) {
	all.Patients = append(all.Patients, b.Patients...)
	all.Observations = append(all.Observations, b.Observations...)
	all.Conditions = append(all.Conditions, b.Conditions...)
	all.Findings = append(all.Findings, b.Findings...)
	all.Biopsies = append(all.Biopsies, b.Biopsies...)
	all.Therapies = append(all.Therapies, b.Therapies...)
	all.Replacements = append(all.Replacements, b.Replacements...)
	all.Retractions = append(all.Retractions, b.Retractions...)
}

// synthFlareSeed is the cohort seed of TestSynthFlaresAgainstTruth: 42, or
// RW_SYNTH_SEED to measure another cohort (tolerances are set for 42).
func synthFlareSeed() uint64 {
	if s, err := strconv.ParseUint(os.Getenv("RW_SYNTH_SEED"), 10, 64); err == nil {
		return s
	}
	return 42
}
