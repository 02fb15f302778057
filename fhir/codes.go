package fhir

import (
	"fmt"
	"math"
	"regexp"
	"strings"

	"renalwatch/record"
	"renalwatch/units"
)

// Code systems, matched exactly.
const (
	systemLOINC     = "http://loinc.org"
	systemSNOMED    = "http://snomed.info/sct"
	systemUCUM      = "http://unitsofmeasure.org"
	systemICD10CM   = "http://hl7.org/fhir/sid/icd-10-cm"
	systemRxNorm    = "http://www.nlm.nih.gov/research/umls/rxnorm"
	systemATC       = "http://www.whocc.no/atc"
	systemRenalOnly = "urn:renalwatch:sledai-2k" // our own, for hand-written findings
)

// loincAnalytes maps LOINC codes to analytes. Codes and their (v)/(check)
// status are those of docs/fhir.md; codes marked "common" are not in
// fhir.md but are the LOINC codes Synthea and US Core use for the analyte
// (body height 8302-2, body weight 29463-7, and the chemistry and blood
// count codes below); they should be checked against the LOINC release.
var loincAnalytes = map[string]units.Analyte{
	"2160-0":  units.Creatinine, // (v) serum/plasma, mass
	"14682-9": units.Creatinine, // (v) serum/plasma, moles
	"38483-4": units.Creatinine, // (v) blood; Synthea <= 2021 (see docs/caveats.md)
	"33863-2": units.CystatinC,  // (check)
	"9318-7":  units.ACR,        // (check)
	"14959-1": units.ACR,        // (v) "microalbumin"/creatinine; Synthea
	"32294-1": units.ACR,        // (check)
	"2890-2":  units.PCR,        // (v)
	"2889-4":  units.UrineProtein24h,
	"13945-1": units.UrineRBC, // (v)
	"5821-4":  units.UrineWBC, // (check)
	"718-7":   units.Hemoglobin,
	"8480-6":  units.SystolicBP,
	"8462-4":  units.DiastolicBP,
	"4485-9":  units.C3,        // (check)
	"4498-2":  units.C4,        // (check)
	"5130-0":  units.AntiDsDNA, // (check)
	"33799-8": units.AntiDsDNA, // (v) Mayo
	"11013-0": units.AntiDsDNA, // (v) titer: a titer unit is refused by units, as it should be
	"32677-7": units.AntiDsDNA, // (v)
	"11563-4": units.AntiDsDNA, // (v) deprecated, still found in old data
	"2823-3":  units.Potassium, // (v)
	"6298-4":  units.Potassium, // (v) blood; Synthea
	"1963-8":  units.Bicarbonate,
	"2028-9":  units.Bicarbonate, // common: carbon dioxide, total
	"17861-6": units.Calcium,     // common
	"2777-1":  units.Phosphate,   // common
	"1751-7":  units.Albumin,     // common
	"777-3":   units.Platelets,   // common
	"6690-2":  units.Leukocytes,  // common
	"8302-2":  units.Height,      // common
	"29463-7": units.Weight,      // common
	// Laboratory-reported eGFR. RenalWatch computes its own eGFR from
	// creatinine; these are kept as reported and never recomputed from.
	// The assessment uses one only when no creatinine gives a computed
	// eGFR (assess/labegfr.go names each code's equation).
	"98979-8": units.EGFR, "98980-6": units.EGFR, "62238-1": units.EGFR, "33914-3": units.EGFR,
	"48642-3": units.EGFR, "48643-1": units.EGFR, "50044-7": units.EGFR, "69405-9": units.EGFR,
	"70969-1": units.EGFR, "76633-7": units.EGFR, "77147-7": units.EGFR, "88293-6": units.EGFR,
	"88294-4": units.EGFR, "94677-2": units.EGFR,
	"50210-4": units.EGFR, // eGFR by a cystatin-based formula (OHDSI Athena / LOINC display)
}

// bpPanels are LOINC blood pressure panels whose systolic and diastolic
// values are components, not separate Observations (docs/fhir.md).
var bpPanels = map[string]bool{"85354-9": true, "55284-4": true}

// conditionCode is what a diagnosis code maps to.
type conditionCode struct {
	kind  record.ConditionKind
	stage string
}

