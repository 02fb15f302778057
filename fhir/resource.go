package fhir

import "encoding/json"

// The FHIR R4 elements this package reads. Everything else in a resource is
// ignored.

type coding struct {
	System  string `json:"system"`
	Code    string `json:"code"`
	Display string `json:"display"`
}

type codeableConcept struct {
	Coding []coding `json:"coding"`
	Text   string   `json:"text"`
}

type reference struct {
	Reference string `json:"reference"`
}

type quantity struct {
	Value      *float64 `json:"value"`
	Comparator string   `json:"comparator"`
	Unit       string   `json:"unit"`
	System     string   `json:"system"`
	Code       string   `json:"code"`
}

// extension is a FHIR extension; RenalWatch reads only its own (the NIH
// biopsy items on a kidney biopsy Procedure).
type extension struct {
	URL          string      `json:"url"`
	ValueInteger *float64    `json:"valueInteger"`
	Extension    []extension `json:"extension"`
}

type period struct {
	Start string `json:"start"`
	End   string `json:"end"`
}

type component struct {
	Code              codeableConcept  `json:"code"`
	ValueQuantity     *quantity        `json:"valueQuantity"`
	DataAbsentReason  *codeableConcept `json:"dataAbsentReason"`
	ValueString       *string          `json:"valueString"`
	ValueCodeableConc *codeableConcept `json:"valueCodeableConcept"`
}

type resource struct {
	ResourceType string      `json:"resourceType"`
	ID           string      `json:"id"`
	Meta         *metaSource `json:"meta"`
	Extension    []extension `json:"extension"`

	// Patient
	BirthDate        string `json:"birthDate"`
	Gender           string `json:"gender"`
	DeceasedBoolean  *bool  `json:"deceasedBoolean"`
	DeceasedDateTime string `json:"deceasedDateTime"`

	// shared
	Status  string          `json:"status"`
	Code    codeableConcept `json:"code"`
	Subject reference       `json:"subject"`
	Patient reference       `json:"patient"` // some resources name the patient so

	// Observation
	EffectiveDateTime  string            `json:"effectiveDateTime"`
	EffectiveInstant   string            `json:"effectiveInstant"`
	EffectivePeriod    *period           `json:"effectivePeriod"`
	ValueQuantity      *quantity         `json:"valueQuantity"`
	ValueString        *string           `json:"valueString"`
	ValueCodeableConc  *codeableConcept  `json:"valueCodeableConcept"`
	ValueBoolean       *bool             `json:"valueBoolean"`
	ValueInteger       *float64          `json:"valueInteger"`
	DataAbsentReason   *codeableConcept  `json:"dataAbsentReason"`
	Component          []component       `json:"component"`
	ClinicalStatus     *codeableConcept  `json:"clinicalStatus"`
	VerificationStatus *codeableConcept  `json:"verificationStatus"`
	Stage              []json.RawMessage `json:"stage"`
	// Method is read only for the RenalWatch equation (SystemEquation),
	// which ReportBundle writes on each computed eGFR.
	Method *codeableConcept `json:"method"`

	// Condition
	OnsetDateTime     string  `json:"onsetDateTime"`
	OnsetPeriod       *period `json:"onsetPeriod"`
	AbatementDateTime string  `json:"abatementDateTime"`
	AbatementPeriod   *period `json:"abatementPeriod"`
	RecordedDate      string  `json:"recordedDate"`

	// Procedure
	PerformedDateTime string  `json:"performedDateTime"`
	PerformedPeriod   *period `json:"performedPeriod"`

	// Medication*
	MedicationCodeableConcept *codeableConcept  `json:"medicationCodeableConcept"`
	MedicationReference       *reference        `json:"medicationReference"`
	AuthoredOn                string            `json:"authoredOn"`
	DosageInstruction         []dosage          `json:"dosageInstruction"`
	Dosage                    json.RawMessage   `json:"dosage"` // array in MedicationStatement, object in MedicationAdministration
	DispenseRequest           *dispenseRequest  `json:"dispenseRequest"`
	Contained                 []json.RawMessage `json:"contained"`

	// Bundle
	Type  string     `json:"type"`
	Entry []entryRaw `json:"entry"`

	// entries are the Bundle's entries as decodeDoc gives them (Entry is
	// what encoding/json fills).
	entries []bundleEntry
	// typedID is ResourceType + "/" + ID when the fast decoder built it
	// (ID is then its tail: one allocation for both).
	typedID string
}

// The anonymous struct types of the elements, named by aliases so that the
// fast decoder can name them; encoding/json's messages still print them as
// anonymous structs, as before.
type (
	metaSource = struct {
		Source      string `json:"source"`
		LastUpdated string `json:"lastUpdated"`
	}
	dispenseRequest = struct {
		ValidityPeriod *period `json:"validityPeriod"`
	}
	entryRaw = struct {
		FullURL  string          `json:"fullUrl"`
		Resource json.RawMessage `json:"resource"`
	}
	timing = struct {
		Repeat *timingRepeat `json:"repeat"`
	}
	timingRepeat = struct {
		BoundsPeriod *period `json:"boundsPeriod"`
	}
	doseAndRate = struct {
		DoseQuantity *quantity `json:"doseQuantity"`
	}
)

type dosage struct {
	Text        string        `json:"text"`
	Timing      *timing       `json:"timing"`
	DoseAndRate []doseAndRate `json:"doseAndRate"`
	Dose        *quantity     `json:"dose"` // MedicationAdministration.dosage.dose
}
