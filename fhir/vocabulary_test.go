package fhir_test

import (
	"fmt"
	"strings"
	"testing"

	"renalwatch/fhir"
	"renalwatch/record"
)

// Issue 7 item 1: therapies a nephrologist recognises. Each prescription
// below is one MedicationRequest; brand-only text (CellCept 500 mg) must map
// like the ingredient, RxNorm ingredient codes confirmed against the CPIC
// drug table map by code alone, and the new classes replace "other".
func TestTherapyVocabulary(t *testing.T) {
	rows := []struct {
		system, code, text string
		class              record.TherapyClass
		name               string
	}{
		// Brand names alone (FDA labels: brand (ingredient)).
		{"", "", "CellCept 500 mg tablet", record.Mycophenolate, "mycophenolate mofetil"},
		{"", "", "Myfortic 360 MG Delayed Release Tablet", record.Mycophenolate, "mycophenolic acid"},
		{"", "", "Plaquenil 200 mg", record.Hydroxychloroquine, "hydroxychloroquine"},
		{"", "", "Benlysta 400 MG Injection", record.Belimumab, "belimumab"},
		{"", "", "Lupkynis 7.9 MG Oral Capsule", record.Voclosporin, "voclosporin"},
		{"", "", "Gazyva 1000 MG Injection", record.Obinutuzumab, "obinutuzumab"},
		{"", "", "Imuran 50 MG Oral Tablet", record.Azathioprine, "azathioprine"},
		{"", "", "Prograf 1 MG Oral Capsule", record.CalcineurinInhibitor, "tacrolimus"},
		{"", "", "Neoral 100 MG Oral Capsule", record.CalcineurinInhibitor, "ciclosporin"},
		{"", "", "Saphnelo 300 MG Injection", record.Anifrolumab, "anifrolumab"},
		{"", "", "Jardiance 10 MG Oral Tablet", record.SGLT2Inhibitor, "empagliflozin"},
		{"", "", "Farxiga 10 MG Oral Tablet", record.SGLT2Inhibitor, "dapagliflozin"},
		{"", "", "Medrol 4 MG Oral Tablet", record.Glucocorticoid, "methylprednisolone"},
		{"", "", "Rituxan 500 MG Injection", record.Rituximab, "rituximab"},
		{"", "", "Arava 20 mg", record.Leflunomide, "leflunomide"},
		// Generic names that were "other" or not imported.
		{"", "", "azathioprine 50 MG Oral Tablet", record.Azathioprine, "azathioprine"},
		{"", "", "cyclosporine 100 MG Oral Capsule", record.CalcineurinInhibitor, "ciclosporin"},
		{"", "", "leflunomide 20 MG Oral Tablet", record.Leflunomide, "leflunomide"},
		{"", "", "mizoribine 50 mg", record.Mizoribine, "mizoribine"},
		// RxNorm ingredient codes (CPIC drug table), no display.
		{"http://www.nlm.nih.gov/research/umls/rxnorm", "1256", "", record.Azathioprine, "azathioprine"},
		{"http://www.nlm.nih.gov/research/umls/rxnorm", "42316", "", record.CalcineurinInhibitor, "tacrolimus"},
		{"http://www.nlm.nih.gov/research/umls/rxnorm", "3008", "", record.CalcineurinInhibitor, "ciclosporin"},
		{"http://www.nlm.nih.gov/research/umls/rxnorm", "7145", "", record.Mycophenolate, "mycophenolic acid"},
		{"http://www.nlm.nih.gov/research/umls/rxnorm", "5521", "", record.Hydroxychloroquine, "hydroxychloroquine"},
		{"http://www.nlm.nih.gov/research/umls/rxnorm", "121191", "", record.Rituximab, "rituximab"},
		// Synthea's tacrolimus product codes (shared data).
		{"http://www.nlm.nih.gov/research/umls/rxnorm", "1664463", "", record.CalcineurinInhibitor, "tacrolimus"},
		// ATC (WHO): azathioprine L04AX01, tacrolimus L04AD02.
		{"http://www.whocc.no/atc", "L04AX01", "", record.Azathioprine, "azathioprine"},
		{"http://www.whocc.no/atc", "L04AD02", "", record.CalcineurinInhibitor, "tacrolimus"},
		{"http://www.whocc.no/atc", "L04AG11", "", record.Anifrolumab, "anifrolumab"},
		{"http://www.whocc.no/atc", "L04AK01", "", record.Leflunomide, "leflunomide"},
		{"http://www.whocc.no/atc", "L04AA13", "", record.Leflunomide, "leflunomide"},
	}
	var b strings.Builder
	b.WriteString(`{"resourceType":"Patient","id":"p1","gender":"female","birthDate":"1990-01-01"}` + "\n")
	for i, r := range rows {
		coding := ""
		if r.system != "" {
			coding = fmt.Sprintf(`"coding":[{"system":%q,"code":%q}],`, r.system, r.code)
		}
		fmt.Fprintf(&b, `{"resourceType":"MedicationRequest","id":"m%d","status":"active","intent":"order","subject":{"reference":"Patient/p1"},"authoredOn":"2024-01-%02d","medicationCodeableConcept":{%s"text":%q}}`+"\n",
			i, i%28+1, coding, r.text)
	}
	rd := fhir.Reader{Now: readNow, System: "test"}
	res, err := rd.Read("vocabulary.ndjson", strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]record.Therapy{}
	for _, th := range res.Batch.Therapies {
		got[th.Provenance.ResourceID] = th
	}
	for i, r := range rows {
		th, ok := got[fmt.Sprintf("m%d", i)]
		if !ok {
			t.Errorf("%s %s %q: not imported (rejected %v)", r.system, r.code, r.text, res.Rejected)
			continue
		}
		if th.Class != r.class || th.Name != r.name {
			t.Errorf("%s %s %q: %s %q, want %s %q", r.system, r.code, r.text, th.Class, th.Name, r.class, r.name)
		}
	}
}
