package lupus

import "slices"

// Criterion is one weighted EULAR/ACR 2019 classification criterion.
type Criterion struct {
	Item     string `json:"item"`
	Domain   string `json:"domain"`
	Weight   int    `json:"weight"`
	Clinical bool   `json:"clinical"` // clinical (true) or immunological domain
}

// eularACRTable is the 2019 EULAR/ACR SLE classification table (Aringer et
// al. Ann Rheum Dis 2019;78:1151; Arthritis Rheumatol 2019;71:1400), as
// given in lupus.md §4 [V]: 21 rows in 7 clinical and 3 immunological
// domains (the paper counts 22 criteria; combined criteria such as "anti-dsDNA
// or anti-Sm" are one row, as on the issue's item list). Domain maxima
// 2+4+5+6+6+6+10+2+4+6 = 51.
func eularACRTable() []Criterion {
	return []Criterion{
		{"fever", "constitutional", 2, true},
		{"leukopenia", "hematologic", 3, true},
		{"thrombocytopenia", "hematologic", 4, true},
		{"autoimmune_hemolysis", "hematologic", 4, true},
		{"delirium", "neuropsychiatric", 2, true},
		{"psychosis", "neuropsychiatric", 3, true},
		{"seizure", "neuropsychiatric", 5, true},
		{"non_scarring_alopecia", "mucocutaneous", 2, true},
		{"oral_ulcers", "mucocutaneous", 2, true},
		{"subacute_cutaneous_or_discoid_lupus", "mucocutaneous", 4, true},
		{"acute_cutaneous_lupus", "mucocutaneous", 6, true},
		{"pleural_or_pericardial_effusion", "serosal", 5, true},
		{"acute_pericarditis", "serosal", 6, true},
		{"joint_involvement", "musculoskeletal", 6, true},
		{"proteinuria", "renal", 4, true},
		{"biopsy_class_ii_or_v", "renal", 8, true},
		{"biopsy_class_iii_or_iv", "renal", 10, true},
		{"antiphospholipid_antibodies", "antiphospholipid_antibodies", 2, false},
		{"low_c3_or_low_c4", "complement_proteins", 3, false},
		{"low_c3_and_low_c4", "complement_proteins", 4, false},
		{"anti_dsdna_or_anti_sm", "sle_specific_antibodies", 6, false},
	}
}

// EULARACR2019Criteria returns the classification criteria in the order of
// the published table. The slice is a fresh copy.
func EULARACR2019Criteria() []Criterion { return eularACRTable() }

// EULARACR2019Items returns the criterion names accepted by EULARACR2019.
func EULARACR2019Items() []string {
	t := eularACRTable()
	out := make([]string, len(t))
	for i, c := range t {
		out[i] = c.Item
	}
	return out
}

// DomainScore is the criterion that counts in one domain: the highest
// weighted of those present.
type DomainScore struct {
	Domain string `json:"domain"`
	Item   string `json:"item"`
	Weight int    `json:"weight"`
}

// Classification statuses.
const (
	StatusClassified    = "classified"
	StatusNotClassified = "not classified"
	StatusNotApplicable = "not applicable"
)

// ClassificationNote is printed with every classification result.
const ClassificationNote = "Classification criteria are for research cohorts; meeting them is not a diagnosis of SLE, and not meeting them does not exclude it."

// Classification is the result of the 2019 EULAR/ACR SLE classification
// criteria. When the entry criterion is absent the criteria do not apply:
// Status is "not applicable", Points and ClinicalCriterion are nil, and
// Classified is false (the criteria's own rule: entry criterion absent, do
// not classify as SLE).
type Classification struct {
	Criteria          string        `json:"criteria"` // "EULAR/ACR 2019 (Aringer 2019)"
	EntryCriterion    bool          `json:"entry_criterion"`
	Status            string        `json:"status"`
	Points            *int          `json:"points"`
	Classified        *bool         `json:"classified"`
	ClinicalCriterion *bool         `json:"clinical_criterion"`
	Domains           []DomainScore `json:"domains"`     // counted criteria, one per domain
	NotCounted        []DomainScore `json:"not_counted"` // present but outweighed in their domain
	Note              string        `json:"note"`
}

// EULARACR2019 applies the 2019 EULAR/ACR SLE classification criteria
// (Aringer 2019; rules checked in lupus.md §4 [V]). anaPositive is the entry
// criterion: ANA at a titre of at least 1:80 on HEp-2 cells or an equivalent
// positive test, at least once. Without it the criteria are not applied.
// Otherwise each item present adds its weight, but within a domain only the
// highest weight counts; SLE is classified when the total is at least 10 and
// at least one clinical criterion is present. Each item counts only when
// there is no more likely explanation than SLE; RenalWatch cannot check that.
func EULARACR2019(anaPositive bool, items []string) (Classification, error) {
	picked, err := pickItems("ITEM", items, EULARACR2019Items())
	if err != nil {
		return Classification{}, err
	}
	c := Classification{Criteria: "EULAR/ACR 2019 (Aringer 2019)", EntryCriterion: anaPositive,
		Domains: []DomainScore{}, NotCounted: []DomainScore{}, Note: ClassificationNote}
	if !anaPositive {
		// Aringer 2019, entry criterion: ANA ≥ 1:80 at least once; "if
		// absent, do not classify as SLE" (confirmed with the search tool:
		// a patient never ANA-positive cannot be classified). The weighted
		// items are not scored, but the answer to "classified?" is no.
		c.Status, c.Classified = StatusNotApplicable, new(bool)
		return c, nil
	}
	best := map[string]Criterion{}
	var order []string
	for _, cr := range eularACRTable() {
		if !slices.Contains(picked, cr.Item) {
			continue
		}
		b, ok := best[cr.Domain]
		if !ok {
			order = append(order, cr.Domain)
		}
		if !ok || cr.Weight > b.Weight {
			best[cr.Domain] = cr
		}
	}
	points, clinical := 0, false
	for _, d := range order {
		b := best[d]
		c.Domains = append(c.Domains, DomainScore{d, b.Item, b.Weight})
		points += b.Weight
		clinical = clinical || b.Clinical
	}
	for _, cr := range eularACRTable() {
		if slices.Contains(picked, cr.Item) && best[cr.Domain].Item != cr.Item {
			c.NotCounted = append(c.NotCounted, DomainScore{cr.Domain, cr.Item, cr.Weight})
		}
	}
	classified := points >= 10 && clinical
	c.Points, c.Classified, c.ClinicalCriterion = &points, &classified, &clinical
	c.Status = StatusNotClassified
	if classified {
		c.Status = StatusClassified
	}
	return c, nil
}
