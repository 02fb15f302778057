package ckd_test

import (
	"testing"

	"renalwatch/ckd"
)

// The KDIGO G boundaries (KDIGO 2012 Table 5) decide when the unrounded
// value must follow the whole number.
func TestEGFRText(t *testing.T) {
	for v, want := range map[float64]string{
		27.12:  "27",
		59.71:  "60 (59.71 unrounded)", // G3a, not G2
		60.4:   "60",
		89.5:   "90 (89.5 unrounded)", // G2, not G1
		14.6:   "15 (14.6 unrounded)", // G5, not G4
		99.88:  "100",
		0.4321: "0.43",
	} {
		if got := ckd.EGFRText(v); got != want {
			t.Errorf("EGFRText(%v) = %q, want %q", v, got, want)
		}
	}
}
