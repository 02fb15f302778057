package fhir

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"renalwatch/units"
)

// sameAsAlone reads lines as one NDJSON file and each line as a file of its
// own, and fails when an observation, a rejection or a note of the file
// differs from those of its line read alone: what a Reader remembers from
// line to line (the decoder's memos and value cache, the mapped
// quantities, the shared Sources, the last date) never changes a result.
func sameAsAlone(t *testing.T, lines []string) {
	t.Helper()
	rd := Reader{Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), System: "memo"}
	whole, err := rd.Read("memo.ndjson", strings.NewReader(strings.Join(lines, "\n")))
	if err != nil {
		t.Fatal(err)
	}
	var obs, wobs []string
	var rej, wrej []string
	for i, l := range lines {
		alone, err := rd.Read("memo.ndjson", strings.NewReader(l))
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range alone.Batch.Observations {
			o.Line = i + 1
			obs = append(obs, fmt.Sprintf("%+v %+v", o, *o.Source))
		}
		for _, r := range alone.Rejected {
			r.Line = i + 1
			rej = append(rej, r.Error())
		}
	}
	for _, o := range whole.Batch.Observations {
		wobs = append(wobs, fmt.Sprintf("%+v %+v", o, *o.Source))
	}
	for _, r := range whole.Rejected {
		wrej = append(wrej, r.Error())
	}
	if diff := cmp.Diff(obs, wobs, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("observations read in one file differ from those read alone (-alone +file):\n%s", diff)
	}
	if diff := cmp.Diff(rej, wrej, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("rejections read in one file differ from those read alone (-alone +file):\n%s", diff)
	}
}

func memoObs(id, loinc, quantity string) string {
	return `{"resourceType":"Observation","id":"` + id + `","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"` + loinc +
		`"}]},"subject":{"reference":"Patient/p"},"effectiveDateTime":"2020-01-02","valueQuantity":` + quantity + `}`
}

func memoBP(id, sys, dia string) string {
	c := func(code, q string) string {
		return `{"code":{"coding":[{"system":"http://loinc.org","code":"` + code + `"}]},"valueQuantity":` + q + `}`
	}
	return `{"resourceType":"Observation","id":"` + id + `","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"85354-9"}]},` +
		`"subject":{"reference":"Patient/p"},"effectiveDateTime":"2020-01-02","component":[` + c("8480-6", sys) + `,` + c("8462-4", dia) + `]}`
}

// TestMappingMemoExact: the same quantity for other analytes, units, codes
// and comparators, without a unit (a note), implausible, in conflicting
// units and in mL/min for an eGFR, repeated, each read as alone.
func TestMappingMemoExact(t *testing.T) {
	q := func(v, unit, code string) string {
		s := `{"value":` + v
		if unit != "" {
			s += `,"unit":"` + unit + `"`
		}
		if code != "" {
			s += `,"system":"http://unitsofmeasure.org","code":"` + code + `"`
		}
		return s + `}`
	}
	var lines []string
	for round := range 2 {
		for i, l := range []string{
			memoObs("a", "2160-0", q("0.9", "mg/dL", "mg/dL")),
			memoObs("b", "2160-0", q("0.9", "mg/dL", "mg/dL")),
			memoObs("c", "2160-0", q("0.9", "umol/L", "umol/L")),
			memoObs("d", "14682-9", q("80", "umol/L", "umol/L")),
			memoObs("e", "2160-0", q("80", "umol/L", "umol/L")),
			memoObs("f", "2160-0", q("0.9", "mg/dL", "")),
			memoObs("g", "2160-0", q("0.9", "", "mg/dL")),
			memoObs("h", "2160-0", q("0.9", "", "")),
			memoObs("i", "2160-0", q("0.9", "mg/dL", "umol/L")),
			memoObs("j", "2160-0", q("90", "mg/dL", "mg/dL")),
			memoObs("k", "2890-2", q("0.9", "mg/dL", "mg/dL")),
			memoObs("l", "2160-0", `{"value":0.9,"comparator":"<","unit":"mg/dL","system":"http://unitsofmeasure.org","code":"mg/dL"}`),
			memoObs("m", "62238-1", q("42", "mL/min", "mL/min")),
			memoObs("n", "62238-1", q("42", "mL/min/{1.73_m2}", "mL/min/{1.73_m2}")),
			memoObs("o", "2160-0", q("-0", "mg/dL", "mg/dL")),
			memoObs("p", "2160-0", q("0", "mg/dL", "mg/dL")),
			memoBP("bp1", q("120", "mmHg", "mm[Hg]"), q("80", "mmHg", "mm[Hg]")),
			memoBP("bp2", q("80", "mmHg", "mm[Hg]"), q("120", "mmHg", "mm[Hg]")),
			memoBP("bp3", q("120", "", ""), q("80", "mm[Hg]", "")),
			memoBP("bp4", q("120", "kPa", "kPa"), q("80", "mmHg", "mm[Hg]")),
		} {
			lines = append(lines, strings.Replace(l, `"id":"`, `"id":"r`+strconv.Itoa(round)+`-`+strconv.Itoa(i), 1))
		}
	}
	// Enough quantities that entries of the mapping's table are replaced
	// by others, each value in every pair of unit and code spellings (some
	// the same length), with and without a comparator, for two analytes.
	units := []string{"mg/dL", "umol/L", "mmol/L", "g/dL", "mg/g", "mg/mmol", "g/L", "mg/L"}
	for round := range 2 {
		for i, v := range []string{"0.9", "1.1", "80", "120", "3.5", "0"} {
			for j, u := range units {
				for k, c := range units {
					cmpq := ""
					if (i+j+k+round)%3 == 0 {
						cmpq = `,"comparator":"<"`
					}
					quantity := `{"value":` + v + cmpq + `,"unit":"` + u + `","code":"` + c + `"}`
					lines = append(lines, memoObs(fmt.Sprintf("g%d-%d-%d-%d", round, i, j, k), []string{"2160-0", "2890-2"}[(j+k)%2], quantity))
				}
			}
		}
	}
	sameAsAlone(t, lines)
}

