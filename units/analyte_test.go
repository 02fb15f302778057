package units

import (
	"errors"
	"strings"
	"testing"
)

func TestAnalyteConvert(t *testing.T) {
	tests := []struct {
		a      Analyte
		in     Quantity
		to     Unit
		want   float64
		rel    float64
		source string
	}{
		{Creatinine, Q(1, MgPerDL), UmolPerL, 88.4, 1e-12, "KDIGO 2012: 1 mg/dL = 88.4 umol/L"},
		{Creatinine, Q(2.0, MgPerDL), UmolPerL, 177, 3e-3, "KDIGO 2012 GN Table 29: 2.0 mg/dL <-> 177 umol/L"},
		{Creatinine, Q(106, UmolPerL), MgPerDL, 1.199, 1e-3, "106/88.4"},
		{Creatinine, Q(0.106, MmolPerL), MgPerDL, 106 / 88.4, 1e-12, "mmol/L = umol/L / 1000"},
		{CystatinC, Q(1, MgPerL), NmolPerL, 74.9, 1e-12, "kidney.epi: 1 mg/L = 74.9 nmol/L"},
		{ACR, Q(1, MgPerMmol), MgPerG, 8.84, 1e-3, "kidney.md §3: 1 mg/mmol = 8.84 mg/g"},
		{ACR, Q(30, MgPerMmol), MgPerG, 265.2, 1e-3, "30 x 8.84"},
		{PCR, Q(500, MgPerG), MgPerMmol, 56.6, 1e-3, "lupus.md §2.1: 500 mg/g = 56.6 mg/mmol"},
		{PCR, Q(3000, MgPerG), MgPerMmol, 339, 3e-3, "lupus.md §2.1: 3000 mg/g = 339 mg/mmol"},
		{PCR, Q(0.5, GPerG), MgPerG, 500, 1e-12, "1 g/g = 1000 mg/g"},
		{PCR, Q(0.5, GPerG), MgPerMmol, 56.6, 1e-3, "lupus.md §2.1"},
		{Calcium, Q(2.5, MmolPerL), MgPerDL, 10, 1e-12, "kfre conversions: 1 mmol/L = 4.0 mg/dL"},
		{Calcium, Q(2.5, MmolPerL), MeqPerL, 5, 1e-12, "calcium is divalent"},
		{Phosphate, Q(1, MmolPerL), MgPerDL, 3.1, 1e-12, "kfre conversions: 1 mmol/L = 3.1 mg/dL"},
		{Albumin, Q(40, GPerL), GPerDL, 4, 1e-12, "kfre conversions: 1 g/L = 0.1 g/dL"},
		{Bicarbonate, Q(22, MeqPerL), MmolPerL, 22, 1e-12, "monovalent: mEq/L = mmol/L"},
		{Hemoglobin, Q(121, GPerL), GPerDL, 12.1, 1e-12, "1 g/dL = 10 g/L"},
		{Height, Q(1.65, M), Cm, 165, 1e-12, "1 m = 100 cm"},
	}
	for _, tt := range tests {
		got, err := tt.a.Convert(tt.in, tt.to)
		if err != nil || got.Unit != tt.to || !close(got.Value, tt.want, tt.rel) {
			t.Errorf("%s.Convert(%v, %s) = %v, %v; want %v (%s)", tt.a, tt.in, tt.to, got, err, tt.want, tt.source)
		}
	}
}

