package record

import (
	"strings"
	"time"
)

// Finding codes: the 24 SLEDAI-2K descriptors (Gladman DD, Ibañez D,
// Urowitz MB. J Rheumatol 2002;29:288-91), named in snake_case, and the
// total score when a source reports only the score. Scoring the
// descriptors belongs to the lupus package; record only holds them.
const (
	FindingSeizure              = "seizure"
	FindingPsychosis            = "psychosis"
	FindingOrganicBrainSyndrome = "organic_brain_syndrome"
	FindingVisualDisturbance    = "visual_disturbance"
	FindingCranialNerve         = "cranial_nerve_disorder"
	FindingLupusHeadache        = "lupus_headache"
	FindingCVA                  = "cva"
	FindingVasculitis           = "vasculitis"
	FindingArthritis            = "arthritis"
	FindingMyositis             = "myositis"
	FindingUrinaryCasts         = "urinary_casts"
	FindingHematuria            = "hematuria"
	FindingProteinuria          = "proteinuria"
	FindingPyuria               = "pyuria"
	FindingRash                 = "rash"
	FindingAlopecia             = "alopecia"
	FindingMucosalUlcers        = "mucosal_ulcers"
	FindingPleurisy             = "pleurisy"
	FindingPericarditis         = "pericarditis"
	FindingLowComplement        = "low_complement"
	FindingIncreasedDNABinding  = "increased_dna_binding"
	FindingFever                = "fever"
	FindingThrombocytopenia     = "thrombocytopenia"
	FindingLeukopenia           = "leukopenia"
	// FindingSLEDAI2KScore carries a total SLEDAI-2K score in Finding.Score.
	FindingSLEDAI2KScore = "sledai_2k_score"
)

// FindingCodes lists the finding codes record knows, SLEDAI-2K descriptors
// first in the order of the instrument, then the total score.
func FindingCodes() []string {
	return []string{
		FindingSeizure, FindingPsychosis, FindingOrganicBrainSyndrome, FindingVisualDisturbance,
		FindingCranialNerve, FindingLupusHeadache, FindingCVA, FindingVasculitis, FindingArthritis,
		FindingMyositis, FindingUrinaryCasts, FindingHematuria, FindingProteinuria, FindingPyuria,
		FindingRash, FindingAlopecia, FindingMucosalUlcers, FindingPleurisy, FindingPericarditis,
		FindingLowComplement, FindingIncreasedDNABinding, FindingFever, FindingThrombocytopenia,
		FindingLeukopenia, FindingSLEDAI2KScore,
	}
}

// Finding is a clinical finding at a visit: present or explicitly absent.
// A descriptor not recorded at a visit is unknown, which is not the same
// as absent.
type Finding struct {
	ID        string
	PatientID string
	Code      string // one of FindingCodes
	Present   bool
	Score     *float64 // only for FindingSLEDAI2KScore
	Time      time.Time
	// Provenance says where the finding came from.
	Provenance Provenance
}

// Biopsy is a kidney biopsy read by the ISN/RPS 2003 classification
// (Weening JJ et al. J Am Soc Nephrol 2004;15:241-50) with the NIH activity
// and chronicity items as revised in 2018 (Bajema IM et al. Kidney Int
// 2018;93:789-96). Items are nil when the report does not give them.
type Biopsy struct {
	ID        string
	PatientID string
	Time      time.Time
	// Classes are the ISN/RPS classes found, "I" to "VI"; mixed lesions
	// list each ("IV", "V").
	Classes []string
	// Activity items, each scored 0-3 (the index doubles necrosis and
	// cellular crescents; scoring is the lupus package's job).
	EndocapillaryHypercellularity *int
	Neutrophils                   *int
	FibrinoidNecrosis             *int
	HyalineDeposits               *int
	CellularCrescents             *int
	InterstitialInflammation      *int
	// Chronicity items, each scored 0-3.
	GlomerularSclerosis  *int
	FibrousCrescents     *int
	TubularAtrophy       *int
	InterstitialFibrosis *int
	// ActivityIndex and ChronicityIndex hold totals when the report gives
	// only the totals (0-24 and 0-12).
	ActivityIndex   *int
	ChronicityIndex *int
	Provenance      Provenance
}

// TherapyClass is the drug or procedure class of a therapy episode, the
// closed list of docs/design.md.
type TherapyClass int

// Therapy classes.
const (
	Glucocorticoid TherapyClass = iota + 1
	Mycophenolate
	Cyclophosphamide
	Belimumab
	Voclosporin
	Obinutuzumab
	Rituximab
	Hydroxychloroquine
	RAASBlockade
	SGLT2Inhibitor
	MSCInfusion // mesenchymal stem cell infusion
	// Azathioprine: the maintenance alternative to mycophenolate (KDIGO
	// 2024 LN).
	Azathioprine
	// CalcineurinInhibitor: tacrolimus and ciclosporin. Voclosporin, a
	// calcineurin inhibitor approved for LN, keeps its own class.
	CalcineurinInhibitor
	Anifrolumab // type I interferon receptor antibody (non-renal SLE)
	Leflunomide
	Mizoribine
	OtherTherapy
)

var therapyNames = [...]string{
	Glucocorticoid: "glucocorticoid", Mycophenolate: "mycophenolate", Cyclophosphamide: "cyclophosphamide",
	Belimumab: "belimumab", Voclosporin: "voclosporin", Obinutuzumab: "obinutuzumab", Rituximab: "rituximab",
	Hydroxychloroquine: "hydroxychloroquine", RAASBlockade: "raas_blockade", SGLT2Inhibitor: "sglt2_inhibitor",
	MSCInfusion: "msc_infusion", Azathioprine: "azathioprine", CalcineurinInhibitor: "calcineurin_inhibitor",
	Anifrolumab: "anifrolumab", Leflunomide: "leflunomide", Mizoribine: "mizoribine", OtherTherapy: "other",
}

