package fhir_test

import (
	"errors"
	"strings"
	"testing"

	"renalwatch/fhir"
	"renalwatch/units"
)

// A Quantity whose unit and code name different units is refused, not read
// by its code (trial 3 #1: 1.5 "mg/dL" coded "mmol/L" became an eGFR of 3).
// The same unit spelled two ways is read.
func TestQuantityUnitCodeConflict(t *testing.T) {
	obs := func(id, unit, code string, v string) string {
		return `{"resourceType":"Observation","id":"` + id + `","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"2160-0"}]},` +
			`"subject":{"reference":"Patient/p"},"effectiveDateTime":"2024-01-01","valueQuantity":{"value":` + v +
			`,"unit":"` + unit + `","system":"http://unitsofmeasure.org","code":"` + code + `"}}`
	}
	in := strings.Join([]string{
		`{"resourceType":"Patient","id":"p","gender":"male","birthDate":"1960-05-05"}`,
		obs("mmol", "mg/dL", "mmol/L", "1.5"),
		obs("umol", "mg/dL", "umol/L", "106"),
		obs("same-micro", "µmol/L", "umol/L", "106"),
		obs("same-case", "MG/DL", "mg/dL", "1.2"),
		obs("annotated-code", "mg/dL", "mg/dL{creat}", "1.3"),
		obs("annotated-conflict", "mg/dL", "umol/L{creat}", "1.3"),
		obs("text-unit", "milligram per decilitre", "mg/dL", "1.4"),
	}, "\n")
	rd := fhir.Reader{Now: readNow}
	res, err := rd.Read("test.ndjson", strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	rejected := map[string]string{}
	for _, r := range res.Rejected {
		if !errors.Is(r, fhir.ErrUnitConflict) {
			t.Errorf("%s: want ErrUnitConflict, got %v", r.ID, r.Err)
		}
		rejected[r.ID] = r.Error()
	}
	for id, spellings := range map[string][]string{"mmol": {`"mg/dL"`, `"mmol/L"`}, "umol": {`"mg/dL"`, `"umol/L"`},
		"annotated-conflict": {`"mg/dL"`, `"umol/L{creat}"`}} {
		msg, ok := rejected[id]
		if !ok {
			t.Errorf("%s: not rejected", id)
			continue
		}
		for _, want := range append(spellings, "valueQuantity", "correct the unit or the code") {
			if !strings.Contains(msg, want) {
				t.Errorf("%s: rejection %q does not name %s", id, msg, want)
			}
		}
	}
	got := map[string]units.Quantity{}
	for _, o := range res.Batch.Observations {
		got[o.ID] = o.Value
	}
	want := map[string]units.Quantity{
		"Observation/same-micro":     units.Q(106/88.4, units.MgPerDL),
		"Observation/same-case":      units.Q(1.2, units.MgPerDL),
		"Observation/annotated-code": units.Q(1.3, units.MgPerDL),
		"Observation/text-unit":      units.Q(1.4, units.MgPerDL),
	}
	if len(got) != len(want) || len(rejected) != 3 {
		t.Errorf("imported %v, rejected %v; want the 4 agreeing quantities and 3 rejections", got, rejected)
	}
	for id, q := range want {
		g, ok := got[id]
		if !ok || g.Unit != q.Unit || g.Value-q.Value > 1e-9 || q.Value-g.Value > 1e-9 {
			t.Errorf("%s = %v, want %v", id, g, q)
		}
	}
}
