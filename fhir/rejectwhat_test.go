package fhir_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"renalwatch/units"
)

// A rejected Observation keeps what it was, as far as the reader read it
// (the CDS Hooks cards name it: trial 5 #4): the analyte of its code, its
// date, and its value and unit as sent; Reason is the sentinel in words,
// and an implausible value keeps the units.RangeError with the expected
// range.
func TestRejectionSaysWhatItWas(t *testing.T) {
	bp := `{"resourceType":"Observation","id":"bp","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"85354-9"}]},"subject":{"reference":"Patient/p1"},"effectiveDateTime":"2020-02-01",` +
		`"component":[{"code":{"coding":[{"system":"http://loinc.org","code":"8480-6"}]},"valueQuantity":{"value":999,"unit":"mm[Hg]"}}]}`
	lines := []string{
		creat("cr-106", "106"),
		strings.Replace(creat("cr-unit", "1.1"), `"unit":"mg/dL","system":"http://unitsofmeasure.org","code":"mg/dL"`, `"unit":"mg/dq"`, 1),
		`{"resourceType":"Observation","id":"no-subject","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"2160-0"}]},"effectiveDateTime":"2020-01-01","valueQuantity":{"value":1,"unit":"mg/dL"}}`,
		bp,
	}
	res := readNDJSON(t, strings.Join(lines, "\n"))
	day := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	want := []struct {
		id          string
		an          units.Analyte
		at          time.Time
		value, unit string
		reason      string
	}{
		{"cr-106", units.Creatinine, day, "106", "mg/dL", "implausible value"},
		{"cr-unit", units.Creatinine, day, "1.1", "mg/dq", "unknown unit"},
		{"no-subject", 0, time.Time{}, "", "", "missing element"},
		{"bp#8480-6", units.SystolicBP, day.AddDate(0, 1, 0), "999", "mm[Hg]", "implausible value"},
	}
	if len(res.Rejected) != len(want) {
		t.Fatalf("rejected %v; want %d", res.Rejected, len(want))
	}
	for i, w := range want {
		r := res.Rejected[i]
		if r.ID != w.id || r.Analyte != w.an || !r.Time.Equal(w.at) || r.Value != w.value || r.Unit != w.unit || r.Reason() != w.reason {
			t.Errorf("rejection %d: %s %v %v %q %q %q; want %+v", i, r.ID, r.Analyte, r.Time, r.Value, r.Unit, r.Reason(), w)
		}
	}
	re, ok := errors.AsType[*units.RangeError](res.Rejected[0].Err)
	if !ok || re.Error() != "creatinine 106 mg/dL is implausible; expected 0.1 to 30 mg/dL (did you mean 106 umol/L?)" {
		t.Errorf("the implausible creatinine does not keep its range: %v", res.Rejected[0].Err)
	}
}