// snomedConditions: SNOMED CT codes of docs/fhir.md (all (v)); the last four
// are kidney diagnoses found in the shared Synthea data, mapped by their code
// and the display the data gives.
var snomedConditions = map[string]conditionCode{
	"55464009":        {record.SLE, ""},
	"68815009":        {record.LupusNephritis, ""},
	"709044004":       {record.CKD, ""},
	"431855005":       {record.CKD, "1"},
	"431856006":       {record.CKD, "2"},
	"433144002":       {record.CKD, "3"},
	"700378005":       {record.CKD, "3a"},
	"700379002":       {record.CKD, "3b"},
	"431857002":       {record.CKD, "4"},
	"433146000":       {record.CKD, "5"},
	"46177005":        {record.KidneyFailure, ""},
	"127013003":       {record.DiabeticKidneyDisease, ""},
	"90781000119102":  {record.Albuminuria, ""},               // Microalbuminuria due to type 2 diabetes mellitus
	"157141000119108": {record.Albuminuria, ""},               // Proteinuria due to type 2 diabetes mellitus
	"161665007":       {record.KidneyTransplantRecipient, ""}, // History of renal transplant
	"698306007":       {record.AwaitingKidneyTransplant, ""},  // Awaiting transplantation of kidney
	// Diabetes and hypertension change numbers (the Sumida PCR-to-ACR
	// conversion). Confirmed: 73211009 Diabetes mellitus and 44054006
	// Diabetes mellitus type 2 (HL7 CRMI diabetes grouper), 46635009
	// Diabetes mellitus type 1 (NZHTS CVDRA value set), 38341003
	// Hypertensive disorder (HL7 CREDS Hypertension value set root);
	// 59621000 Essential hypertension as the shared Synthea data gives it.
	"73211009": {record.Diabetes, ""},
	"44054006": {record.Diabetes, ""},
	"46635009": {record.Diabetes, ""},
	"38341003": {record.Hypertension, ""},
	"59621000": {record.Hypertension, ""},
}

// icd10Condition maps ICD-10-CM codes (docs/fhir.md) to conditions.
func icd10Condition(code string) (conditionCode, bool) {
	c := strings.ToUpper(strings.TrimSpace(code))
	switch c {
	case "M32.14":
		return conditionCode{record.LupusNephritis, ""}, true
	case "N18.1", "N18.2", "N18.3", "N18.4", "N18.5":
		return conditionCode{record.CKD, c[4:]}, true
	case "N18.30":
		return conditionCode{record.CKD, "3"}, true
	case "N18.31":
		return conditionCode{record.CKD, "3a"}, true
	case "N18.32":
		return conditionCode{record.CKD, "3b"}, true
	case "N18.9":
		return conditionCode{record.CKD, ""}, true
	case "N18.6":
		return conditionCode{record.KidneyFailure, ""}, true
	case "Z99.2":
		return conditionCode{record.DialysisDependence, ""}, true
	}
	// ICD-10-CM E08-E13 (diabetes mellitus: due to an underlying
	// condition, drug-induced such as by glucocorticoids, type 1, type 2,
	// other specified; E12 is not used in ICD-10-CM) and I10-I15
	// (hypertensive diseases; I14 is not used).
	for _, p := range []string{"E08", "E09", "E10", "E11", "E13"} {
		if strings.HasPrefix(c, p) {
			return conditionCode{record.Diabetes, ""}, true
		}
	}
	for _, p := range []string{"I10", "I11", "I12", "I13", "I15"} {
		if strings.HasPrefix(c, p) {
			return conditionCode{record.Hypertension, ""}, true
		}
	}
	if strings.HasPrefix(c, "M32") {
		return conditionCode{record.SLE, ""}, true
	}
	return conditionCode{}, false
}

// snomedProcedures: dialysis and transplant (docs/fhir.md: 265764009 and
// 70536003 (v); 108241001, 302497006, 71192002 (check)).
var snomedProcedures = map[string]record.ReplacementKind{
	"265764009": record.Dialysis,
	"108241001": record.Dialysis,
	"302497006": record.Hemodialysis,
	"71192002":  record.PeritonealDialysis,
	"70536003":  record.KidneyTransplant,
}

// recognized are kidney-relevant codes that are deliberately not imported,
// with the reason. They are reported in the summary apart from the
// unmapped codes, so that a reader can see each was considered.
var recognized = map[string]string{
	systemSNOMED + "|711446003": "transplant care regime, not the transplant itself (70536003)",
	systemSNOMED + "|428830000": "pre-transplant evaluation: no result to record",
	systemSNOMED + "|306316000": "referral to transplant surgeon: no result to record",
	systemSNOMED + "|473231009": "renal medication review: no result to record",
	systemSNOMED + "|167271000": "urine protein test ordered: the result comes as an Observation",
}

