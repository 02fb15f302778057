package lupus

import (
	"slices"
	"strconv"
)

// SLEDAIDescriptor is one of the 24 SLEDAI-2K descriptors with its weight
// and its operational definition (paraphrased from the SLEDAI-2K glossary,
// Gladman, Ibañez, Urowitz. J Rheumatol 2002;29:288-91). A descriptor is
// scored only when it is attributable to SLE and present at the visit or
// within the attribution window before it.
type SLEDAIDescriptor struct {
	Item       string `json:"item"`       // snake_case name used on the command line
	Weight     int    `json:"weight"`     // points when present
	Renal      bool   `json:"renal"`      // part of renal SLEDAI (Mina 2016)
	Definition string `json:"definition"` // paraphrase of the glossary
}

// sledaiTable is the SLEDAI-2K descriptor table in the glossary's order.
// Weights checked against medicalcriteria.com/web/reusledai/ (which
// reproduces the Gladman 2002 form) and lupus.md §1.2: 8×8 + 6×4 + 7×2 + 3×1
// = 105. Ambiguity A1: the form reads "more than 2 joints" for arthritis
// (confirmed on medicalcriteria.com with the search tool; some calculators
// print "≥2"); RenalWatch follows the form. Proteinuria ">0.5 g/24 h": the
// CLI takes the descriptor as present or absent, so the spot-UPCR equivalence
// (lupus.md [M], not confirmed word for word) is the assessor's call, noted
// in docs/caveats.md.
var sledaiTable = []SLEDAIDescriptor{
	{"seizure", 8, false, "recent onset; exclude metabolic, infectious or drug cause"},
	{"psychosis", 8, false, "severe disturbance in the perception of reality impairing function; exclude uraemia and drugs"},
	{"organic_brain_syndrome", 8, false, "acute fluctuating impairment of orientation, memory or intellect with clouding of consciousness plus at least 2 associated features; exclude metabolic, infectious or drug cause"},
	{"visual_disturbance", 8, false, "retinal changes of SLE (cytoid bodies, retinal haemorrhage, choroidal exudate or haemorrhage, optic neuritis); exclude hypertension, infection, drugs"},
	{"cranial_nerve_disorder", 8, false, "new onset of sensory or motor neuropathy of cranial nerves"},
	{"lupus_headache", 8, false, "severe persistent headache, may be migrainous, unresponsive to narcotic analgesia"},
	{"cva", 8, false, "new onset of cerebrovascular accident; exclude arteriosclerosis"},
	{"vasculitis", 8, false, "ulceration, gangrene, tender finger nodules, periungual infarction, splinter haemorrhages, or biopsy or angiogram proof"},
	{"arthritis", 4, false, "more than 2 joints with pain and signs of inflammation (tenderness, swelling or effusion)"},
	{"myositis", 4, false, "proximal muscle aching or weakness with raised CK or aldolase, EMG changes or biopsy"},
	{"urinary_casts", 4, true, "heme-granular or red blood cell casts"},
	{"hematuria", 4, true, ">5 red blood cells/hpf; exclude stone, infection or other cause"},
	{"proteinuria", 4, true, ">0.5 g/24 h"},
	{"pyuria", 4, true, ">5 white blood cells/hpf; exclude infection"},
	{"rash", 2, false, "inflammatory-type rash"},
	{"alopecia", 2, false, "abnormal, patchy or diffuse, non-scarring hair loss"},
	{"mucosal_ulcers", 2, false, "oral or nasal ulcerations"},
	{"pleurisy", 2, false, "pleuritic chest pain with rub, effusion or pleural thickening"},
	{"pericarditis", 2, false, "pericardial pain with at least 1 of rub, effusion, or ECG or echo confirmation"},
	{"low_complement", 2, false, "CH50, C3 or C4 below the laboratory's lower limit"},
	{"increased_dna_binding", 2, false, "anti-dsDNA above the laboratory's normal range"},
	{"fever", 1, false, ">38 °C; exclude infection"},
	{"thrombocytopenia", 1, false, "<100 ×10⁹/L platelets; exclude drugs"},
	{"leukopenia", 1, false, "<3 ×10⁹/L white cells; exclude drugs"},
}

// sledaiNames is the descriptors' names in the table's order, and
// sledaiKnown the same names as a set: SLEDAI2K checks its items against
// them (an assessment scores a visit; the table is not rebuilt per call).
var sledaiNames, sledaiKnown = func() ([]string, map[string]bool) {
	names := make([]string, len(sledaiTable))
	known := make(map[string]bool, len(sledaiTable))
	for i, d := range sledaiTable {
		names[i], known[d.Item] = d.Item, true
	}
	return names, known
}()

// SLEDAIDescriptors returns the 24 SLEDAI-2K descriptors in the glossary's
// order. The slice is a fresh copy.
func SLEDAIDescriptors() []SLEDAIDescriptor { return slices.Clone(sledaiTable) }

// SLEDAIItems returns the descriptor names accepted by SLEDAI2K.
func SLEDAIItems() []string { return slices.Clone(sledaiNames) }

