package cdshooks

import (
	"fmt"
	"strings"
	"testing"

	"renalwatch/fhir"
)

// bigSearchset is a patient-view call whose observations key is a
// searchset Bundle of n creatinine Observations, each entry written with
// or without its search member (entry.search is optional in FHIR R4) and
// with sep between members (white space is valid JSON).
func bigSearchset(n int, search bool, sep string) []byte {
	var b strings.Builder
	b.WriteString(`{"hook":"patient-view","hookInstance":"d1577c69-dfbe-44ad-ba6d-3e05e953b2ea","context":{"userId":"Practitioner/1","patientId":"p"},"prefetch":{"patient":{"resourceType":"Patient","id":"p","gender":"female","birthDate":"1970-01-01"},"observations":{"resourceType":"Bundle","type":"searchset","entry":[`)
	for i := range n {
		if i > 0 {
			b.WriteString("," + sep)
		}
		fmt.Fprintf(&b, `{"fullUrl":"https://ehr.example.org/fhir/Observation/c%d",%s"resource":{"resourceType":"Observation","id":"c%d","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"2160-0"}]},"subject":{"reference":"Patient/p"},"effectiveDateTime":"2024-01-01T%02d:00:00Z","valueQuantity":{"value":1.1,"unit":"mg/dL","system":"http://unitsofmeasure.org","code":"mg/dL"}}`, i, sep, i, i%24)
		if search {
			b.WriteString(`,` + sep + `"search":{"mode":"match"}`)
		}
		b.WriteString("}")
	}
	b.WriteString(`]},"conditions":null,"medicationRequests":null,"medicationStatements":null,"procedures":null}}`)
	return []byte(b.String())
}

// TestResourceEndLinear (F14, trial 10): the guesses at each resource's
// end examine about each byte of the body once, whatever the Bundle's
// size and whether its entries carry a search member: they searched the
// rest of the body for every entry without one (quadratic: 12 s for
// 20,000 entries). Work is counted in bytes, not timed.
func TestResourceEndLinear(t *testing.T) {
	for _, n := range []int{2000, 20000} {
		for _, c := range []struct {
			name   string
			search bool
			sep    string
		}{{"search", true, ""}, {"no search", false, ""}, {"spaced", true, " "}, {"spaced no search", false, " "}} {
			t.Run(fmt.Sprintf("%d %s", n, c.name), func(t *testing.T) {
				body := bigSearchset(n, c.search, c.sep)
				sc := scanCallDec(body, true, fhir.NewEntries())
				if sc == nil || len(sc.shallow["observations"].Entry) != n {
					t.Fatal("not read")
				}
				if sc.searched > 2*len(body) {
					t.Errorf("guesses examined %d bytes of a %d-byte body (%.0f×)", sc.searched, len(body), float64(sc.searched)/float64(len(body)))
				}
			})
		}
	}
}

// BenchmarkPatientViewNoSearch: a call whose 20,000-entry searchset has
// no search members (scan linear: compare -bench with 2,000 entries).
func BenchmarkPatientViewNoSearch(b *testing.B) {
	for _, n := range []int{2000, 20000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			body := bigSearchset(n, false, "")
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				if scanCallDec(body, true, fhir.NewEntries()) == nil {
					b.Fatal("not read")
				}
			}
		})
	}
}
