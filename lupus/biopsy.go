package lupus

import (
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
)

// ClassRules names the ISN/RPS rule set a biopsy class is read under.
type ClassRules string

// ISN/RPS rule sets.
const (
	// ISNRPS2003 is Weening et al. Kidney Int 2004;65:521 (ISN/RPS 2003):
	// class IV subdivided into IV-S and IV-G, with (A), (A/C) and (C)
	// designations.
	ISNRPS2003 ClassRules = "isn-rps-2003"
	// ISNRPS2018 is Bajema et al. Kidney Int 2018;93:789-96: IV-S/IV-G and
	// the A, C, A/C designations removed, replaced by the modified NIH
	// activity and chronicity indices for all classes.
	ISNRPS2018 ClassRules = "isn-rps-2018"
)

// Class is an ISN/RPS lupus nephritis class: I–VI, or the mixed classes
// III+V and IV+V. It is a histological class, not a CKD stage: "class IV" is
// diffuse lupus nephritis, unrelated to CKD G4 (eGFR 15–29).
type Class struct {
	Base       string // "I" … "VI"
	Membranous bool   // mixed with class V (III+V, IV+V)
	Segment    string // 2003 only: "S" or "G" for class IV
	Activity   string // 2003 only: "A", "A/C" or "C" for classes III and IV
}

// String writes the class as pathologists do: "IV+V", "IV-G (A/C)".
func (c Class) String() string {
	s := c.Base
	if c.Segment != "" {
		s += "-" + c.Segment
	}
	if c.Activity != "" {
		s += " (" + c.Activity + ")"
	}
	if c.Membranous {
		s += "+V"
	}
	return s
}

// Name returns the class's descriptive name from the ISN/RPS table.
func (c Class) Name() string {
	n := map[string]string{
		"I": "minimal mesangial lupus nephritis", "II": "mesangial proliferative lupus nephritis",
		"III": "focal lupus nephritis (<50% of glomeruli)", "IV": "diffuse lupus nephritis (≥50% of glomeruli)",
		"V": "membranous lupus nephritis", "VI": "advanced sclerosing lupus nephritis (≥90% globally sclerosed glomeruli)",
	}[c.Base]
	if c.Membranous {
		n += " with membranous lupus nephritis"
	}
	return n
}

const acceptedClasses = "I, II, III, IV, V, VI, III+V, IV+V"

// ParseClass reads an ISN/RPS class under rules. Roman numerals only; mixed
// classes are written III+V or IV+V (V+III and V+IV are read the same way).
// Under ISN/RPS 2018 the 2003 subdivisions IV-S/IV-G and the (A), (A/C), (C)
// designations are errors that explain the change; under 2003 they are kept.
func ParseClass(s string, rules ClassRules) (Class, error) {
	if rules != ISNRPS2003 && rules != ISNRPS2018 {
		return Class{}, &InputError{Field: "rules", Value: string(rules), Err: ErrUnknownItem, Reason: "is not a known ISN/RPS rule set",
			Accepted: string(ISNRPS2003) + ", " + string(ISNRPS2018)}
	}
	bad := func(reason string) error {
		return &InputError{Field: "class", Value: s, Err: ErrUnknownItem, Reason: reason, Accepted: acceptedClasses}
	}
	t := strings.ToUpper(strings.Join(strings.Fields(s), ""))
	if t == "" {
		return Class{}, bad("is empty")
	}
	if strings.HasPrefix(t, "STAGE") || strings.HasPrefix(t, "G") || t[0] >= '0' && t[0] <= '9' {
		return Class{}, bad("is not an ISN/RPS class: biopsy classes are Roman numerals I–VI; \"stage 4\" and \"G4\" are CKD GFR categories (eGFR 15–29), a different axis from class IV (diffuse lupus nephritis)")
	}
	var c Class
	// Activity designation (2003): "(A)", "(A/C)", "(C)".
	if i := strings.IndexByte(t, '('); i >= 0 {
		j := strings.IndexByte(t, ')')
		if j < i {
			return Class{}, bad("has an unclosed designation")
		}
		c.Activity = t[i+1 : j]
		t = t[:i] + t[j+1:]
		if c.Activity != "A" && c.Activity != "A/C" && c.Activity != "C" {
			return Class{}, bad("has an unknown activity designation; ISN/RPS 2003 uses (A), (A/C) or (C)")
		}
	}
	parts := strings.Split(t, "+")
	switch {
	case len(parts) == 2 && parts[0] == "V":
		parts[0], parts[1] = parts[1], parts[0]
		fallthrough
	case len(parts) == 2 && parts[1] == "V":
		c.Membranous = true
	case len(parts) != 1:
		return Class{}, bad("is not a known class combination; only III+V and IV+V are mixed classes")
	}
	base := parts[0]
	if b, seg, ok := strings.Cut(base, "-"); ok {
		base, c.Segment = b, seg
		if seg != "S" && seg != "G" {
			return Class{}, bad("has an unknown subdivision; ISN/RPS 2003 divides class IV into IV-S and IV-G")
		}
	} else if strings.HasSuffix(base, "IVS") || strings.HasSuffix(base, "IVG") {
		base, c.Segment = "IV", base[2:]
	}
	switch base {
	case "I", "II", "III", "IV", "V", "VI":
	default:
		return Class{}, bad("is not an ISN/RPS class")
	}
	c.Base = base
	if c.Membranous && base != "III" && base != "IV" {
		return Class{}, bad("is not a known class combination; only III+V and IV+V are mixed classes")
	}
	if c.Segment != "" && base != "IV" {
		return Class{}, bad("has a subdivision, but only class IV had one (IV-S, IV-G, ISN/RPS 2003)")
	}
	if c.Activity != "" && base != "III" && base != "IV" {
		return Class{}, bad("has an activity designation, but only classes III and IV had one (ISN/RPS 2003)")
	}
	if rules == ISNRPS2018 && (c.Segment != "" || c.Activity != "") {
		what := "the IV-S/IV-G subdivision"
		if c.Segment == "" {
			what = "the (A), (A/C) and (C) designations"
		}
		return Class{}, &InputError{Field: "class", Value: s, Err: ErrUnknownItem,
			Reason:   "uses " + what + " of ISN/RPS 2003, which the 2018 revision (Bajema 2018) removed: write the class alone (IV, III+V) and give activity and chronicity as modified NIH activity and chronicity indices",
			Accepted: acceptedClasses}
	}
	return c, nil
}

