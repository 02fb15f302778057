package labtext

import (
	"testing"

	"renalwatch/units"
)

// The table rows the assessment's alert messages quote (potassium, Hb,
// systolic BP, UPCR), with imported Synthea-shaped values.
func TestLabRowsUsedByAlerts(t *testing.T) {
	for _, tc := range []struct {
		an   units.Analyte
		v    float64
		u    units.Unit
		want string
	}{
		{units.Potassium, 3.70989, units.MmolPerL, "3.7"},
		{units.Potassium, 6.5, units.MmolPerL, "6.5"},
		{units.Hemoglobin, 10.13, units.GPerDL, "10.1"},
		{units.SystolicBP, 179.604, units.MmHg, "180"},
		{units.PCR, 1.8, units.GPerG, "1.80"},
		{units.PCR, 0.004, units.GPerG, "0.004"}, // never reads 0
		{units.PCR, 3600, units.MgPerG, "3600"},
		{units.Creatinine, 2.68112, units.Unit("mg/dL{x}"), "2.68112"}, // unit not in the table: 6 significant digits
	} {
		if got := Lab(tc.an, tc.v, tc.u); got != tc.want {
			t.Errorf("Lab(%v, %v, %s) = %q, want %q", tc.an, tc.v, tc.u, got, tc.want)
		}
	}
	if got := Sig(106.08000000000001, 6); got != "106.08" {
		t.Errorf("Sig = %q", got)
	}
}

// A value converted for display reads at the laboratory precision of the
// unit shown, never with more than 3 significant digits (docs/report.md,
// "Numbers in human text"). Conversion factors: creatinine 88.4 µmol/L per
// mg/dL, UPCR/ACR 1 g/g = 113.12 mg/mmol (8.84 mg/g per mg/mmol), Hb 10 g/L per g/dL.
func TestConverted(t *testing.T) {
	for _, tc := range []struct {
		an   units.Analyte
		v    float64
		u    units.Unit
		want string
	}{
		{units.Creatinine, 50.388, units.UmolPerL, "50"},    // 0.57 mg/dL: whole µmol/L, as UK laboratories report it
		{units.Creatinine, 207.74, units.UmolPerL, "208"},   // 2.35 mg/dL
		{units.PCR, 203.616, units.MgPerMmol, "204"},        // 1.80 g/g: 3 significant digits cap the 1 decimal of mg/mmol
		{units.ACR, 3.3898, units.MgPerMmol, "3.4"},         // 30 mg/g: 1 decimal mg/mmol
		{units.Hemoglobin, 119.6, units.GPerL, "120"},       // 11.96 g/dL: whole g/L
		{units.C3, 0.1, units.GPerL, "0.10"},                // 10 mg/dL: 2 decimals g/L, the trailing zero kept
		{units.PCR, 0.004, units.MgPerMmol, "0.004"},        // never reads 0
		{units.Calcium, 2.37062, units.MmolPerL, "2.37"},    // not in the table: 3 significant digits
		{units.Creatinine, 0.011312, units.MgPerDL, "0.01"}, // 1 µmol/L
	} {
		if got := Converted(tc.an, tc.v, tc.u); got != tc.want {
			t.Errorf("Converted(%v, %v, %s) = %q, want %q", tc.an, tc.v, tc.u, got, tc.want)
		}
	}
}

func TestCount(t *testing.T) {
	for _, tc := range []struct {
		got, want string
	}{
		{Count(1, "year"), "1 year"}, {Count(2, "year"), "2 years"}, {Count(0, "patient"), "0 patients"},
		{Count(int64(1), "observation"), "1 observation"}, {Count(15, "month"), "15 months"},
		{CountAs(1, "analysis", "analyses"), "1 analysis"}, {CountAs(3, "analysis", "analyses"), "3 analyses"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

// TestDigits: exactly sig significant digits with trailing zeros kept (the
// estimated ACR of docs/report.md at 4), never an exponent; Sig, at most
// sig digits, is unchanged.
func TestDigits(t *testing.T) {
	for _, c := range []struct {
		v    float64
		sig  int
		want string
	}{
		{91.1, 4, "91.10"},
		{91.05, 4, "91.05"},
		{537.892, 4, "537.9"},
		{84.1234, 4, "84.12"},
		{120, 4, "120.0"},
		{1234.6, 4, "1235"},
		{12346, 4, "12350"},
		{9.99951, 4, "10.00"},
		{99.996, 4, "100.0"},
		{0.05, 4, "0.05000"},
		{-3.2, 4, "-3.200"},
		{0, 4, "0"},
	} {
		if got := Digits(c.v, c.sig); got != c.want {
			t.Errorf("Digits(%v, %d) = %q, want %q", c.v, c.sig, got, c.want)
		}
	}
	if got := Sig(91.1, 4); got != "91.1" {
		t.Errorf("Sig(91.1, 4) = %q, want at most 4 digits, \"91.1\"", got)
	}
}
