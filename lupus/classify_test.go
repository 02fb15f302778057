package lupus

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const srcEULAR = "Aringer 2019 EULAR/ACR classification criteria table (lupus.md §4)"

func TestEULARACRMaximum(t *testing.T) {
	if n := len(EULARACR2019Criteria()); n != 21 {
		// Aringer 2019 speaks of 22 weighted criteria; lupus.md §4's table and
		// the item list have 21 rows (combined criteria such as
		// "anti-dsDNA or anti-Sm" are one row each). See docs/caveats.md.
		t.Errorf("got %d criteria rows, want the 21 rows of lupus.md §4", n)
	}
	c, err := EULARACR2019(true, EULARACR2019Items())
	if err != nil {
		t.Fatal(err)
	}
	if *c.Points != 51 || !*c.Classified || len(c.Domains) != 10 {
		t.Errorf("all criteria: %d points in %d domains, classified %v; want 51 in 10, true (%s)", *c.Points, len(c.Domains), *c.Classified, srcEULAR)
	}
}

func TestEULARACR(t *testing.T) {
	tests := []struct {
		name       string
		items      []string
		points     int
		classified bool
		clinical   bool
		source     string
	}{
		{"biopsy class III/IV alone is exactly 10 and clinical", []string{"biopsy_class_iii_or_iv"}, 10, true, true, "lupus.md §4 consequence: ANA+ with class III/IV alone = 10 → classified"},
		{"10 points without a clinical criterion", []string{"anti_dsdna_or_anti_sm", "low_c3_and_low_c4"}, 10, false, false, srcEULAR + ", rule 5: ≥1 clinical criterion"},
		{"9 points", []string{"joint_involvement", "low_c3_or_low_c4"}, 9, false, true, srcEULAR + ", rule 5: ≥10 points"},
		{"exactly 10 with clinical", []string{"oral_ulcers", "anti_dsdna_or_anti_sm", "antiphospholipid_antibodies"}, 10, true, true, srcEULAR},
		{"highest in domain counts", []string{"low_c3_or_low_c4", "low_c3_and_low_c4", "proteinuria", "biopsy_class_ii_or_v"}, 12, true, true, srcEULAR + ", rule 4"},
		{"mucocutaneous highest only", []string{"non_scarring_alopecia", "oral_ulcers", "acute_cutaneous_lupus", "subacute_cutaneous_or_discoid_lupus"}, 6, false, true, srcEULAR + ", rule 4"},
	}
	for _, tt := range tests {
		c, err := EULARACR2019(true, tt.items)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if *c.Points != tt.points || *c.Classified != tt.classified || *c.ClinicalCriterion != tt.clinical {
			t.Errorf("%s: points %d classified %v clinical %v; want %d %v %v (%s)", tt.name, *c.Points, *c.Classified, *c.ClinicalCriterion, tt.points, tt.classified, tt.clinical, tt.source)
		}
		wantStatus := StatusNotClassified
		if tt.classified {
			wantStatus = StatusClassified
		}
		if c.Status != wantStatus || c.Note != ClassificationNote {
			t.Errorf("%s: status %q note %q", tt.name, c.Status, c.Note)
		}
	}
}

func TestEULARACRDomains(t *testing.T) {
	c, err := EULARACR2019(true, []string{"low_c3_or_low_c4", "low_c3_and_low_c4", "biopsy_class_iii_or_iv"})
	if err != nil {
		t.Fatal(err)
	}
	want := []DomainScore{{"renal", "biopsy_class_iii_or_iv", 10}, {"complement_proteins", "low_c3_and_low_c4", 4}}
	if diff := cmp.Diff(want, c.Domains); diff != "" {
		t.Errorf("domains (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]DomainScore{{"complement_proteins", "low_c3_or_low_c4", 3}}, c.NotCounted); diff != "" {
		t.Errorf("not counted (-want +got):\n%s", diff)
	}
}

// Issue 7 item 6: without the entry criterion the items (here 16 points,
// which would classify) are not scored, and the criteria say "if absent, do
// not classify as SLE": classified is false, not unknown.
func TestEULARACRNotApplicable(t *testing.T) {
	c, err := EULARACR2019(false, []string{"biopsy_class_iii_or_iv", "anti_dsdna_or_anti_sm"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Status != StatusNotApplicable || c.Points != nil || c.ClinicalCriterion != nil || c.EntryCriterion {
		t.Errorf("without ANA: %+v; want not applicable with no points (%s, rule 1)", c, srcEULAR)
	}
	if c.Classified == nil || *c.Classified {
		t.Errorf("without ANA: classified %v, want false (%s: entry criterion absent, do not classify as SLE)", c.Classified, srcEULAR)
	}
}

func TestEULARACRRejects(t *testing.T) {
	for _, tt := range []struct {
		items []string
		want  error
		msg   string
	}{
		{[]string{"oral_ulcer"}, ErrUnknownItem, "did you mean oral_ulcers?"},
		{[]string{"malar_rash"}, ErrUnknownItem, "accepted: fever"},
		{[]string{"fever", "fever"}, ErrDuplicateItem, "more than once"},
	} {
		_, err := EULARACR2019(true, tt.items)
		if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("%v: err = %v, want %v containing %q", tt.items, err, tt.want, tt.msg)
		}
	}
}