// BiopsyValue is one NIH index item as given: a semi-quantitative score 0–3,
// or the percentage of glomeruli (or of cortex, for interstitial items)
// affected.
type BiopsyValue struct {
	Score     int
	Percent   float64
	IsPercent bool
}

// ParseBiopsyValue reads "2" as a score or "35%" as a percentage.
func ParseBiopsyValue(field, s string) (BiopsyValue, error) {
	t := strings.TrimSpace(s)
	if p, ok := strings.CutSuffix(t, "%"); ok {
		v, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return BiopsyValue{}, &InputError{Field: field, Value: s, Err: ErrOutOfRange, Reason: "is not a percentage", Accepted: "a score 0..3 or a percentage 0%..100%"}
		}
		if v < 0 || v > 100 {
			return BiopsyValue{}, &InputError{Field: field, Value: s, Err: ErrOutOfRange, Reason: "is outside 0%–100%", Accepted: "a percentage 0%..100% of glomeruli (or of cortex for interstitial items)"}
		}
		return BiopsyValue{Percent: v, IsPercent: true}, nil
	}
	n, err := strconv.Atoi(t)
	if err != nil || n < 0 || n > 3 {
		return BiopsyValue{}, &InputError{Field: field, Value: s, Err: ErrOutOfRange, Reason: "is not a score 0..3", Accepted: "a score 0, 1, 2 or 3, or a percentage such as 35%"}
	}
	return BiopsyValue{Score: n}, nil
}

// Band returns the item score: the score itself, or the percentage banded
// 0 absent, 1 <25%, 2 25–50% (both ends inclusive), 3 >50% (modified NIH
// indices, Bajema 2018; bands as in Moroni, Lupus Sci Med 2022 Table 1,
// confirmed with the search tool on PMC9386217). Ambiguity A6: only exactly
// 0% scores 0; any involvement, however small, scores 1.
func (v BiopsyValue) Band() int {
	if !v.IsPercent {
		return v.Score
	}
	switch {
	case v.Percent == 0:
		return 0
	case v.Percent < 25:
		return 1
	case v.Percent <= 50:
		return 2
	default:
		return 3
	}
}

// String writes the value as given.
func (v BiopsyValue) String() string {
	if v.IsPercent {
		return strconv.FormatFloat(v.Percent, 'f', -1, 64) + "%"
	}
	return strconv.Itoa(v.Score)
}

// NIHItem is a modified NIH index item: its key and its weight.
type NIHItem struct {
	Key    string
	Weight int
	Of     string // what the percentage is of: "glomeruli" or "cortex"
}