// therapyDrug identifies a therapy by ingredient name.
type therapyDrug struct {
	class record.TherapyClass
	name  string
}

// rxnormTherapies maps RxNorm codes. The first five were seen in the shared
// Synthea data and checked against the display each carries there. The
// ingredient (TTY IN) codes below them were confirmed with the search tool
// against the CPIC drug table (github.com/cpicpgx/cpic-schema, drug.sql,
// "RxNorm:<code> <ingredient>"): azathioprine 1256, cyclophosphamide 3002,
// cyclosporine 3008, hydroxychloroquine 5521, mycophenolic acid 7145,
// rituximab 121191, tacrolimus 42316. No source reachable from the search
// tool confirmed the ingredient codes of belimumab, voclosporin,
// obinutuzumab, anifrolumab, leflunomide or the SGLT2 inhibitors, nor any
// brand-name (TTY BN) code (CellCept, Myfortic, Plaquenil, Benlysta,
// Lupkynis, Gazyva, Imuran, Prograf, Neoral, Saphnelo, Jardiance, Farxiga,
// Medrol, Rituxan): those are matched by name only (ingredientTherapies),
// on the coding display and the text, which for RxNorm clinical and branded
// drugs carry the ingredient and the brand in brackets ("... [CellCept]").
// Mizoribine is not marketed in the US and has no RxNorm code.
var rxnormTherapies = map[string]therapyDrug{
	"314076":  {record.RAASBlockade, "lisinopril"},           // lisinopril 10 MG Oral Tablet
	"833036":  {record.RAASBlockade, "captopril"},            // Captopril 25 MG Oral Tablet
	"108515":  {record.CalcineurinInhibitor, "tacrolimus"},   // 1 ML tacrolimus 5 MG/ML Injection
	"1664463": {record.CalcineurinInhibitor, "tacrolimus"},   // 24 HR tacrolimus 1 MG Extended Release Oral Tablet
	"205923":  {record.OtherTherapy, "epoetin alfa"},         // 1 ML Epoetin Alfa 4000 UNT/ML Injection [Epogen]
	"1256":    {record.Azathioprine, "azathioprine"},         // IN (CPIC)
	"3002":    {record.Cyclophosphamide, "cyclophosphamide"}, // IN (CPIC)
	"3008":    {record.CalcineurinInhibitor, "ciclosporin"},  // IN cyclosporine (CPIC)
	"5521":    {record.Hydroxychloroquine, "hydroxychloroquine"},
	"7145":    {record.Mycophenolate, "mycophenolic acid"}, // IN (CPIC)
	"121191":  {record.Rituximab, "rituximab"},             // IN (CPIC)
	"42316":   {record.CalcineurinInhibitor, "tacrolimus"}, // IN (CPIC)
}

// atcTherapies maps WHO ATC code prefixes (longest match wins). H02 is
// "corticosteroids for systemic use", so inhaled and topical steroids,
// which have other ATC groups, are not glucocorticoid therapy here.
var atcTherapies = []struct {
	prefix string
	drug   therapyDrug
}{
	{"H02AB", therapyDrug{record.Glucocorticoid, "glucocorticoid"}},
	{"L04AA06", therapyDrug{record.Mycophenolate, "mycophenolic acid"}},
	{"L01AA01", therapyDrug{record.Cyclophosphamide, "cyclophosphamide"}},
	{"L04AA26", therapyDrug{record.Belimumab, "belimumab"}},
	{"L04AG07", therapyDrug{record.Belimumab, "belimumab"}},
	{"L04AD03", therapyDrug{record.Voclosporin, "voclosporin"}},
	{"L01FA03", therapyDrug{record.Obinutuzumab, "obinutuzumab"}},
	{"L01FA01", therapyDrug{record.Rituximab, "rituximab"}},
	{"P01BA02", therapyDrug{record.Hydroxychloroquine, "hydroxychloroquine"}},
	{"C09", therapyDrug{record.RAASBlockade, "renin-angiotensin system agent"}},
	{"A10BK", therapyDrug{record.SGLT2Inhibitor, "SGLT2 inhibitor"}},
	{"L04AD02", therapyDrug{record.CalcineurinInhibitor, "tacrolimus"}},
	{"L04AD01", therapyDrug{record.CalcineurinInhibitor, "ciclosporin"}},
	{"L04AX01", therapyDrug{record.Azathioprine, "azathioprine"}},
	// WHO 2024 ATC revision, confirmed with the search tool (ATC concept
	// maps L04AA13 -> L04AK01 and L04AA51 -> L04AG11 in public FHIR
	// ConceptMaps and drug tables); the legacy codes are read too.
	{"L04AG11", therapyDrug{record.Anifrolumab, "anifrolumab"}},
	{"L04AA51", therapyDrug{record.Anifrolumab, "anifrolumab"}},
	{"L04AK01", therapyDrug{record.Leflunomide, "leflunomide"}},
	{"L04AA13", therapyDrug{record.Leflunomide, "leflunomide"}},
	{"B03XA01", therapyDrug{record.OtherTherapy, "epoetin alfa"}},
	{"B03XA02", therapyDrug{record.OtherTherapy, "darbepoetin alfa"}},
}

