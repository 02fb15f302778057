package assess_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"hash"
	"os"
	"path/filepath"
	"testing"
	"time"

	"renalwatch/assess"
	"renalwatch/demo"
	"renalwatch/fhir"
	"renalwatch/internal/golden"
	"renalwatch/lupus"
	"renalwatch/record"
)

// The output hashes of Assess live in testdata/equivalence/*.sha256, golden
// files like the others: they were recorded before the speed work of issue
// 10 §3 (commit eeb2a59), and the optimised assess gave the same bytes.
// They hold assess's whole output for many records under every rule, so a
// speed change must never change them; a deliberate change of output
// rewrites them with -update, and the diff of the goldens that read as
// text (assess/testdata, cmd/renalwatch/testdata) shows what changed.

// equivConfigs are the configurations every record is assessed under: the
// default, and each other flare rule and response rule.
func equivConfigs() []assess.Config {
	cfgs := []assess.Config{assess.DefaultConfig()}
	for _, f := range lupus.FlareRules()[1:] {
		c := assess.DefaultConfig()
		c.FlareRule = f
		cfgs = append(cfgs, c)
	}
	for _, r := range lupus.ResponseRules() {
		if r == assess.DefaultConfig().ResponseRule {
			continue
		}
		c := assess.DefaultConfig()
		c.ResponseRule = r
		cfgs = append(cfgs, c)
	}
	return cfgs
}

// hashAssess adds the JSON of Assess of tl at each date under each config.
func hashAssess(t *testing.T, h hash.Hash, tl *record.Timeline, dates []time.Time) {
	t.Helper()
	for _, d := range dates {
		for _, cfg := range equivConfigs() {
			b, err := json.Marshal(assess.Assess(tl, d, cfg))
			if err != nil {
				t.Fatal(err)
			}
			h.Write(b)
			h.Write([]byte{'\n'})
		}
	}
}

func checkHash(t *testing.T, name string, h hash.Hash) {
	t.Helper()
	golden.Assert(t, "equivalence/"+name+".sha256", []byte(hex.EncodeToString(h.Sum(nil))+"\n"))
}

// TestOutputUnchangedSynth: 120 generated patients, each at the end of
// follow-up and 2, 4 and 6 years before, under every flare and response
// rule.
func TestOutputUnchangedSynth(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and assesses a cohort")
	}
	h := sha256.New()
	for _, p := range synthCohort(t, 120, 7) {
		hashAssess(t, h, p.tl, []time.Time{p.end, p.end.AddDate(-2, 0, 0), p.end.AddDate(-4, 0, 0), p.end.AddDate(-6, 0, 0)})
	}
	checkHash(t, "synth-seed7-120", h)
}

// TestOutputUnchangedDemo: the demonstration patients and the benchmark
// record at several dates.
func TestOutputUnchangedDemo(t *testing.T) {
	pats, err := demo.Load(time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	var dates []time.Time
	for y := 2019; y <= 2026; y++ {
		for _, m := range []time.Month{1, 4, 7, 10} {
			dates = append(dates, time.Date(y, m, 15, 23, 59, 59, 0, time.UTC))
		}
	}
	h := sha256.New()
	for _, p := range pats {
		hashAssess(t, h, record.NewTimeline(p.Batch.Patients[0], p.Batch), dates)
	}
	tl := tenYears(t)
	hashAssess(t, h, tl, []time.Time{time.Date(2016, 6, 1, 0, 0, 0, 0, time.UTC), time.Date(2020, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 1, 20, 0, 0, 0, 0, time.UTC)})
	checkHash(t, "demo-and-bench", h)
}

// TestOutputUnchangedShared: every patient of the shared data sets
// (../shared/data beside the repository), at 2026-01-01 and 2018-01-01.
func TestOutputUnchangedShared(t *testing.T) {
	dir := filepath.Join("..", "..", "shared", "data")
	sets, _ := filepath.Glob(filepath.Join(dir, "*"))
	h := sha256.New()
	n := 0
	for _, set := range sets {
		files, _ := filepath.Glob(filepath.Join(set, "*.ndjson"))
		var all record.Batch
		for _, f := range files {
			if filepath.Base(f) == "log.ndjson" {
				continue
			}
			fh, err := os.Open(f)
			if err != nil {
				t.Fatal(err)
			}
			rd := fhir.Reader{Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), System: "test"}
			res, err := rd.Read(f, fh)
			fh.Close()
			if err != nil {
				t.Fatal(err)
			}
			appendBatch(&all, res.Batch)
		}
		for _, p := range all.Patients {
			n++
			hashAssess(t, h, record.NewTimeline(p, all), []time.Time{time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2018, 1, 1, 0, 0, 0, 0, time.UTC)})
		}
	}
	if n == 0 {
		t.Skipf("shared test data not found at %s", dir)
	}
	checkHash(t, "shared-data", h)
}
