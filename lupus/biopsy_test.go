package lupus

import (
	"errors"
	"strings"
	"testing"
)

const srcNIH = "Bajema 2018 modified NIH indices; bands per Moroni, Lupus Sci Med 2022 Table 1 (lupus.md §3.1–3.2)"

func all(items []NIHItem, v string) map[string]BiopsyValue {
	m := map[string]BiopsyValue{}
	for _, it := range items {
		bv, err := ParseBiopsyValue("test", v)
		if err != nil {
			panic(err)
		}
		m[it.Key] = bv
	}
	return m
}

func TestNIHInvariants(t *testing.T) {
	for _, v := range []string{"3", "100%", "50.5%"} {
		r, err := Biopsy("IV", ISNRPS2018, all(NIHActivityItems(), v), all(NIHChronicityItems(), v))
		if err != nil {
			t.Fatal(err)
		}
		if *r.ActivityIndex != 24 || *r.ChronicityIndex != 12 {
			t.Errorf("all items %s: AI %d CI %d, want 24 and 12 (%s)", v, *r.ActivityIndex, *r.ChronicityIndex, srcNIH)
		}
	}
	r, err := Biopsy("II", ISNRPS2018, all(NIHActivityItems(), "0%"), all(NIHChronicityItems(), "0"))
	if err != nil || *r.ActivityIndex != 0 || *r.ChronicityIndex != 0 {
		t.Errorf("all absent: %+v, %v; want 0 and 0", r, err)
	}
}

func TestNIHBands(t *testing.T) {
	tests := []struct {
		given string
		want  int
	}{
		{"0%", 0}, {"0.1%", 1}, {"24.9%", 1}, {"25%", 2}, {"35%", 2}, {"50%", 2}, {"50.1%", 3}, {"100%", 3},
		{"0", 0}, {"1", 1}, {"2", 2}, {"3", 3},
	}
	for _, tt := range tests {
		v, err := ParseBiopsyValue("activity", tt.given)
		if err != nil {
			t.Fatal(err)
		}
		if got := v.Band(); got != tt.want {
			t.Errorf("%s: band %d, want %d (%s; exactly 50%% is 2, only 0%% is 0)", tt.given, got, tt.want, srcNIH)
		}
	}
}

func TestNIHWeights(t *testing.T) {
	// Fibrinoid necrosis and cellular/fibrocellular crescents count double.
	act := all(NIHActivityItems(), "0")
	act["fibrinoid_necrosis"] = BiopsyValue{Score: 1}
	act["cellular_fibrocellular_crescents"] = BiopsyValue{Percent: 30, IsPercent: true}
	act["endocapillary_hypercellularity"] = BiopsyValue{Score: 3}
	r, err := Biopsy("IV+V", ISNRPS2018, act, nil)
	if err != nil {
		t.Fatal(err)
	}
	// 1×2 + 2×2 + 3×1 = 9
	if *r.ActivityIndex != 9 || r.ChronicityIndex != nil {
		t.Errorf("AI %v CI %v, want 9 and nil (%s)", *r.ActivityIndex, r.ChronicityIndex, srcNIH)
	}
	if got := r.Items["cellular_fibrocellular_crescents"]; got.Points != 4 || got.Given != "30%" || got.Score != 2 {
		t.Errorf("crescents item = %+v, want 30%% → score 2 → 4 points", got)
	}
	if len(r.NotAssessed) != 4 || r.Class != "IV+V" {
		t.Errorf("not assessed %v class %q; want the 4 chronicity items and IV+V", r.NotAssessed, r.Class)
	}
}