func atcTherapy(code string) (therapyDrug, bool) {
	code = strings.ToUpper(strings.TrimSpace(code))
	best, found := therapyDrug{}, -1
	for _, e := range atcTherapies {
		if strings.HasPrefix(code, e.prefix) && len(e.prefix) > found {
			best, found = e.drug, len(e.prefix)
		}
	}
	return best, found >= 0
}

// ingredientTherapies is the text fallback: ingredient names as RxNorm
// normal forms and most drug lists write them. Matched as whole words,
// case-insensitively, on the coding display and the text.
type ingredient struct {
	word string
	drug therapyDrug
}

var ingredientTherapies = append([]ingredient{
	{"prednisone", therapyDrug{record.Glucocorticoid, "prednisone"}},
	{"prednisolone", therapyDrug{record.Glucocorticoid, "prednisolone"}},
	{"methylprednisolone", therapyDrug{record.Glucocorticoid, "methylprednisolone"}},
	{"dexamethasone", therapyDrug{record.Glucocorticoid, "dexamethasone"}},
	{"hydrocortisone", therapyDrug{record.Glucocorticoid, "hydrocortisone"}},
	{"deflazacort", therapyDrug{record.Glucocorticoid, "deflazacort"}},
	{"mycophenolate", therapyDrug{record.Mycophenolate, "mycophenolate"}},
	{"mycophenolic", therapyDrug{record.Mycophenolate, "mycophenolic acid"}},
	{"cyclophosphamide", therapyDrug{record.Cyclophosphamide, "cyclophosphamide"}},
	{"belimumab", therapyDrug{record.Belimumab, "belimumab"}},
	{"voclosporin", therapyDrug{record.Voclosporin, "voclosporin"}},
	{"obinutuzumab", therapyDrug{record.Obinutuzumab, "obinutuzumab"}},
	{"rituximab", therapyDrug{record.Rituximab, "rituximab"}},
	{"hydroxychloroquine", therapyDrug{record.Hydroxychloroquine, "hydroxychloroquine"}},
	{"mesenchymal", therapyDrug{record.MSCInfusion, "mesenchymal stem cells"}},
	{"dapagliflozin", therapyDrug{record.SGLT2Inhibitor, "dapagliflozin"}},
	{"empagliflozin", therapyDrug{record.SGLT2Inhibitor, "empagliflozin"}},
	{"canagliflozin", therapyDrug{record.SGLT2Inhibitor, "canagliflozin"}},
	{"ertugliflozin", therapyDrug{record.SGLT2Inhibitor, "ertugliflozin"}},
	{"sotagliflozin", therapyDrug{record.SGLT2Inhibitor, "sotagliflozin"}},
	{"tacrolimus", therapyDrug{record.CalcineurinInhibitor, "tacrolimus"}},
	{"cyclosporine", therapyDrug{record.CalcineurinInhibitor, "ciclosporin"}},
	{"ciclosporin", therapyDrug{record.CalcineurinInhibitor, "ciclosporin"}},
	{"cyclosporin", therapyDrug{record.CalcineurinInhibitor, "ciclosporin"}},
	{"azathioprine", therapyDrug{record.Azathioprine, "azathioprine"}},
	{"epoetin", therapyDrug{record.OtherTherapy, "epoetin alfa"}},
	{"darbepoetin", therapyDrug{record.OtherTherapy, "darbepoetin alfa"}},
	{"anifrolumab", therapyDrug{record.Anifrolumab, "anifrolumab"}},
	{"leflunomide", therapyDrug{record.Leflunomide, "leflunomide"}},
	{"mizoribine", therapyDrug{record.Mizoribine, "mizoribine"}},
}, append(brands, raas(
	// ACE inhibitors, angiotensin receptor blockers and the renin inhibitor.
	"benazepril", "captopril", "enalapril", "fosinopril", "lisinopril", "moexipril",
	"perindopril", "quinapril", "ramipril", "trandolapril", "azilsartan", "candesartan", "eprosartan",
	"irbesartan", "losartan", "olmesartan", "telmisartan", "valsartan", "aliskiren")...)...)

