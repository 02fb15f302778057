package assess_test

import (
	"encoding/json"
	"testing"
	"time"

	"renalwatch/assess"
	"renalwatch/record"
	"renalwatch/units"
)

// FuzzAssess builds records from arbitrary bytes (analyte, day offset,
// value, comparator; therapies; replacements) and checks that Assess never
// panics and that its output always encodes.
func FuzzAssess(f *testing.F) {
	f.Add([]byte{1, 10, 90, 0, 4, 20, 30, 0, 1, 200, 120, 1, 3, 50, 5, 0}, uint8(2), uint8(1))
	f.Add([]byte{1, 0, 0, 2, 1, 0, 255, 0, 6, 3, 3, 0, 17, 9, 40, 0, 21, 1, 140, 0}, uint8(0), uint8(0))
	f.Fuzz(fuzzOnce)
}

func fuzzOnce(t *testing.T, data []byte, sex, therapies uint8) {
	{
		p := record.Patient{ID: "f", BirthDate: time.Date(2000+int(sex%30), 1, 1, 0, 0, 0, 0, time.UTC), Sex: record.Sex(sex % 4)}
		var b record.Batch
		t0 := time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC)
		as := units.Analytes()
		for i := 0; i+3 < len(data); i += 4 {
			an := as[int(data[i])%len(as)]
			lo, hi := an.Range()
			v := lo.Value + (hi.Value-lo.Value)*float64(data[i+2])/255
			cmp := []record.Comparator{record.Exact, record.Exact, record.Exact, record.Less, record.Greater}[int(data[i+3])%5]
			b.Observations = append(b.Observations, record.Observation{ID: string(rune('a'+i%26)) + string(rune('0'+i/26%10)) + string(rune(i)), PatientID: "f", Analyte: an,
				Value: units.Q(v, an.Canonical()), Comparator: cmp, Time: t0.AddDate(0, 0, 20*int(data[i+1]))})
		}
		for i := 0; i < int(therapies%8); i++ {
			c := record.TherapyClasses()[i%len(record.TherapyClasses())]
			b.Therapies = append(b.Therapies, record.Therapy{ID: c.String(), PatientID: "f", Class: c, Start: t0.AddDate(0, 7*i, 0)})
		}
		if therapies&0x40 != 0 {
			b.Replacements = append(b.Replacements, record.Replacement{ID: "r", PatientID: "f", Kind: record.ReplacementKind(1 + therapies%4), Start: t0.AddDate(3, 0, 0)})
		}
		if therapies&0x80 != 0 {
			b.Conditions = append(b.Conditions, record.Condition{ID: "c", PatientID: "f", Kind: record.LupusNephritis, Onset: t0})
		}
		a := assess.Assess(record.NewTimeline(p, b), t0.AddDate(10, 0, 0), assess.DefaultConfig())
		if _, err := json.Marshal(a); err != nil {
			t.Fatalf("encode: %v", err)
		}
	}
}