// ScoredItem is one descriptor present at the visit and its weight.
type ScoredItem struct {
	Item   string `json:"item"`
	Weight int    `json:"weight"`
}

// SLEDAIResult is a SLEDAI-2K score with what produced it.
type SLEDAIResult struct {
	Index      string       `json:"index"`       // "SLEDAI-2K (Gladman 2002)"
	Score      int          `json:"score"`       // 0–105
	RenalScore int          `json:"renal_score"` // 0–16: casts, haematuria, proteinuria, pyuria
	WindowDays int          `json:"window_days"` // 10 (original) or 30 (Touma 2010)
	Items      []ScoredItem `json:"items"`       // descriptors present, in glossary order
	Activity   []Band       `json:"activity"`    // the score placed in each cited band set
}

// SLEDAI2K scores the descriptors present at a visit. items are descriptor
// names (see SLEDAIItems); an unknown name is an error that suggests the
// nearest one, a repeated name is an error. windowDays is the attribution
// window recorded with the score: 10 (the original definition, Gladman 2002)
// or 30 (validated by Touma, Urowitz, Gladman. Lupus 2010;19:49-51).
//
// Renal SLEDAI is the sum of the four renal descriptors, 0–16 (Mina et al.
// Arthritis Care Res 2016;68:195). The score counts only descriptors the
// assessor attributes to active SLE; RenalWatch cannot check attribution.
func SLEDAI2K(items []string, windowDays int) (SLEDAIResult, error) {
	if windowDays != 10 && windowDays != 30 {
		return SLEDAIResult{}, &InputError{Field: "window", Value: strconv.Itoa(windowDays), Err: ErrOutOfRange,
			Reason: "is not a validated attribution window", Accepted: "10 (Gladman 2002) or 30 (Touma 2010) days"}
	}
	picked, err := pickKnown("ITEM", items, sledaiNames, sledaiKnown)
	if err != nil {
		return SLEDAIResult{}, err
	}
	r := SLEDAIResult{Index: "SLEDAI-2K (Gladman 2002)", WindowDays: windowDays, Items: []ScoredItem{}}
	for _, d := range sledaiTable {
		if !slices.Contains(picked, d.Item) {
			continue
		}
		r.Items = append(r.Items, ScoredItem{d.Item, d.Weight})
		r.Score += d.Weight
		if d.Renal {
			r.RenalScore += d.Weight
		}
	}
	for _, bs := range SLEDAIBandSets() {
		r.Activity = append(r.Activity, bs.Classify(r.Score))
	}
	return r, nil
}

// BandSet is a named, cited way of putting a SLEDAI-2K score into activity
// bands. Bands are interpretation aids, not part of the index, and sources
// disagree (lupus.md §1.1, ambiguity A9), so every band carries its set.
type BandSet struct {
	Name   string
	Source string
	bands  []bandDef
}

type bandDef struct {
	label  string
	lo, hi int // inclusive score range
}

// Band is a score's place in one band set.
type Band struct {
	BandSet string `json:"band_set"`
	Band    string `json:"band"`
	Range   string `json:"range"`
	Source  string `json:"source"`
}

// SLEDAIBandSets returns the band sets RenalWatch reports, in order:
//
//   - "ard-table": 0 remission, 1–4 low, 5–10 moderate, >10 high — the
//     "features, caveats and pitfalls" table of SLE indices in Ann Rheum Dis
//     (read with the search tool on ard.bmj.com; also lupus.md §1.1 [V]);
//   - "five-level": 0 none, 1–5 mild, 6–10 moderate, 11–19 high, ≥20 very
//     high — widely used, but not confirmed in a primary source with the
//     search tool (lupus.md §1.1 [M]); reported with that caveat.
func SLEDAIBandSets() []BandSet {
	return []BandSet{
		{Name: "ard-table", Source: "Ann Rheum Dis review table of SLE indices (SLEDAI-2K grading of severity)",
			bands: []bandDef{{"remission", 0, 0}, {"low", 1, 4}, {"moderate", 5, 10}, {"high", 11, 105}}},
		{Name: "five-level", Source: "commonly quoted five-level grading; primary source not confirmed (see docs/caveats.md)",
			bands: []bandDef{{"none", 0, 0}, {"mild", 1, 5}, {"moderate", 6, 10}, {"high", 11, 19}, {"very high", 20, 105}}},
	}
}

// Classify places score in the band set. A score outside 0–105 gets the
// band "out of range".
func (b BandSet) Classify(score int) Band {
	for _, d := range b.bands {
		if score >= d.lo && score <= d.hi {
			rng := strconv.Itoa(d.lo) + "–" + strconv.Itoa(d.hi)
			switch {
			case d.lo == d.hi:
				rng = strconv.Itoa(d.lo)
			case d.hi == 105:
				rng = "≥" + strconv.Itoa(d.lo)
			}
			return Band{BandSet: b.Name, Band: d.label, Range: rng, Source: b.Source}
		}
	}
	return Band{BandSet: b.Name, Band: "out of range", Source: b.Source}
}