// brands are brand names, matched like ingredients (whole words, any case)
// and named by their ingredient. A US RxNorm display writes the brand in
// brackets after the ingredient ("tacrolimus 1 MG Oral Capsule [Prograf]"),
// which the ingredient already matches; these catch a prescription written
// by brand alone ("CellCept 500 mg"). Brand and ingredient as in the US
// prescribing information (FDA labels) and, for Bredinin, the Japanese one.
var brands = []ingredient{
	{"cellcept", therapyDrug{record.Mycophenolate, "mycophenolate mofetil"}},
	{"myfortic", therapyDrug{record.Mycophenolate, "mycophenolic acid"}},
	{"plaquenil", therapyDrug{record.Hydroxychloroquine, "hydroxychloroquine"}},
	{"benlysta", therapyDrug{record.Belimumab, "belimumab"}},
	{"lupkynis", therapyDrug{record.Voclosporin, "voclosporin"}},
	{"gazyva", therapyDrug{record.Obinutuzumab, "obinutuzumab"}},
	{"rituxan", therapyDrug{record.Rituximab, "rituximab"}},
	{"truxima", therapyDrug{record.Rituximab, "rituximab"}},
	{"ruxience", therapyDrug{record.Rituximab, "rituximab"}},
	{"riabni", therapyDrug{record.Rituximab, "rituximab"}},
	{"imuran", therapyDrug{record.Azathioprine, "azathioprine"}},
	{"azasan", therapyDrug{record.Azathioprine, "azathioprine"}},
	{"prograf", therapyDrug{record.CalcineurinInhibitor, "tacrolimus"}},
	{"advagraf", therapyDrug{record.CalcineurinInhibitor, "tacrolimus"}},
	{"envarsus", therapyDrug{record.CalcineurinInhibitor, "tacrolimus"}},
	{"astagraf", therapyDrug{record.CalcineurinInhibitor, "tacrolimus"}},
	{"neoral", therapyDrug{record.CalcineurinInhibitor, "ciclosporin"}},
	{"sandimmune", therapyDrug{record.CalcineurinInhibitor, "ciclosporin"}},
	{"gengraf", therapyDrug{record.CalcineurinInhibitor, "ciclosporin"}},
	{"saphnelo", therapyDrug{record.Anifrolumab, "anifrolumab"}},
	{"arava", therapyDrug{record.Leflunomide, "leflunomide"}},
	{"bredinin", therapyDrug{record.Mizoribine, "mizoribine"}},
	{"jardiance", therapyDrug{record.SGLT2Inhibitor, "empagliflozin"}},
	{"farxiga", therapyDrug{record.SGLT2Inhibitor, "dapagliflozin"}},
	{"forxiga", therapyDrug{record.SGLT2Inhibitor, "dapagliflozin"}},
	{"invokana", therapyDrug{record.SGLT2Inhibitor, "canagliflozin"}},
	{"medrol", therapyDrug{record.Glucocorticoid, "methylprednisolone"}},
	{"deltasone", therapyDrug{record.Glucocorticoid, "prednisone"}},
	{"cytoxan", therapyDrug{record.Cyclophosphamide, "cyclophosphamide"}},
}

func raas(words ...string) []ingredient {
	out := make([]ingredient, len(words))
	for i, w := range words {
		out[i] = ingredient{w, therapyDrug{record.RAASBlockade, w}}
	}
	return out
}

// nonSystemic marks products whose route makes a glucocorticoid local, not
// systemic immunosuppression.
var nonSystemic = regexp.MustCompile(`(?i)\b(topical|cream|ointment|lotion|inhal\w*|nasal|ophthalmic|otic|metered dose|dry powder|rectal|enema|shampoo)\b`)

var wordRE = regexp.MustCompile(`[a-z]+`)

func textTherapy(text string) (therapyDrug, bool) {
	lt := strings.ToLower(text)
	words := map[string]bool{}
	for _, w := range wordRE.FindAllString(lt, -1) {
		words[w] = true
	}
	for _, e := range ingredientTherapies {
		if words[e.word] {
			if e.drug.class == record.Glucocorticoid && nonSystemic.MatchString(lt) {
				return therapyDrug{}, false
			}
			return e.drug, true
		}
	}
	return therapyDrug{}, false
}

