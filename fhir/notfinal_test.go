package fhir_test

import (
	"errors"
	"strings"
	"testing"

	"renalwatch/fhir"
	"renalwatch/units"
)

// TestNotFinal (trial 10 F16): an Observation with status preliminary,
// registered or unknown (FHIR R4 observation-status) is never imported;
// Skipped counts it with its status and names the first (the import
// summary's "first: Observation/k1: 6.5 mmol/L, 2025-12-06"), and a
// Reader with KeepNotFinal names each of a test RenalWatch reads in
// NotFinal, with its test, value, unit and date as sent.
func TestNotFinal(t *testing.T) {
	obs := func(id, status, loinc string) string {
		return `{"resourceType":"Observation","id":"` + id + `","status":"` + status + `","code":{"coding":[{"system":"http://loinc.org","code":"` + loinc + `"}]},` +
			`"subject":{"reference":"Patient/p"},"effectiveDateTime":"2025-12-06","valueQuantity":{"value":6.5,"unit":"mmol/L"}}` + "\n"
	}
	in := `{"resourceType":"Patient","id":"p","gender":"female","birthDate":"1970-01-01"}` + "\n" +
		obs("k1", "preliminary", "6298-4") + obs("k2", "registered", "6298-4") + obs("k3", "unknown", "6298-4") +
		obs("k4", "cancelled", "6298-4") + obs("x1", "preliminary", "0000-0")
	for _, keep := range []bool{false, true} {
		rd := fhir.Reader{Now: readNow, KeepNotFinal: keep}
		res, err := rd.Read("k.ndjson", strings.NewReader(in))
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Batch.Observations) != 0 || len(res.Rejected) != 0 {
			t.Errorf("keep %v: imported %d, rejected %d: a result that is not final is neither used nor an error", keep, len(res.Batch.Observations), len(res.Rejected))
		}
		var prelim string
		for _, s := range res.Skipped {
			if s.Reason == "status preliminary" && s.Code == "6298-4" {
				prelim = s.Example
			}
		}
		if prelim != "Observation/k1: 6.5 mmol/L, 2025-12-06" {
			t.Errorf("keep %v: Skipped names the preliminary potassium %q", keep, prelim)
		}
		if !keep {
			if len(res.NotFinal) != 0 {
				t.Errorf("NotFinal kept without KeepNotFinal: %v", res.NotFinal)
			}
			continue
		}
		var got []string
		for _, nf := range res.NotFinal {
			if nf.Analyte != units.Potassium || nf.Value != "6.5" || nf.Unit != "mmol/L" || nf.Time.Format("2006-01-02") != "2025-12-06" || !errors.Is(nf, fhir.ErrNotFinal) {
				t.Errorf("NotFinal %+v", nf)
			}
			got = append(got, nf.ID+": "+nf.Err.Error())
		}
		want := "k1: status preliminary: not used until final; k2: status registered: not used until final; k3: status unknown: not used until final"
		if s := strings.Join(got, "; "); s != want {
			t.Errorf("NotFinal\n got %s\nwant %s", s, want)
		}
	}
}