// NIHActivityItems returns the six modified NIH activity items (Bajema
// 2018; lupus.md §3.1 [V]): fibrinoid necrosis and cellular/fibrocellular
// crescents count double, so the index is 0–24.
func NIHActivityItems() []NIHItem {
	return []NIHItem{
		{"endocapillary_hypercellularity", 1, "glomeruli"},
		{"neutrophils_karyorrhexis", 1, "glomeruli"},
		{"fibrinoid_necrosis", 2, "glomeruli"},
		{"hyaline_deposits", 1, "glomeruli"},
		{"cellular_fibrocellular_crescents", 2, "glomeruli"},
		{"interstitial_inflammation", 1, "cortex"},
	}
}

// NIHChronicityItems returns the four modified NIH chronicity items (Bajema
// 2018; lupus.md §3.2 [V]), each 0–3, so the index is 0–12.
func NIHChronicityItems() []NIHItem {
	return []NIHItem{
		{"glomerulosclerosis", 1, "glomeruli"},
		{"fibrous_crescents", 1, "glomeruli"},
		{"tubular_atrophy", 1, "cortex"},
		{"interstitial_fibrosis", 1, "cortex"},
	}
}

// IndexItem is one scored NIH item in a result.
type IndexItem struct {
	Index  string `json:"index"` // "activity" or "chronicity"
	Given  string `json:"given"` // as given: "2" or "35%"
	Score  int    `json:"score"` // 0–3
	Weight int    `json:"weight"`
	Points int    `json:"points"` // score × weight
}

// BiopsyResult is an ISN/RPS class with the modified NIH indices. An index
// is nil unless every one of its items was given: a partial sum would read as
// a low index. Items not given are listed in NotAssessed.
type BiopsyResult struct {
	Rules           string               `json:"rules"`
	Class           string               `json:"class"`
	ClassName       string               `json:"class_name"`
	ActivityIndex   *int                 `json:"activity_index"`   // 0–24
	ChronicityIndex *int                 `json:"chronicity_index"` // 0–12
	Items           map[string]IndexItem `json:"items"`
	NotAssessed     []string             `json:"not_assessed"`
	Note            string               `json:"note"`
}

// BiopsyNote is printed with every biopsy result.
const BiopsyNote = "ISN/RPS class is histology, not a CKD stage: class IV is diffuse lupus nephritis, CKD G4 is eGFR 15–29 mL/min/1.73 m²."

// Biopsy reads an ISN/RPS class under rules and computes the modified NIH
// activity (0–24) and chronicity (0–12) indices from item values keyed by
// the names of NIHActivityItems and NIHChronicityItems. Unknown keys are
// errors with the nearest suggestion.
func Biopsy(class string, rules ClassRules, activity, chronicity map[string]BiopsyValue) (BiopsyResult, error) {
	c, err := ParseClass(class, rules)
	if err != nil {
		return BiopsyResult{}, err
	}
	r := BiopsyResult{Rules: string(rules), Class: c.String(), ClassName: c.Name(), Items: map[string]IndexItem{}, NotAssessed: []string{}, Note: BiopsyNote}
	score := func(index, field string, items []NIHItem, given map[string]BiopsyValue) (*int, error) {
		keys := make([]string, len(items))
		for i, it := range items {
			keys[i] = it.Key
		}
		norm := make(map[string]BiopsyValue, len(given))
		for _, k := range slices.Sorted(maps.Keys(given)) {
			n, err := pickItems(field, []string{k}, keys)
			if err != nil {
				return nil, err
			}
			if _, dup := norm[n[0]]; dup {
				return nil, &InputError{Field: field, Value: k, Err: ErrDuplicateItem, Reason: "is given more than once; give each item once"}
			}
			norm[n[0]] = given[k]
		}
		given = norm
		total, complete := 0, true
		for _, it := range items {
			v, ok := given[it.Key]
			if !ok {
				complete = false
				r.NotAssessed = append(r.NotAssessed, it.Key)
				continue
			}
			s := v.Band()
			if s < 0 || s > 3 {
				return nil, &InputError{Field: field, Value: it.Key + "=" + v.String(), Err: ErrOutOfRange, Reason: "is not a score 0..3", Accepted: "a score 0..3 or a percentage 0%..100%"}
			}
			r.Items[it.Key] = IndexItem{Index: index, Given: v.String(), Score: s, Weight: it.Weight, Points: s * it.Weight}
			total += s * it.Weight
		}
		if !complete {
			return nil, nil
		}
		return &total, nil
	}
	if r.ActivityIndex, err = score("activity", "activity", NIHActivityItems(), activity); err != nil {
		return BiopsyResult{}, err
	}
	if r.ChronicityIndex, err = score("chronicity", "chronicity", NIHChronicityItems(), chronicity); err != nil {
		return BiopsyResult{}, err
	}
	return r, nil
}
