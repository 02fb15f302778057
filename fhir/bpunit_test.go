package fhir_test

import (
	"errors"
	"strings"
	"testing"

	"renalwatch/fhir"
	"renalwatch/units"
)

// TestBPUnitFromLOINC is the regression test of issue 7 item 14: Synthea
// writes blood pressure components with a UCUM system and no unit or code.
// LOINC 8480-6 and 8462-4 are defined in mm[Hg] (FHIR R4 vital signs
// profile: component valueQuantity code mm[Hg]), so those two codes, and
// only those, are stored in mm[Hg] with a note that the unit came from the
// LOINC definition. Every other analyte without a unit is still rejected.
func TestBPUnitFromLOINC(t *testing.T) {
	const doc = `{"resourceType":"Patient","id":"p1","gender":"female","birthDate":"1970-01-01"}
{"resourceType":"Observation","id":"bp1","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"55284-4"}]},"subject":{"reference":"Patient/p1"},"effectiveDateTime":"2019-06-23T02:43:19+00:00","component":[{"code":{"coding":[{"system":"http://loinc.org","code":"8462-4"}]},"valueQuantity":{"value":74.84257431892625,"system":"http://unitsofmeasure.org"}},{"code":{"coding":[{"system":"http://loinc.org","code":"8480-6"}]},"valueQuantity":{"value":126.7534862253238,"system":"http://unitsofmeasure.org"}}]}
{"resourceType":"Observation","id":"sbp","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"8480-6"}]},"subject":{"reference":"Patient/p1"},"effectiveDateTime":"2019-07-01","valueQuantity":{"value":131}}
{"resourceType":"Observation","id":"bp-kpa","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"8480-6"}]},"subject":{"reference":"Patient/p1"},"effectiveDateTime":"2019-07-02","valueQuantity":{"value":16.5,"system":"http://unitsofmeasure.org"}}
{"resourceType":"Observation","id":"cr","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"2160-0"}]},"subject":{"reference":"Patient/p1"},"effectiveDateTime":"2019-07-01","valueQuantity":{"value":1.2,"system":"http://unitsofmeasure.org"}}
{"resourceType":"Observation","id":"hb","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"718-7"}]},"subject":{"reference":"Patient/p1"},"effectiveDateTime":"2019-07-01","valueQuantity":{"value":12.1}}
`
	rd := fhir.Reader{Now: readNow}
	res, err := rd.Read("bp.ndjson", strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{"Observation/bp1#8462-4": 74.84257431892625, "Observation/bp1#8480-6": 126.7534862253238, "Observation/sbp": 131}
	for _, o := range res.Batch.Observations {
		v, ok := want[o.ID]
		if !ok {
			t.Errorf("unexpected observation %s imported: %+v", o.ID, o.Value)
			continue
		}
		delete(want, o.ID)
		if o.Value != units.Q(v, units.MmHg) {
			t.Errorf("%s = %v; want %v mm[Hg]", o.ID, o.Value, v)
		}
		if len(o.Notes) != 1 || !strings.HasPrefix(o.Notes[0], fhir.UnitFromLOINC) {
			t.Errorf("%s notes %q; want one starting %q", o.ID, o.Notes, fhir.UnitFromLOINC)
		}
		if o.Provenance().Unit != "" {
			t.Errorf("%s provenance unit %q; want the source's (none)", o.ID, o.Provenance().Unit)
		}
	}
	if len(want) != 0 {
		t.Errorf("not imported: %v", want)
	}
	n := 0
	for _, c := range res.Notes {
		if strings.HasPrefix(c.Reason, fhir.UnitFromLOINC) {
			n += c.Count
		}
	}
	if n != 3 {
		t.Errorf("notes with %q count %d; want 3: %+v", fhir.UnitFromLOINC, n, res.Notes)
	}
	rejected := map[string]error{}
	for _, r := range res.Rejected {
		rejected[r.ID] = r.Err
	}
	// 16.5 is a plausible systolic pressure in kPa, not in mm[Hg] (40-300):
	// the LOINC unit makes it implausible, so it is rejected, not stored.
	for id, wantErr := range map[string]error{"bp-kpa": fhir.ErrImplausible, "cr": fhir.ErrMissingUnit, "hb": fhir.ErrMissingUnit} {
		if !errors.Is(rejected[id], wantErr) {
			t.Errorf("%s: rejection %v; want %v", id, rejected[id], wantErr)
		}
	}
	if len(res.Rejected) != 3 {
		t.Errorf("rejected %d; want 3: %v", len(res.Rejected), res.Rejected)
	}
}