// String returns the class's snake_case name.
func (c TherapyClass) String() string { return enumName(therapyNames[:], int(c)) }

// classWords spell the classes whose snake_case names are not words.
var classWords = map[string]string{
	"raas_blockade": "RAAS blockade", "sglt2_inhibitor": "SGLT2 inhibitor", "msc_infusion": "mesenchymal stem cell infusion",
	"calcineurin_inhibitor": "calcineurin inhibitor",
}

// TherapyClassWords is a class name (String) as people read it: "RAAS
// blockade" for "raas_blockade"; other names are returned as they are.
func TherapyClassWords(name string) string {
	if s, ok := classWords[name]; ok {
		return s
	}
	return name
}

// JoinTherapyClassWords joins class names as people read them
// ("glucocorticoid + mesenchymal stem cell infusion", not "msc_infusion").
func JoinTherapyClassWords(names []string) string {
	w := make([]string, len(names))
	for i, c := range names {
		w[i] = TherapyClassWords(c)
	}
	return strings.Join(w, " + ")
}

// ParseTherapyClass is the inverse of String ("raas-blockade" is accepted too).
func ParseTherapyClass(s string) (TherapyClass, bool) {
	i, ok := parseEnum(therapyNames[:], s)
	return TherapyClass(i), ok
}

// TherapyClasses lists the classes in declaration order.
func TherapyClasses() []TherapyClass {
	out := make([]TherapyClass, 0, len(therapyNames)-1)
	for c := Glucocorticoid; c <= OtherTherapy; c++ {
		out = append(out, c)
	}
	return out
}

// Therapy is one episode of a drug or procedure. End is the zero time when
// the episode is ongoing or its end is not recorded.
type Therapy struct {
	ID        string
	PatientID string
	Class     TherapyClass
	// Name is the drug or procedure as identified (an ingredient such as
	// "tacrolimus" for OtherTherapy), or the source's text.
	Name  string
	Start time.Time
	End   time.Time
	// Dose is the dose as the source wrote it ("500 mg twice daily"); it is
	// informative only and never computed with.
	Dose       string
	Status     string // as given: active, stopped, completed, ...
	Provenance Provenance
}

// ActiveAt reports whether the episode had started at t and had not ended.
func (th Therapy) ActiveAt(t time.Time) bool {
	return !t.Before(th.Start) && (th.End.IsZero() || t.Before(th.End))
}

// ReplacementKind is a kind of kidney replacement therapy event.
type ReplacementKind int

// Kidney replacement kinds.
const (
	Dialysis           ReplacementKind = iota + 1 // modality not given
	Hemodialysis                                  //
	PeritonealDialysis                            //
	KidneyTransplant                              //
)

var replacementNames = [...]string{Dialysis: "dialysis", Hemodialysis: "hemodialysis", PeritonealDialysis: "peritoneal_dialysis", KidneyTransplant: "kidney_transplant"}

// String returns the kind's snake_case name.
func (k ReplacementKind) String() string { return enumName(replacementNames[:], int(k)) }

// replacementTitles are the kinds as a report writes them, in the British
// spelling of the rest of the text (haemoglobin, anaemia).
var replacementTitles = [...]string{Dialysis: "dialysis", Hemodialysis: "haemodialysis", PeritonealDialysis: "peritoneal dialysis", KidneyTransplant: "kidney transplant"}

// Title returns the kind as people read it: "haemodialysis", "peritoneal
// dialysis" (String is the JSON code, "peritoneal_dialysis").
func (k ReplacementKind) Title() string { return enumName(replacementTitles[:], int(k)) }

// ReplacementTitle is ReplacementKind.Title for the kind's code s (as
// assess.Replacement.Kind holds it); s itself when it is not a kind.
func ReplacementTitle(s string) string {
	if k, ok := ParseReplacementKind(s); ok {
		return k.Title()
	}
	return s
}

// ParseReplacementKind is the inverse of String.
func ParseReplacementKind(s string) (ReplacementKind, bool) {
	i, ok := parseEnum(replacementNames[:], s)
	return ReplacementKind(i), ok
}

// IsDialysis reports whether k is any dialysis modality.
func (k ReplacementKind) IsDialysis() bool {
	return k == Dialysis || k == Hemodialysis || k == PeritonealDialysis
}

// Replacement is a kidney replacement event: a dialysis session or period,
// or a kidney transplant (End is zero for a transplant).
type Replacement struct {
	ID         string
	PatientID  string
	Kind       ReplacementKind
	Start      time.Time
	End        time.Time
	Provenance Provenance
}

// Batch is a set of items read together, such as one file, ready to be
// stored in one transaction.
type Batch struct {
	Patients     []Patient
	Observations []Observation
	Conditions   []Condition
	Findings     []Finding
	Biopsies     []Biopsy
	Therapies    []Therapy
	Replacements []Replacement
	// Retractions withdraw items sent before (see Retraction).
	Retractions []Retraction
}

// Len returns the number of items in the batch.
func (b *Batch) Len() int {
	return len(b.Patients) + len(b.Observations) + len(b.Conditions) + len(b.Findings) +
		len(b.Biopsies) + len(b.Therapies) + len(b.Replacements) + len(b.Retractions)
}