func TestAnalyteConvertRejects(t *testing.T) {
	tests := []struct {
		a  Analyte
		in Quantity
		to Unit
	}{
		{Creatinine, Q(1.2, MgPerG), MgPerDL}, // a ratio unit for a concentration
		{Creatinine, Q(1.2, MgPerDL), MgPerG},
		{ACR, Q(30, MgPerDL), MgPerG},
		{Albumin, Q(4, GPerDL), MmolPerL}, // no molar mass on file for albumin
		{Analyte(0), Q(1, MgPerDL), MgPerDL},
	}
	for _, tt := range tests {
		if got, err := tt.a.Convert(tt.in, tt.to); !errors.Is(err, ErrIncompatible) {
			t.Errorf("%s.Convert(%v, %s) = %v, %v; want ErrIncompatible", tt.a, tt.in, tt.to, got, err)
		}
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct {
		a    Analyte
		in   Quantity
		want Quantity
	}{
		{Creatinine, Q(106, UmolPerL), Q(106/88.4, MgPerDL)},
		{Creatinine, Q(0.1, MgPerDL), Q(0.1, MgPerDL)}, // lower bound inclusive
		{Creatinine, Q(30, MgPerDL), Q(30, MgPerDL)},   // upper bound inclusive
		{ACR, Q(3, GPerG), Q(3000, MgPerG)},
		{CystatinC, Q(0.9, MgPerL), Q(0.9, MgPerL)},
		{Weight, Q(70, Kg), Q(70, Kg)},
	}
	for _, tt := range tests {
		got, err := tt.a.Normalize("--x", tt.in)
		if err != nil || got.Unit != tt.want.Unit || !close(got.Value, tt.want.Value, 1e-12) {
			t.Errorf("%s.Normalize(%v) = %v, %v; want %v", tt.a, tt.in, got, err, tt.want)
		}
	}
}

func TestNormalizeRejects(t *testing.T) {
	tests := []struct {
		field string
		a     Analyte
		in    Quantity
		want  error
		msg   string
	}{
		{"--creatinine", Creatinine, Q(106, MgPerDL), ErrImplausible,
			"--creatinine: creatinine 106 mg/dL is implausible; expected 0.1 to 30 mg/dL (did you mean 106 umol/L?)"},
		{"--creatinine", Creatinine, Q(1.2, UmolPerL), ErrImplausible,
			"--creatinine: creatinine 1.2 umol/L is implausible; expected 8.84 to 2652 umol/L (did you mean 1.2 mg/dL?)"},
		{"--creatinine", Creatinine, Q(1.2, MgPerG), ErrIncompatible,
			"--creatinine: unit mg/g does not fit creatinine; accepted units: mg/dL, umol/L, mmol/L"},
		{"--cystatin", CystatinC, Q(25, MgPerL), ErrImplausible,
			"--cystatin: cystatin_c 25 mg/L is implausible; expected 0.2 to 10 mg/L (did you mean 25 nmol/L?)"},
		{"--acr", ACR, Q(30, MgPerDL), ErrIncompatible,
			"--acr: unit mg/dL does not fit acr; accepted units: mg/g, mg/mmol, g/g"},
		{"--height", Height, Q(165, M), ErrImplausible,
			"--height: height 165 m is implausible; expected 0.2 to 2.6 m (did you mean 165 cm?)"},
		{"--calcium", Calcium, Q(2.4, MgPerDL), ErrImplausible,
			"--calcium: calcium 2.4 mg/dL is implausible; expected 3.5 to 25 mg/dL (did you mean 2.4 mmol/L?)"},
		{"", Hemoglobin, Q(121, GPerDL), ErrImplausible,
			"hemoglobin 121 g/dL is implausible; expected 2 to 25 g/dL (did you mean 121 g/L?)"},
	}
	for _, tt := range tests {
		got, err := tt.a.Normalize(tt.field, tt.in)
		if !errors.Is(err, tt.want) {
			t.Errorf("%s.Normalize(%v) = %v, %v; want %v", tt.a, tt.in, got, err, tt.want)
			continue
		}
		if err.Error() != tt.msg {
			t.Errorf("%s.Normalize(%v) message\n got %q\nwant %q", tt.a, tt.in, err.Error(), tt.msg)
		}
	}
}

func TestRangeErrorFields(t *testing.T) {
	_, err := Creatinine.Normalize("--creatinine", Q(106, MgPerDL))
	var re *RangeError
	if !errors.As(err, &re) {
		t.Fatalf("error %v is not a *RangeError", err)
	}
	if re.Field != "--creatinine" || re.Value != Q(106, MgPerDL) || re.Suggestion == nil || *re.Suggestion != Q(106, UmolPerL) {
		t.Errorf("RangeError = %+v", re)
	}
}

func TestAnalyteNames(t *testing.T) {
	seen := map[string]bool{}
	for _, a := range Analytes() {
		name := a.String()
		if seen[name] || name == "unknown analyte" || strings.ContainsAny(name, " -") {
			t.Errorf("analyte %d has a bad or repeated name %q", a, name)
		}
		seen[name] = true
		back, ok := ParseAnalyte(name)
		if !ok || back != a {
			t.Errorf("ParseAnalyte(%q) = %v, %v", name, back, ok)
		}
		// Every analyte's units are known and its canonical unit comes first.
		us := a.Units()
		if len(us) == 0 || us[0] != a.Canonical() {
			t.Errorf("%s: units %v do not start with canonical %s", a, us, a.Canonical())
		}
		for _, u := range us {
			if !u.Known() {
				t.Errorf("%s: unit %s is not in the unit table", a, u)
			}
			// Every accepted unit converts to canonical and back.
			lo, hi := a.Range()
			mid := Q((lo.Value+hi.Value)/2, a.Canonical())
			there, err := a.Convert(mid, u)
			if err != nil {
				t.Errorf("%s: %v", a, err)
				continue
			}
			back, err := a.Convert(there, a.Canonical())
			if err != nil || !close(back.Value, mid.Value, 1e-12) {
				t.Errorf("%s: %v -> %v -> %v, %v", a, mid, there, back, err)
			}
		}
	}
	if a, ok := ParseAnalyte("Cystatin-C"); !ok || a != CystatinC {
		t.Errorf(`ParseAnalyte("Cystatin-C") = %v, %v`, a, ok)
	}
	if _, ok := ParseAnalyte("glucose"); ok {
		t.Error(`ParseAnalyte("glucose") succeeded`)
	}
}