// FuzzMappingMemo: two quantities of fuzzed value, units and codes, in
// observations of two analytes and a blood pressure panel, then the first
// again: each read as alone.
func FuzzMappingMemo(f *testing.F) {
	f.Add(0.9, "mg/dL", "mg/dL", 80.0, "umol/L", "umol/L", uint8(0))
	f.Add(120.0, "mmHg", "mm[Hg]", 120.0, "mm[Hg]", "", uint8(3))
	f.Fuzz(func(t *testing.T, v1 float64, u1, c1 string, v2 float64, u2, c2 string, k uint8) {
		codes := []string{"2160-0", "14682-9", "2890-2", "9318-7", "62238-1", "718-7", "2823-3", "33914-3"}
		q := func(v float64, unit, code string) string {
			var b bytes.Buffer
			b.WriteString(`{"value":` + strconv.FormatFloat(v, 'g', -1, 64))
			b.WriteString(`,"unit":` + strconv.Quote(unit) + `,"code":` + strconv.Quote(code) + `}`)
			return b.String()
		}
		if v1 != v1 || v2 != v2 || v1 > 1e300 || v1 < -1e300 || v2 > 1e300 || v2 < -1e300 {
			return // not JSON numbers
		}
		a, b := codes[int(k)%len(codes)], codes[int(k/8)%len(codes)]
		sameAsAlone(t, []string{
			memoObs("a", a, q(v1, u1, c1)), memoObs("b", b, q(v1, u1, c1)), memoObs("c", a, q(v2, u2, c2)),
			memoBP("d", q(v1, u1, c1), q(v2, u2, c2)), memoObs("e", a, q(v1, u1, c1)), memoObs("f", b, q(v2, u2, c2)),
		})
	})
}

// TestMappedQuantityExact: mappedQuantity gives what f.quantity,
// quantityUnit and the value's text give, for many quantities that share
// the memo's entries (values, units, codes, comparators and analytes
// drawn from small sets, so that every field of an entry is the only one
// that differs from another's somewhere).
func TestMappedQuantityExact(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	spellings := []string{"", "mg/dL", "umol/L", "mmol/L", "g/dL", "mg/g", "mg/mmol", "g/L", "mg/L", "abc/L", "abcd/L", "mm[Hg]", "mmHg", "kPa", "mL/min", "mL/min/{1.73_m2}"}
	comparators := []string{"", "<", "<=", ">", ">=", "~"}
	analytes := []units.Analyte{units.Creatinine, units.PCR, units.ACR, units.SystolicBP, units.EGFR, units.Hemoglobin}
	codes := []coding{{System: systemLOINC, Code: "2160-0"}, {System: systemLOINC, Code: "8480-6"}}
	memo, fresh := &file{}, &file{}
	for range 60000 {
		v := float64(r.IntN(3000)) / float64(1+r.IntN(3))
		q := &quantity{Value: &v, Comparator: comparators[r.IntN(len(comparators))],
			Unit: spellings[r.IntN(len(spellings))], Code: spellings[r.IntN(len(spellings))]}
		a, cd := analytes[r.IntN(len(analytes))], codes[r.IntN(len(codes))]
		o, unit, text, err := memo.mappedQuantity(a, cd, q)
		wo, werr := fresh.quantity(a, cd, q)
		var wunit, wtext string
		if werr == nil {
			wunit, wtext = quantityUnit(q), fresh.values.text(q)
		}
		if fmt.Sprint(err) != fmt.Sprint(werr) || !cmp.Equal(o, wo) || unit != wunit || text != wtext {
			t.Fatalf("%v %+v (%v): mapped %+v %q %q %v; want %+v %q %q %v", a, *q, v, o, unit, text, err, wo, wunit, wtext, werr)
		}
	}
}
