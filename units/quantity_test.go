package units

import (
	"errors"
	"math"
	"testing"
)

func TestParse(t *testing.T) {
	// The forms the foundation issue lists, plus the spellings FHIR exports use.
	tests := []struct {
		in   string
		want Quantity
	}{
		{"1.2mg/dL", Q(1.2, MgPerDL)},
		{"1.2 mg/dL", Q(1.2, MgPerDL)},
		{" 1.2  mg/dL ", Q(1.2, MgPerDL)},
		{"106umol/L", Q(106, UmolPerL)},
		{"106µmol/L", Q(106, UmolPerL)}, // micro sign
		{"106μmol/L", Q(106, UmolPerL)}, // Greek mu
		{"0.9mg/L", Q(0.9, MgPerL)},
		{"300mg/g", Q(300, MgPerG)},
		{"30mg/mmol", Q(30, MgPerMmol)},
		{"3g/g", Q(3, GPerG)},
		{"0.5mg/mg", Q(0.5, GPerG)},
		{"165cm", Q(165, Cm)},
		{"70kg", Q(70, Kg)},
		{"12.1g/dL", Q(12.1, GPerDL)},
		{"121g/L", Q(121, GPerL)},
		{"22mmol/L", Q(22, MmolPerL)},
		{"9.1mg/dL", Q(9.1, MgPerDL)},
		{".5g/g", Q(0.5, GPerG)},
		{"5.g/d", Q(5, GPerDay)},
		{"3e2mg/g", Q(300, MgPerG)},
		{"1.5E+1mg/L", Q(15, MgPerL)},
		{"0mg/g", Q(0, MgPerG)},
		{"-0mg/g", Q(0, MgPerG)},
		{"+1.2mg/dL", Q(1.2, MgPerDL)},
		{"1.2MG/DL", Q(1.2, MgPerDL)},
		{"56mL/min/{1.73_m2}", Q(56, MLPerMinBSA)},
		{"56 mL/min/1.73m2", Q(56, MLPerMinBSA)},
		{"130mmHg", Q(130, MmHg)},
		{"130mm[Hg]", Q(130, MmHg)},
		{"4 mEq/L", Q(4, MeqPerL)},
		{"12/hpf", Q(12, PerHPF)},
		{"1.5g/(24.h)", Q(1.5, GPerDay)},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("Parse(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

func TestParseRejects(t *testing.T) {
	tests := []struct {
		in   string
		want error
	}{
		{"", ErrSyntax},
		{"mg/dL", ErrSyntax},
		{"1.2", ErrNoUnit},
		{"1.2 ", ErrNoUnit},
		{"1.2furlongs", ErrUnknownUnit},
		{"1.2 mg/dl/x", ErrUnknownUnit},
		{"1.2.3mg/dL", ErrUnknownUnit},
		{"NaNmg/dL", ErrNotFinite},
		{"nan", ErrNotFinite},
		{"Infmg/dL", ErrNotFinite},
		{"-Inf mg/dL", ErrNotFinite},
		{"1e309mg/dL", ErrOutOfRange},
		{"-1e309mg/dL", ErrOutOfRange},
		{"1e-400mg/dL", ErrOutOfRange}, // was read as 0 (issue 8 item 8)
		{"0.1e-330mg/dL", ErrOutOfRange},
		{"-1.2mg/dL", ErrNegative},
		{"0x10mg/dL", ErrUnknownUnit},
		{"1_000mg/g", ErrUnknownUnit},
	}
	for _, tt := range tests {
		q, err := Parse(tt.in)
		if !errors.Is(err, tt.want) {
			t.Errorf("Parse(%q) = %v, %v; want error %v", tt.in, q, err, tt.want)
			continue
		}
		var pe *ParseError
		if !errors.As(err, &pe) || pe.Input != tt.in {
			t.Errorf("Parse(%q) error %v does not carry the input", tt.in, err)
		}
	}
}

func TestParseErrorMessages(t *testing.T) {
	_, err := Parse("1.2")
	if got, want := err.Error(), `"1.2" has no unit: write the unit in the same token, for example 1.2mg/dL, 106umol/L, 300mg/g, 165cm`; got != want {
		t.Errorf("message = %q\nwant      %q", got, want)
	}
}

func TestStringRoundTrip(t *testing.T) {
	for _, q := range []Quantity{Q(1.2, MgPerDL), Q(106.08000000000001, UmolPerL), Q(1e-7, GPerG), Q(123456789, IUPerML), Q(0, MgPerG)} {
		got, err := Parse(q.String())
		if err != nil || got != q {
			t.Errorf("Parse(%q) = %v, %v; want %v", q.String(), got, err, q)
		}
	}
}

func TestConvertTo(t *testing.T) {
	tests := []struct {
		in   Quantity
		to   Unit
		want float64
	}{
		{Q(12.1, GPerDL), GPerL, 121},
		{Q(121, GPerL), GPerDL, 12.1},
		{Q(106, UmolPerL), MmolPerL, 0.106},
		{Q(165, Cm), M, 1.65},
		{Q(3, GPerG), MgPerG, 3000},
		{Q(1500, MgPerDay), GPerDay, 1.5},
		{Q(9.1, MgPerDL), MgPerL, 91},
	}
	for _, tt := range tests {
		got, err := tt.in.ConvertTo(tt.to)
		if err != nil || got.Unit != tt.to || !close(got.Value, tt.want, 1e-12) {
			t.Errorf("%v.ConvertTo(%s) = %v, %v; want %v", tt.in, tt.to, got, err, tt.want)
		}
	}
	for _, bad := range []struct {
		in Quantity
		to Unit
	}{{Q(1.2, MgPerDL), UmolPerL}, {Q(30, MgPerMmol), MgPerG}, {Q(1, Unit("x")), MgPerDL}} {
		if got, err := bad.in.ConvertTo(bad.to); !errors.Is(err, ErrIncompatible) {
			t.Errorf("%v.ConvertTo(%s) = %v, %v; want ErrIncompatible", bad.in, bad.to, got, err)
		}
	}
}

// close reports whether a and b agree to a relative tolerance.
func close(a, b, rel float64) bool {
	if a == b {
		return true
	}
	return math.Abs(a-b) <= rel*math.Max(math.Abs(a), math.Abs(b))
}
