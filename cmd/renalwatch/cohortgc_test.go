package main

import (
	"runtime/debug"
	"testing"
)

// TestCohortGCKeepsUserSettings: cohort sets GOGC 1000 and a memory limit
// of --memory (trial 12 F9; it was 1.5 × --memory) only where the user did not set GOGC or GOMEMLIMIT, and
// restores what was there before.
func TestCohortGCKeepsUserSettings(t *testing.T) {
	const mem = 512 << 20
	defer debug.SetGCPercent(debug.SetGCPercent(77))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(300 << 20))
	current := func() (int, int64) {
		p := debug.SetGCPercent(-1)
		debug.SetGCPercent(p)
		return p, debug.SetMemoryLimit(-1) // a negative limit reads it
	}
	env := func(vars ...string) func(string) (string, bool) {
		return func(k string) (string, bool) {
			for _, v := range vars {
				if v == k {
					return "set", true
				}
			}
			return "", false
		}
	}
	for _, c := range []struct {
		name    string
		env     []string
		percent int
		limit   int64
	}{
		{"neither set", nil, 1000, mem},
		{"GOGC set", []string{"GOGC"}, 77, mem},
		{"GOMEMLIMIT set", []string{"GOMEMLIMIT"}, 1000, 300 << 20},
		{"both set", []string{"GOGC", "GOMEMLIMIT"}, 77, 300 << 20},
	} {
		restore := cohortGC(mem, env(c.env...))
		p, l := current()
		restore()
		if p != c.percent || l != c.limit {
			t.Errorf("%s: GOGC %d, limit %d during the run; want %d, %d", c.name, p, l, c.percent, c.limit)
		}
		if p, l := current(); p != 77 || l != 300<<20 {
			t.Errorf("%s: GOGC %d, limit %d after the run; want 77 and %d restored", c.name, p, l, 300<<20)
		}
	}
}
