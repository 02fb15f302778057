package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// inputKind is the JSON type an input of POST /api/calc/{name} takes
// (openapi.json, CalcInputs). A value of another type is refused with 400
// naming the field, what was sent and what is accepted, never coerced: a
// string where a number is expected may be a unit the user meant to give.
type inputKind int

const (
	kindString         inputKind = iota // quantities with their unit ("1.2mg/dL"), names ("female")
	kindNumber                          // a plain number (age in years, months, days, cells/hpf)
	kindNumberOrString                  // an eGFR: 42 (mL/min/1.73 m², its only unit) or "42mL/min/1.73m2"
	kindBool                            // true or false
	kindStrings                         // a list of strings (items)
)

// calcInputKinds lists the inputs of the calculators and their JSON type
// (openapi.json, CalcInput, documents the same). A name not listed is not
// checked here: the calculator refuses it by name ("not an input of egfr").
var calcInputKinds = map[string]inputKind{
	"creatinine": kindString, "cystatin": kindString, "sex": kindString, "height": kindString, "weight": kindString,
	"equation": kindString, "units": kindString, "acr": kindString, "pcr": kindString, "calcium": kindString,
	"phosphate": kindString, "bicarbonate": kindString, "albumin": kindString, "region": kindString,
	"baseline-upcr": kindString, "upcr": kindString, "rule": kindString, "baseline-creatinine": kindString,
	"sediment": kindString, "after": kindString, "to": kindString, "analyte": kindString, "quantity": kindString,
	"age": kindNumber, "months": kindNumber, "window": kindNumber, "baseline-rbc": kindNumber, "rbc": kindNumber,
	"egfr": kindNumberOrString, "baseline-egfr": kindNumberOrString,
	"black": kindBool, "diabetes": kindBool, "hypertension": kindBool, "ana-positive": kindBool, "casts": kindBool, "none": kindBool,
	"items": kindStrings,
}

// kindOf is the JSON type input name takes (a string when not listed).
func kindOf(name string) inputKind { return calcInputKinds[name] }

// checkCalcTypes refuses an input whose JSON type is not the one it takes.
// Inputs are checked in name order, so the error is the same every time.
func checkCalcTypes(params map[string]json.RawMessage) error {
	for _, k := range sortedRawKeys(params) {
		if _, known := calcInputKinds[k]; !known {
			continue // refused by name by the calculator
		}
		raw := bytes.TrimSpace(params[k])
		if !utf8.Valid(raw) {
			// encoding/json would read each bad byte as U+FFFD, and the
			// calculator would then refuse "1.2mg/dL\ufffd" as a unit it
			// does not know (trial 10 F4).
			return Errorf(KindBadRequest, k, "%s is not valid UTF-8 text: send the value as UTF-8", k)
		}
		got := sent(raw)
		var want string
		switch kindOf(k) {
		case kindNumber:
			if got.kind == "number" {
				continue
			}
			want = "a JSON number (such as 54)"
		case kindNumberOrString:
			if got.kind == "number" || got.kind == "string" {
				continue
			}
			want = "a number in mL/min/1.73 m² (such as 42) or a string with that unit (\"42mL/min/1.73m2\")"
		case kindBool:
			if got.kind == "boolean" {
				continue
			}
			want = "true or false"
		case kindStrings:
			var xs []string
			if got.kind == "list" && json.Unmarshal(raw, &xs) == nil {
				continue
			}
			want = `a list of strings (such as ["arthritis","rash"])`
		default:
			if got.kind == "string" {
				continue
			}
			want = "a JSON string (quantities carry their unit in it: \"1.2mg/dL\")"
		}
		return Errorf(KindBadRequest, k, "%s must be %s; got %s", k, want, got.text)
	}
	return nil
}

// sentValue is what the user sent for an input, by JSON type and in words
// quoting it ("the string \"54\"").
type sentValue struct{ kind, text string }

func sent(raw []byte) sentValue {
	quote := string(raw)
	if len(quote) > 40 {
		quote = quote[:37] + "..."
	}
	switch {
	case len(raw) == 0:
		return sentValue{"nothing", "nothing"}
	case raw[0] == '"':
		return sentValue{"string", "the string " + quote}
	case raw[0] == '[':
		return sentValue{"list", "the list " + quote}
	case raw[0] == '{':
		return sentValue{"object", "the object " + quote}
	case string(raw) == "true" || string(raw) == "false":
		return sentValue{"boolean", string(raw)}
	case string(raw) == "null":
		return sentValue{"null", "null"}
	}
	return sentValue{"number", "the number " + quote}
}

// formValue turns a form field's text into the JSON value the input takes:
// a number for a number input (an error when it is not one), a boolean for
// true/false, a string otherwise.
func formValue(name, v string) (json.RawMessage, error) {
	switch kindOf(name) {
	case kindNumber:
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			hint := ""
			if strings.ContainsAny(v, ",") {
				hint = "; use a decimal point"
			}
			return nil, fmt.Errorf("%q is not a number%s", v, hint)
		}
		return json.Marshal(f)
	case kindNumberOrString:
		if f, err := strconv.ParseFloat(v, 64); err == nil {
			return json.Marshal(f)
		}
	case kindBool:
		if b, err := strconv.ParseBool(v); err == nil {
			return json.Marshal(b)
		}
		return nil, fmt.Errorf("%q: choose true or false", v)
	}
	return json.Marshal(v)
}

func sortedRawKeys(m map[string]json.RawMessage) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}