// lnClassRE reads an ISN/RPS (or WHO) class from text such as "lupus
// nephritis class IV", "class III + V", "ISN/RPS class IV-G".
var lnClassRE = regexp.MustCompile(`(?i)\bclass\s+(VI|IV|V|III|II|I)\b(?:-?[SGAC/]*)?(?:\s*(?:\+|and|/|&)\s*(V)\b)?`)

// lnClass returns "IV" or "III+V" from text, or "".
func lnClass(text string) string {
	m := lnClassRE.FindStringSubmatch(text)
	if m == nil {
		return ""
	}
	c := strings.ToUpper(m[1])
	if m[2] != "" && c != "V" {
		c += "+V"
	}
	return c
}

// isKidneyBiopsy is the text fallback for kidney biopsy procedures: no
// kidney biopsy SNOMED CT code is confirmed in docs/fhir.md.
func isKidneyBiopsy(text string) bool {
	t := strings.ToLower(text)
	return strings.Contains(t, "biopsy") && (strings.Contains(t, "kidney") || strings.Contains(t, "renal"))
}

// extensionNIH is RenalWatch's own extension for the modified NIH activity
// and chronicity items of a kidney biopsy (Bajema IM et al. Kidney Int
// 2018;93:789-96): no standard code or profile carries them. Its
// sub-extensions are named as the lupus package names the items (and
// "activity_index"/"chronicity_index" for reported totals), each with a
// valueInteger.
const extensionNIH = "urn:renalwatch:nih-lupus-nephritis"

// nihItem says where a sub-extension of extensionNIH goes and its range.
func nihItem(b *record.Biopsy, key string) (field **int, max int, ok bool) {
	switch key {
	case "endocapillary_hypercellularity":
		return &b.EndocapillaryHypercellularity, 3, true
	case "neutrophils_karyorrhexis":
		return &b.Neutrophils, 3, true
	case "fibrinoid_necrosis":
		return &b.FibrinoidNecrosis, 3, true
	case "hyaline_deposits":
		return &b.HyalineDeposits, 3, true
	case "cellular_fibrocellular_crescents":
		return &b.CellularCrescents, 3, true
	case "interstitial_inflammation":
		return &b.InterstitialInflammation, 3, true
	case "glomerulosclerosis":
		return &b.GlomerularSclerosis, 3, true
	case "fibrous_crescents":
		return &b.FibrousCrescents, 3, true
	case "tubular_atrophy":
		return &b.TubularAtrophy, 3, true
	case "interstitial_fibrosis":
		return &b.InterstitialFibrosis, 3, true
	case "activity_index":
		return &b.ActivityIndex, 24, true
	case "chronicity_index":
		return &b.ChronicityIndex, 12, true
	}
	return nil, 0, false
}

const nihItemNames = "endocapillary_hypercellularity, neutrophils_karyorrhexis, fibrinoid_necrosis, hyaline_deposits, " +
	"cellular_fibrocellular_crescents, interstitial_inflammation, glomerulosclerosis, fibrous_crescents, tubular_atrophy, " +
	"interstitial_fibrosis, activity_index, chronicity_index"

// nihItems reads the extensionNIH extension of a biopsy Procedure into b.
// Item scores are whole numbers 0-3, totals 0-24 (activity) and 0-12
// (chronicity); anything else, an unknown item or an item given twice is an
// error, so that no score is guessed.
func nihItems(b *record.Biopsy, exts []extension) error {
	for _, e := range exts {
		if e.URL != extensionNIH {
			continue
		}
		for _, it := range e.Extension {
			field, hi, ok := nihItem(b, it.URL)
			if !ok {
				return fmt.Errorf("%w: %q (accepted: %s)", ErrBadBiopsyItem, it.URL, nihItemNames)
			}
			if *field != nil {
				return fmt.Errorf("%w: NIH item %s given twice", ErrImplausible, it.URL)
			}
			v := it.ValueInteger
			if v == nil {
				return fmt.Errorf("%w: valueInteger of NIH item %s", ErrMissing, it.URL)
			}
			if *v != math.Trunc(*v) || *v < 0 || *v > float64(hi) {
				return fmt.Errorf("%w: NIH item %s = %v (accepted: a whole number from 0 to %d)", ErrImplausible, it.URL, *v, hi)
			}
			n := int(*v)
			*field = &n
		}
	}
	return nil
}