func TestBiopsyPartialIndexIsNil(t *testing.T) {
	r, err := Biopsy("III", ISNRPS2018, map[string]BiopsyValue{"fibrinoid_necrosis": {Score: 3}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.ActivityIndex != nil {
		t.Errorf("one activity item given: AI = %d, want nil (a partial sum would read as a low index)", *r.ActivityIndex)
	}
	if len(r.NotAssessed) != 9 {
		t.Errorf("not assessed = %v, want 5 activity + 4 chronicity items", r.NotAssessed)
	}
}

func TestParseClass(t *testing.T) {
	const w = "Weening 2004 (ISN/RPS 2003) and Bajema 2018 class tables (lupus.md §3)"
	tests := []struct {
		in    string
		rules ClassRules
		want  string
	}{
		{"I", ISNRPS2018, "I"}, {"ii", ISNRPS2018, "II"}, {"III", ISNRPS2018, "III"}, {"IV", ISNRPS2018, "IV"},
		{"V", ISNRPS2018, "V"}, {"VI", ISNRPS2018, "VI"}, {"III+V", ISNRPS2018, "III+V"}, {"iv + v", ISNRPS2018, "IV+V"},
		{"V+IV", ISNRPS2018, "IV+V"}, {"IV-G", ISNRPS2003, "IV-G"}, {"IV-S (A/C)", ISNRPS2003, "IV-S (A/C)"},
		{"III (A)+V", ISNRPS2003, "III (A)+V"}, {"IV", ISNRPS2003, "IV"},
	}
	for _, tt := range tests {
		c, err := ParseClass(tt.in, tt.rules)
		if err != nil || c.String() != tt.want {
			t.Errorf("ParseClass(%q, %s) = %q, %v; want %q (%s)", tt.in, tt.rules, c, err, tt.want, w)
		}
	}
	bad := []struct {
		in    string
		rules ClassRules
		msg   string
	}{
		{"VII", ISNRPS2018, "is not an ISN/RPS class"},
		{"IV-G", ISNRPS2018, "2018 revision (Bajema 2018) removed"},
		{"IV-S", ISNRPS2018, "IV-S/IV-G subdivision"},
		{"IV (A/C)", ISNRPS2018, "(A), (A/C) and (C) designations"},
		{"II+V", ISNRPS2018, "only III+V and IV+V"},
		{"III-G", ISNRPS2003, "only class IV had one"},
		{"4", ISNRPS2018, "CKD GFR categories"},
		{"stage 4", ISNRPS2018, "CKD GFR categories"},
		{"G4", ISNRPS2018, "CKD GFR categories"},
		{"", ISNRPS2018, "is empty"},
		{"IV", "isn-rps-2020", "not a known ISN/RPS rule set"},
	}
	for _, tt := range bad {
		_, err := ParseClass(tt.in, tt.rules)
		if !errors.Is(err, ErrUnknownItem) || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("ParseClass(%q, %s) err = %v, want one containing %q", tt.in, tt.rules, err, tt.msg)
		}
	}
}

func TestBiopsyRejects(t *testing.T) {
	for _, tt := range []struct {
		in  string
		msg string
	}{
		{"101%", "outside 0%–100%"}, {"-5%", "outside 0%–100%"}, {"4", "not a score 0..3"},
		{"-1", "not a score 0..3"}, {"2.5", "not a score 0..3"}, {"abc%", "not a percentage"}, {"NaN%", "not a percentage"},
	} {
		_, err := ParseBiopsyValue("activity", tt.in)
		if !errors.Is(err, ErrOutOfRange) || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("ParseBiopsyValue(%q) err = %v, want %q", tt.in, err, tt.msg)
		}
	}
	_, err := Biopsy("IV", ISNRPS2018, map[string]BiopsyValue{"fibrinoid_necrotis": {Score: 1}}, nil)
	if !errors.Is(err, ErrUnknownItem) || !strings.Contains(err.Error(), "did you mean fibrinoid_necrosis?") {
		t.Errorf("unknown key: %v", err)
	}
	_, err = Biopsy("IV", ISNRPS2018, nil, map[string]BiopsyValue{"tubular_atrophy": {Score: 1}, "Tubular-Atrophy": {Score: 2}})
	if !errors.Is(err, ErrDuplicateItem) {
		t.Errorf("duplicate key: %v", err)
	}
	_, err = Biopsy("IV", ISNRPS2018, map[string]BiopsyValue{"hyaline_deposits": {Score: 7}}, nil)
	if !errors.Is(err, ErrOutOfRange) {
		t.Errorf("score 7 from a library caller: %v", err)
	}
}
