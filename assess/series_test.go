package assess_test

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"renalwatch/assess"
	"renalwatch/record"
	"renalwatch/units"
)

// encode writes v as report --json does (indented, HTML not escaped) and
// as json.Marshal does.
func encode(t *testing.T, v any) (indented, plain []byte) {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	plain, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes(), plain
}

// TestEGFRSeriesAssembled checks that the series an assessment holds
// (points assembled when read, issue 8 item 4) gives the same points by
// At and All, and the same JSON as the []EGFRPoint of those points, with
// each kind of point: computed, a bound (a reason with "<", which HTML
// escaping changes), with notes (with "&" and "<"), and with a same-day
// cystatin C.
func TestEGFRSeriesAssembled(t *testing.T) {
	b := newPatient(t, "series", "1990-03-04", record.Female).
		series(units.Creatinine, units.MgPerDL, "2020-01-01", 0.9, "2020-02-01", 1.1).
		obsCmp(units.Creatinine, "2020-03-01", 0.2, units.MgPerDL, record.Less).
		obs(units.Creatinine, "2020-04-01", 1.3, units.MgPerDL).
		obs(units.CystatinC, "2020-04-01", 1.2, units.MgPerL).
		obs(units.Creatinine, "2020-05-01", 1.4, units.MgPerDL)
	b.b.Observations[1].Notes = []string{"haemolysed & <late>"}
	a := assess.Assess(b.timeline(), day("2021-01-01"), assess.DefaultConfig())
	s := a.Kidney.Series
	if s.Len() != 5 {
		t.Fatalf("%d points, want 5", s.Len())
	}
	var all []assess.EGFRPoint
	for i, p := range s.All() {
		if q := s.At(i); !reflect.DeepEqual(p, q) {
			t.Errorf("All()[%d] = %+v, At(%d) = %+v", i, p, i, q)
		}
		all = append(all, p)
	}
	if all[2].Reason == "" || all[2].Value != nil || all[3].CystatinC == nil || all[0].Value == nil || all[1].Notes == nil {
		t.Errorf("points not assessed as intended: %+v", all)
	}
	gotI, gotP := encode(t, a.Kidney)
	k := a.Kidney
	k.Series = assess.EGFRSeries{}
	type kidney struct { // assess.Kidney with a materialised series
		EGFR        *assess.EGFR         `json:"egfr"`
		Series      []assess.EGFRPoint   `json:"egfr_series"`
		Stage       assess.Stage         `json:"stage"`
		Slope       *assess.Slope        `json:"slope"`
		Progression []assess.Progression `json:"progression"`
		KFRE        *assess.KFRE         `json:"kfre"`
		Replacement []assess.Replacement `json:"replacement"`
	}
	wantI, wantP := encode(t, kidney{k.EGFR, all, k.Stage, k.Slope, k.Progression, k.KFRE, k.Replacement})
	if !bytes.Equal(gotI, wantI) {
		t.Errorf("indented JSON differs from the materialised series:\n%s\nwant\n%s", gotI, wantI)
	}
	if !bytes.Equal(gotP, wantP) {
		t.Errorf("json.Marshal differs from the materialised series:\n%s\nwant\n%s", gotP, wantP)
	}
	var back assess.EGFRSeries
	if err := json.Unmarshal(mustJSON(t, s), &back); err != nil {
		t.Fatal(err)
	}
	if !back.Equal(s) || !bytes.Equal(mustJSON(t, back), mustJSON(t, s)) {
		t.Errorf("series read back from JSON differs")
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestEGFRSeriesNullAndEmpty: the zero series is null, an assessment
// without creatinine has [] (as the nil and empty []EGFRPoint were).
func TestEGFRSeriesNullAndEmpty(t *testing.T) {
	if got := string(mustJSON(t, assess.EGFRSeries{})); got != "null" {
		t.Errorf("zero series = %s, want null", got)
	}
	a := assess.Assess(newPatient(t, "none", "1990-01-01", record.Male).timeline(), day("2021-01-01"), assess.DefaultConfig())
	if got := string(mustJSON(t, a.Kidney.Series)); got != "[]" {
		t.Errorf("series without creatinine = %s, want []", got)
	}
	var s assess.EGFRSeries
	if err := json.Unmarshal([]byte("[]"), &s); err != nil || s.Len() != 0 || string(mustJSON(t, s)) != "[]" {
		t.Errorf("[] read back as %s (%v)", mustJSON(t, s), err)
	}
	if err := json.Unmarshal([]byte("null"), &s); err != nil || string(mustJSON(t, s)) != "null" {
		t.Errorf("null read back as %s (%v)", mustJSON(t, s), err)
	}
}
