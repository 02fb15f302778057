package ckd

import (
	"errors"
	"math"
	"testing"

	"renalwatch/units"
)

func TestACategory(t *testing.T) {
	const (
		kdigo  = "KDIGO 2012 Table 6 / KDIGO 2024: A2 30-299 mg/g (3-29 mg/mmol), A3 >= 300 mg/g (>= 30 mg/mmol), lower bounds inclusive"
		kepi   = "kidney.epi ckd_classify.R: >= 30 -> A2, >= 300 -> A3"
		trap   = "kidney.md Trap 7 (epocakir strict >): exactly 3 mg/mmol is A2, not A1"
		unitOf = "lupus.md A3: compare in the reported unit; 3 mg/mmol x 8.84 = 26.5 mg/g would wrongly be A1"
	)
	tests := []struct {
		q      units.Quantity
		want   A
		source string
	}{
		{units.Q(0, units.MgPerG), A1, kdigo},
		{units.Q(29.99, units.MgPerG), A1, kdigo},
		{units.Q(30, units.MgPerG), A2, kepi},
		{units.Q(299.99, units.MgPerG), A2, kdigo},
		{units.Q(300, units.MgPerG), A3, kepi},
		{units.Q(5000, units.MgPerG), A3, kdigo},
		{units.Q(2.99, units.MgPerMmol), A1, kdigo},
		{units.Q(3, units.MgPerMmol), A2, trap},
		{units.Q(3, units.MgPerMmol), A2, unitOf},
		{units.Q(29.99, units.MgPerMmol), A2, kdigo},
		{units.Q(30, units.MgPerMmol), A3, trap},
		{units.Q(33, units.MgPerMmol), A3, unitOf + " (33 mg/mmol = 291.7 mg/g would be A2)"},
		{units.Q(0.0299, units.GPerG), A1, kdigo + " (0.03 g/g = 30 mg/g)"},
		{units.Q(0.03, units.GPerG), A2, kdigo + " (0.03 g/g = 30 mg/g)"},
		{units.Q(0.2999, units.GPerG), A2, kdigo},
		{units.Q(0.3, units.GPerG), A3, kdigo + " (0.3 g/g = 300 mg/g)"},
	}
	for _, tt := range tests {
		got, err := ACategory(tt.q)
		if err != nil || got != tt.want {
			t.Errorf("ACategory(%v) = %v, %v; want %v (%s)", tt.q, got, err, tt.want, tt.source)
		}
	}
}

func TestACategoryFromPCR(t *testing.T) {
	const kdigo = "KDIGO 2012 Table 7 PCR equivalents: A2 150-499 mg/g (15-49 mg/mmol), A3 >= 500 mg/g (>= 50 mg/mmol); kidney.epi thresholds 150/500 mg/g, 15/50 mg/mmol"
	tests := []struct {
		q    units.Quantity
		want A
	}{
		{units.Q(0, units.MgPerG), A1},
		{units.Q(149.9, units.MgPerG), A1},
		{units.Q(150, units.MgPerG), A2},
		{units.Q(499.9, units.MgPerG), A2},
		{units.Q(500, units.MgPerG), A3},
		{units.Q(14.9, units.MgPerMmol), A1},
		{units.Q(15, units.MgPerMmol), A2}, // 15 x 8.84 = 132.6 mg/g would be A1
		{units.Q(49.9, units.MgPerMmol), A2},
		{units.Q(50, units.MgPerMmol), A3}, // 50 x 8.84 = 442 mg/g would be A2
		{units.Q(0.149, units.GPerG), A1},
		{units.Q(0.15, units.GPerG), A2},
		{units.Q(0.5, units.GPerG), A3},
	}
	for _, tt := range tests {
		got, err := ACategoryFromPCR(tt.q)
		if err != nil || got != tt.want {
			t.Errorf("ACategoryFromPCR(%v) = %v, %v; want %v (%s)", tt.q, got, err, tt.want, kdigo)
		}
	}
}

func TestACategoryRejects(t *testing.T) {
	tests := []struct {
		name string
		f    func(units.Quantity) (A, error)
		q    units.Quantity
		want error
	}{
		{"ACR negative", ACategory, units.Q(-1, units.MgPerG), units.ErrImplausible},
		{"ACR NaN", ACategory, units.Q(math.NaN(), units.MgPerG), units.ErrImplausible},
		{"ACR +Inf", ACategory, units.Q(math.Inf(1), units.MgPerMmol), units.ErrImplausible},
		{"ACR above plausible range", ACategory, units.Q(40000, units.MgPerG), units.ErrImplausible},
		{"ACR in a concentration unit", ACategory, units.Q(30, units.MgPerL), units.ErrIncompatible},
		{"ACR without unit", ACategory, units.Q(30, ""), units.ErrIncompatible},
		{"PCR negative", ACategoryFromPCR, units.Q(-0.1, units.GPerG), units.ErrImplausible},
		{"PCR NaN", ACategoryFromPCR, units.Q(math.NaN(), units.MgPerMmol), units.ErrImplausible},
		{"PCR in g/d", ACategoryFromPCR, units.Q(1, units.GPerDay), units.ErrIncompatible},
	}
	for _, tt := range tests {
		a, err := tt.f(tt.q)
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: got %v, %v; want an error wrapping %v", tt.name, a, err, tt.want)
		}
	}
}

func TestAText(t *testing.T) {
	for a, want := range map[A]string{A1: "A1", A2: "A2", A3: "A3"} {
		b, err := a.MarshalText()
		if err != nil || string(b) != want || a.String() != want {
			t.Errorf("%d: MarshalText = %q, %v; String = %q; want %q", int(a), b, err, a.String(), want)
		}
	}
	if _, err := A(0).MarshalText(); err == nil {
		t.Error("A(0).MarshalText() succeeded, want an error")
	}
	if _, err := A(4).MarshalText(); err == nil {
		t.Error("A(4).MarshalText() succeeded, want an error")
	}
}

// A2From gives the lower bound of A2 that ACategory and ACategoryFromPCR
// apply in each unit (KDIGO 2012 Table 6: ACR 30 mg/g, 3 mg/mmol; Table 7:
// PCR 150 mg/g, 15 mg/mmol).
func TestA2From(t *testing.T) {
	for _, tc := range []struct {
		an  units.Analyte
		u   units.Unit
		cut float64
	}{
		{units.ACR, units.MgPerG, 30}, {units.ACR, units.MgPerMmol, 3}, {units.ACR, units.GPerG, 0.03},
		{units.PCR, units.MgPerG, 150}, {units.PCR, units.MgPerMmol, 15}, {units.PCR, units.GPerG, 0.15},
	} {
		q, ok := A2From(tc.an, tc.u)
		if !ok || q.Value != tc.cut || q.Unit != tc.u {
			t.Errorf("A2From(%v, %v) = %v, %v; want %v", tc.an, tc.u, q, ok, tc.cut)
		}
		cat := ACategory
		if tc.an == units.PCR {
			cat = ACategoryFromPCR
		}
		if a, _ := cat(q); a != A2 {
			t.Errorf("%v %v: the bound is %v, want A2", tc.an, q, a)
		}
	}
	if _, ok := A2From(units.Creatinine, units.MgPerDL); ok {
		t.Error("A2From(creatinine) ok, want none")
	}
}
