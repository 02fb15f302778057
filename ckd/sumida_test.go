package ckd

import (
	"errors"
	"math"
	"testing"

	"renalwatch/units"
)

func TestEstimateACR(t *testing.T) {
	// Expected values were computed independently of this code with
	// python3 from the equation as printed in kidney.md §3 (the kfre
	// upcr_uacr form), e.g.
	//   math.exp(5.2659 + 0.2934*math.log(min(p/50,1))
	//     + 1.5643*math.log(max(min(p/500,1),0.1))
	//     + 1.1109*math.log(max(p/500,1)) - 0.0773*f + 0.0797*dm + 0.1265*htn)
	const (
		sanity = "kidney.md §3 sanity value: PCR 150 mg/g, male, no DM/HTN -> ACR about 29 mg/g"
		py     = "Sumida 2020 equation evaluated independently in python3"
	)
	tests := []struct {
		in     PCRInput
		want   float64 // mg/g
		tol    float64 // absolute, mg/g
		source string
	}{
		{PCRInput{PCR: units.Q(150, units.MgPerG), Sex: Male}, 29, 0.5, sanity},
		{PCRInput{PCR: units.Q(150, units.MgPerG), Sex: Male}, 29.445036093597242, 1e-9, py},
		{PCRInput{PCR: units.Q(50, units.MgPerG), Sex: Female, Diabetes: true}, 5.292899148951621, 1e-9, py + " (knot at 50)"},
		{PCRInput{PCR: units.Q(10, units.MgPerG), Sex: Male}, 3.2928618685514657, 1e-9, py + " (below the 50 mg/g knot)"},
		{PCRInput{PCR: units.Q(30, units.MgPerG), Sex: Male}, 4.545282586828655, 1e-9, py + " (below the 50 mg/g knot)"},
		{PCRInput{PCR: units.Q(500, units.MgPerG), Sex: Male, Diabetes: true, Hypertension: true}, 237.95938313240262, 1e-9, py + " (knot at 500)"},
		{PCRInput{PCR: units.Q(1000, units.MgPerG), Sex: Male, Hypertension: true}, 474.5738307470852, 1e-9, py + " (above 500)"},
		{PCRInput{PCR: units.Q(3, units.GPerG), Sex: Female, Diabetes: true, Hypertension: true}, 1612.0558911026856, 1e-9, py + " (3 g/g = 3000 mg/g)"},
		{PCRInput{PCR: units.Q(30, units.MgPerMmol), Sex: Female}, 66.46264609036578, 1e-6, py + " (30 mg/mmol = 265.2 mg/g)"},
	}
	for _, tt := range tests {
		got, err := EstimateACR(tt.in)
		if err != nil {
			t.Errorf("EstimateACR(%+v): %v", tt.in, err)
			continue
		}
		if math.Abs(got.ACR.Value-tt.want) > tt.tol || got.ACR.Unit != units.MgPerG {
			t.Errorf("EstimateACR(%+v) = %v, want %v ± %v mg/g (%s)", tt.in, got.ACR, tt.want, tt.tol, tt.source)
		}
		if !got.Estimated || got.Source != SumidaSource || got.PCR != tt.in.PCR {
			t.Errorf("EstimateACR(%+v) = %+v: must be flagged estimated with its source and the PCR given", tt.in, got)
		}
	}
}

func TestEstimateACRRejects(t *testing.T) {
	tests := []struct {
		name string
		in   PCRInput
		want error
	}{
		{"PCR 0", PCRInput{PCR: units.Q(0, units.MgPerG), Sex: Male}, ErrInput},
		{"PCR negative", PCRInput{PCR: units.Q(-5, units.MgPerG), Sex: Male}, units.ErrImplausible},
		{"PCR NaN", PCRInput{PCR: units.Q(math.NaN(), units.MgPerG), Sex: Male}, units.ErrImplausible},
		{"PCR in mg/dL", PCRInput{PCR: units.Q(150, units.MgPerDL), Sex: Male}, units.ErrIncompatible},
		{"PCR not given", PCRInput{Sex: Male}, units.ErrIncompatible},
		{"sex not given", PCRInput{PCR: units.Q(150, units.MgPerG)}, ErrInput},
		{"sex out of range", PCRInput{PCR: units.Q(150, units.MgPerG), Sex: 3}, ErrInput},
	}
	for _, tt := range tests {
		got, err := EstimateACR(tt.in)
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: EstimateACR = %+v, %v; want an error wrapping %v", tt.name, got, err, tt.want)
		}
	}
}

func TestParseSex(t *testing.T) {
	for s, want := range map[string]Sex{"female": Female, "male": Male, "Female": Female, " MALE ": Male} {
		got, err := ParseSex(s)
		if err != nil || got != want {
			t.Errorf("ParseSex(%q) = %v, %v", s, got, err)
		}
	}
	for _, bad := range []string{"", "other", "F", "unknown"} {
		if got, err := ParseSex(bad); !errors.Is(err, ErrInput) {
			t.Errorf("ParseSex(%q) = %v, %v; want ErrInput", bad, got, err)
		}
	}
	if _, err := Sex(0).MarshalText(); err == nil {
		t.Error("Sex(0).MarshalText() succeeded, want an error")
	}
}
