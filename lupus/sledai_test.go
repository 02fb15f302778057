package lupus

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const srcSLEDAI = "Gladman 2002 SLEDAI-2K form as reproduced on medicalcriteria.com/web/reusledai/; lupus.md §1.2"

func TestSLEDAIInvariants(t *testing.T) {
	d := SLEDAIDescriptors()
	if len(d) != 24 {
		t.Fatalf("got %d descriptors, want 24 (%s)", len(d), srcSLEDAI)
	}
	r, err := SLEDAI2K(SLEDAIItems(), 10)
	if err != nil {
		t.Fatal(err)
	}
	// 8×8 + 6×4 + 7×2 + 3×1 = 105; renal 4×4 = 16 (Mina 2016).
	if r.Score != 105 || r.RenalScore != 16 {
		t.Errorf("all descriptors: score %d renal %d, want 105 and 16 (%s)", r.Score, r.RenalScore, srcSLEDAI)
	}
	empty, err := SLEDAI2K(nil, 30)
	if err != nil || empty.Score != 0 || empty.RenalScore != 0 || len(empty.Items) != 0 || empty.WindowDays != 30 {
		t.Errorf("no descriptors: %+v, %v; want 0, 0, 30 days", empty, err)
	}
}

func TestSLEDAIWeights(t *testing.T) {
	// Each row: one descriptor alone scores its weight (tolerance 0: integer
	// points). The pyuria row catches the GDL model's 2-point bug and the
	// alopecia row the "1 point" bug (lupus.md §10).
	tests := []struct {
		item   string
		weight int
		renal  bool
	}{
		{"seizure", 8, false}, {"psychosis", 8, false}, {"organic_brain_syndrome", 8, false},
		{"visual_disturbance", 8, false}, {"cranial_nerve_disorder", 8, false}, {"lupus_headache", 8, false},
		{"cva", 8, false}, {"vasculitis", 8, false}, {"arthritis", 4, false}, {"myositis", 4, false},
		{"urinary_casts", 4, true}, {"hematuria", 4, true}, {"proteinuria", 4, true}, {"pyuria", 4, true},
		{"rash", 2, false}, {"alopecia", 2, false}, {"mucosal_ulcers", 2, false}, {"pleurisy", 2, false},
		{"pericarditis", 2, false}, {"low_complement", 2, false}, {"increased_dna_binding", 2, false},
		{"fever", 1, false}, {"thrombocytopenia", 1, false}, {"leukopenia", 1, false},
	}
	for _, tt := range tests {
		r, err := SLEDAI2K([]string{tt.item}, 10)
		if err != nil {
			t.Fatalf("%s: %v", tt.item, err)
		}
		wantRenal := 0
		if tt.renal {
			wantRenal = tt.weight
		}
		if r.Score != tt.weight || r.RenalScore != wantRenal {
			t.Errorf("%s: score %d renal %d, want %d and %d (%s)", tt.item, r.Score, r.RenalScore, tt.weight, wantRenal, srcSLEDAI)
		}
	}
}

func TestSLEDAIExample(t *testing.T) {
	// Active nephritis with serology: casts, haematuria, proteinuria (12 renal)
	// + low complement + anti-dsDNA (4) + rash (2) = 18; order on output is the
	// form's order whatever the input order.
	r, err := SLEDAI2K([]string{"rash", "proteinuria", "Increased-DNA-Binding", "hematuria", "low_complement", "urinary_casts"}, 30)
	if err != nil {
		t.Fatal(err)
	}
	want := []ScoredItem{{"urinary_casts", 4}, {"hematuria", 4}, {"proteinuria", 4}, {"rash", 2}, {"low_complement", 2}, {"increased_dna_binding", 2}}
	if diff := cmp.Diff(want, r.Items); diff != "" {
		t.Errorf("items (-want +got):\n%s", diff)
	}
	if r.Score != 18 || r.RenalScore != 12 || r.WindowDays != 30 {
		t.Errorf("score %d renal %d window %d, want 18, 12, 30 (%s)", r.Score, r.RenalScore, r.WindowDays, srcSLEDAI)
	}
}

func TestSLEDAIBands(t *testing.T) {
	const ard = "Ann Rheum Dis table of SLE indices: 0 remission, 1–4 low, 5–10 moderate, >10 high"
	const five = "five-level grading (lupus.md §1.1 [M])"
	tests := []struct {
		set    string
		score  int
		want   string
		source string
	}{
		{"ard-table", 0, "remission", ard}, {"ard-table", 1, "low", ard}, {"ard-table", 4, "low", ard},
		{"ard-table", 5, "moderate", ard}, {"ard-table", 10, "moderate", ard}, {"ard-table", 11, "high", ard},
		{"ard-table", 105, "high", ard},
		{"five-level", 0, "none", five}, {"five-level", 1, "mild", five}, {"five-level", 5, "mild", five},
		{"five-level", 6, "moderate", five}, {"five-level", 10, "moderate", five}, {"five-level", 11, "high", five},
		{"five-level", 19, "high", five}, {"five-level", 20, "very high", five}, {"five-level", 105, "very high", five},
		{"five-level", 106, "out of range", five},
	}
	sets := map[string]BandSet{}
	for _, b := range SLEDAIBandSets() {
		sets[b.Name] = b
	}
	for _, tt := range tests {
		if got := sets[tt.set].Classify(tt.score); got.Band != tt.want || got.BandSet != tt.set {
			t.Errorf("%s.Classify(%d) = %q in %q, want %q (%s)", tt.set, tt.score, got.Band, got.BandSet, tt.want, tt.source)
		}
	}
}

func TestSLEDAIRejects(t *testing.T) {
	tests := []struct {
		name   string
		items  []string
		window int
		want   error
		msg    string
	}{
		{"unknown item with suggestion", []string{"hematuira"}, 10, ErrUnknownItem, "did you mean hematuria?"},
		{"unknown item far from any", []string{"anaemia"}, 10, ErrUnknownItem, "is not a known item"},
		{"duplicate", []string{"rash", "pyuria", "rash"}, 10, ErrDuplicateItem, "more than once"},
		{"duplicate after normalising", []string{"low_complement", "Low-Complement"}, 10, ErrDuplicateItem, "more than once"},
		{"window 14", []string{"rash"}, 14, ErrOutOfRange, "10 (Gladman 2002) or 30 (Touma 2010)"},
		{"window 0", nil, 0, ErrOutOfRange, "attribution window"},
	}
	for _, tt := range tests {
		_, err := SLEDAI2K(tt.items, tt.window)
		if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("%s: err = %v, want %v containing %q", tt.name, err, tt.want, tt.msg)
		}
	}
}
