package fhir_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"renalwatch/fhir"
)

// biopsyWith returns a kidney biopsy Procedure carrying the RenalWatch NIH
// extension with the given sub-extensions (hand-written JSON).
func biopsyWith(items string) string {
	return `{"resourceType":"Procedure","id":"bx","status":"completed","subject":{"reference":"Patient/p1"},
		"code":{"text":"Percutaneous kidney biopsy: lupus nephritis ISN/RPS class IV"},"performedDateTime":"2024-02-01",
		"extension":[{"url":"urn:renalwatch:nih-lupus-nephritis","extension":[` + items + `]}]}`
}

func readOne(t *testing.T, doc string) *fhir.Result {
	t.Helper()
	rd := fhir.Reader{Now: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	res, err := rd.Read("nih.json", strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestBiopsyNIHExtension(t *testing.T) {
	// Each item has a different neighbour value, so a swapped field shows.
	all := `{"url":"endocapillary_hypercellularity","valueInteger":2},{"url":"neutrophils_karyorrhexis","valueInteger":1},
		{"url":"fibrinoid_necrosis","valueInteger":1},{"url":"hyaline_deposits","valueInteger":0},
		{"url":"cellular_fibrocellular_crescents","valueInteger":3},{"url":"interstitial_inflammation","valueInteger":1},
		{"url":"glomerulosclerosis","valueInteger":1},{"url":"fibrous_crescents","valueInteger":0},
		{"url":"tubular_atrophy","valueInteger":2},{"url":"interstitial_fibrosis","valueInteger":3}`
	res := readOne(t, biopsyWith(all))
	if len(res.Rejected) != 0 || len(res.Batch.Biopsies) != 1 {
		t.Fatalf("rejected %v, biopsies %d; want one biopsy", res.Rejected, len(res.Batch.Biopsies))
	}
	b := res.Batch.Biopsies[0]
	got := []*int{b.EndocapillaryHypercellularity, b.Neutrophils, b.FibrinoidNecrosis, b.HyalineDeposits, b.CellularCrescents,
		b.InterstitialInflammation, b.GlomerularSclerosis, b.FibrousCrescents, b.TubularAtrophy, b.InterstitialFibrosis}
	want := []int{2, 1, 1, 0, 3, 1, 1, 0, 2, 3}
	for i, g := range got {
		if g == nil || *g != want[i] {
			t.Errorf("item %d = %v, want %d", i, g, want[i])
		}
	}
	if b.ActivityIndex != nil || b.ChronicityIndex != nil {
		t.Error("totals set though none was given")
	}
	if diff := cmp.Diff([]string{"IV"}, b.Classes); diff != "" {
		t.Errorf("classes (-want +got):\n%s", diff)
	}

	res = readOne(t, biopsyWith(`{"url":"activity_index","valueInteger":24},{"url":"chronicity_index","valueInteger":0}`))
	if len(res.Rejected) != 0 {
		t.Fatalf("totals at the bounds rejected: %v", res.Rejected)
	}
	if b := res.Batch.Biopsies[0]; b.ActivityIndex == nil || *b.ActivityIndex != 24 || b.ChronicityIndex == nil || *b.ChronicityIndex != 0 || b.Neutrophils != nil {
		t.Errorf("totals: activity %v, chronicity %v, neutrophils %v; want 24, 0, nil", b.ActivityIndex, b.ChronicityIndex, b.Neutrophils)
	}

	// A biopsy without the extension keeps every item nil.
	res = readOne(t, strings.Replace(biopsyWith(""), `"extension":[{"url":"urn:renalwatch:nih-lupus-nephritis","extension":[]}]`, `"extension":[{"url":"http://example.org/other","valueInteger":7}]`, 1))
	if len(res.Rejected) != 0 || res.Batch.Biopsies[0].ActivityIndex != nil {
		t.Errorf("other extension: rejected %v, biopsy %+v", res.Rejected, res.Batch.Biopsies)
	}
}

func TestBiopsyNIHExtensionRejected(t *testing.T) {
	for _, tc := range []struct {
		name, items string
		want        error
		text        string
	}{
		{"item above 3", `{"url":"fibrinoid_necrosis","valueInteger":4}`, fhir.ErrImplausible, "fibrinoid_necrosis = 4"},
		{"item below 0", `{"url":"tubular_atrophy","valueInteger":-1}`, fhir.ErrImplausible, "tubular_atrophy = -1"},
		{"item not whole", `{"url":"hyaline_deposits","valueInteger":1.5}`, fhir.ErrImplausible, "hyaline_deposits = 1.5"},
		{"activity total above 24", `{"url":"activity_index","valueInteger":25}`, fhir.ErrImplausible, "from 0 to 24"},
		{"chronicity total above 12", `{"url":"chronicity_index","valueInteger":13}`, fhir.ErrImplausible, "from 0 to 12"},
		{"unknown item", `{"url":"crescents","valueInteger":1}`, fhir.ErrBadBiopsyItem, `"crescents"`},
		{"no value", `{"url":"glomerulosclerosis"}`, fhir.ErrMissing, "glomerulosclerosis"},
		{"given twice", `{"url":"glomerulosclerosis","valueInteger":1},{"url":"glomerulosclerosis","valueInteger":2}`, fhir.ErrImplausible, "given twice"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := readOne(t, biopsyWith(tc.items))
			if len(res.Batch.Biopsies) != 0 || len(res.Rejected) != 1 {
				t.Fatalf("biopsies %d, rejected %v; want the biopsy rejected", len(res.Batch.Biopsies), res.Rejected)
			}
			if err := res.Rejected[0]; !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.text) {
				t.Errorf("rejection %v; want %v naming %q", err, tc.want, tc.text)
			}
		})
	}
}
