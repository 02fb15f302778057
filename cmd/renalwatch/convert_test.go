package main

import (
	"encoding/json"
	"math"
	"testing"
)

func TestConvert(t *testing.T) {
	runGolden(t, "convert", []goldenCase{
		{"creatinine-to-umol", []string{"convert", "1.2mg/dL", "--to", "umol/L", "--analyte", "creatinine"}, 0},
		{"acr-json", []string{"convert", "30mg/mmol", "--to", "mg/g", "--analyte", "acr", "--json"}, 0},
		{"flags-first", []string{"convert", "--to", "g/L", "12.1g/dL"}, 0},
		{"help", []string{"convert", "--help"}, 0},
		{"no-unit", []string{"convert", "1.2", "--to", "umol/L", "--analyte", "creatinine"}, 2},
		{"implausible", []string{"convert", "106mg/dL", "--to", "umol/L", "--analyte", "creatinine"}, 2},
		{"wrong-unit-for-analyte", []string{"convert", "1.2mg/g", "--to", "umol/L", "--analyte", "creatinine"}, 2},
		{"needs-analyte", []string{"convert", "1.2mg/dL", "--to", "umol/L"}, 2},
		{"unknown-target", []string{"convert", "1.2mg/dL", "--to", "furlongs"}, 2},
		{"unknown-analyte", []string{"convert", "1.2mg/dL", "--to", "umol/L", "--analyte", "glucose"}, 2},
		{"missing-to", []string{"convert", "1.2mg/dL"}, 2},
		{"two-quantities", []string{"convert", "1.2mg/dL", "2mg/dL", "--to", "g/L"}, 2},
		{"not-finite", []string{"convert", "1e309mg/dL", "--to", "g/L"}, 2},
		{"bad-flag", []string{"convert", "--bogus", "1.2mg/dL"}, 2},
	})
}

func TestConvertJSONValue(t *testing.T) {
	_, stdout, _ := runCmd(t, "convert", "2.0mg/dL", "--to", "umol/L", "--analyte", "creatinine", "--json")
	var got struct {
		Value float64 `json:"value"`
		Unit  string  `json:"unit"`
	}
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("%v: %q", err, stdout)
	}
	// KDIGO 2012 GN guideline Table 29 pairs 2.0 mg/dL with 177 umol/L.
	if got.Unit != "umol/L" || math.Abs(got.Value-176.8) > 1e-9 {
		t.Errorf("got %+v, want 176.8 umol/L", got)
	}
}

// FuzzQuantityFlag feeds arbitrary text to the quantity flag through the
// whole command line: no panic, and only exit codes 0 or 2.
func FuzzQuantityFlag(f *testing.F) {
	for _, s := range []string{"1.2mg/dL", "106umol/L", "1.2", "1e309mg/dL", "-1mg/dL", "NaN", "", "1.2 mg/dL", "0mmol/L"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		code, _, stderr := runCmd(t, "convert", "--analyte", "creatinine", "--to", "umol/L", "--", s)
		if code != 0 && code != 2 {
			t.Fatalf("convert %q: exit %d, stderr %q", s, code, stderr)
		}
		if code == 0 && stderr != "" {
			t.Fatalf("convert %q succeeded but wrote to stderr: %q", s, stderr)
		}
		var q quantityFlag
		if err := q.Set(s); err == nil {
			var back quantityFlag
			if err := back.Set(q.String()); err != nil || back.q != q.q {
				t.Fatalf("quantity flag round trip %q -> %q -> %v, %v", s, q.String(), back.q, err)
			}
		}
	})
}
