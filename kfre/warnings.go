package kfre

import "encoding/json"

// Warning is one caveat attached to a result.
type Warning uint8

// Warnings a result may carry.
const (
	// WarnEGFRAtLeast60: the KFRE was developed (Tangri 2011) and
	// validated (Tangri 2016) in adults with eGFR < 60 mL/min/1.73 m2.
	WarnEGFRAtLeast60 Warning = 1 << iota
	// WarnUnder18: the KFRE was developed and validated in adults.
	WarnUnder18
	// WarnBorrowedBaseline: the 6-variable model's baseline survival is
	// borrowed from the 4-variable model (kfre's choice); no published 2-
	// and 5-year values were found, so the result is lower confidence.
	WarnBorrowedBaseline
	// WarnLowPhosphate: phosphate below 2 mg/dL, given in mg/dL. Real but
	// rare; more often a value in mmol/L written with the wrong unit, which
	// the plausible range cannot catch (1.2 mg/dL is possible).
	WarnLowPhosphate
	// WarnLowCalcium: total calcium below 5 mg/dL, given in mg/dL; more often
	// a value in mmol/L written with the wrong unit.
	WarnLowCalcium
)

var warningText = map[Warning]string{
	WarnEGFRAtLeast60:    "eGFR is 60 or more: the KFRE was developed and validated in adults with eGFR below 60 mL/min/1.73 m2 (CKD G3-G5); this risk is outside its validated population",
	WarnUnder18:          "age under 18: the KFRE was developed and validated in adults; this risk is outside its validated population",
	WarnLowPhosphate:     "phosphate below 2 mg/dL: if the laboratory reported mmol/L, give the unit as mmol/L (1 mmol/L = 3.1 mg/dL); a unit mistake here changes the 8-variable risk severalfold",
	WarnLowCalcium:       "calcium below 5 mg/dL: if the laboratory reported mmol/L, give the unit as mmol/L (1 mmol/L = 4.0 mg/dL); a unit mistake here changes the 8-variable risk severalfold",
	WarnBorrowedBaseline: "6-variable model: no published 2- and 5-year baseline survival exists for it; the values used are borrowed from the 4-variable model (the kfre package's choice), so this risk is lower confidence; prefer the 4- or 8-variable result",
}

// allWarnings lists every warning in the order they are reported.
var allWarnings = [...]Warning{WarnEGFRAtLeast60, WarnUnder18, WarnBorrowedBaseline, WarnLowPhosphate, WarnLowCalcium}

// String returns the warning's text.
func (w Warning) String() string {
	if s, ok := warningText[w]; ok {
		return s
	}
	return "unknown warning"
}

// Warnings is a set of warnings. It costs no allocation to build, so an
// evaluation stays allocation-free; it marshals to a JSON array of texts.
type Warnings uint8

// Has reports whether w is in the set.
func (ws Warnings) Has(w Warning) bool { return uint8(ws)&uint8(w) != 0 }

// Strings returns the texts of the warnings in the set, never nil.
func (ws Warnings) Strings() []string {
	out := []string{}
	for _, w := range allWarnings {
		if ws.Has(w) {
			out = append(out, w.String())
		}
	}
	return out
}

// MarshalJSON writes the warnings as an array of texts ([] when none).
func (ws Warnings) MarshalJSON() ([]byte, error) { return json.Marshal(ws.Strings()) }
