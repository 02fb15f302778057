package demo

import (
	"slices"
	"testing"
	"time"

	"renalwatch/record"
)

func TestFilesMatchIDs(t *testing.T) {
	want := slices.Sorted(slices.Values(ids))
	if got := embedded(); !slices.Equal(got, want) {
		t.Errorf("embedded files %v, ids %v: keep them the same", got, want)
	}
}

// TestLoad reads every Bundle as "renalwatch demo" does and checks that it
// holds what its story needs. A clock before the last date must reject it.
func TestLoad(t *testing.T) {
	ps, err := Load(time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != len(ids) {
		t.Fatalf("loaded %d patients, want %d", len(ps), len(ids))
	}
	byID := map[string]Patient{}
	for i, p := range ps {
		if p.ID != ids[i] {
			t.Errorf("patient %d is %s, want %s", i, p.ID, ids[i])
		}
		byID[p.ID] = p
		for _, o := range p.Batch.Observations {
			if o.PatientID != p.ID {
				t.Errorf("%s: observation %s belongs to %q", p.ID, o.ID, o.PatientID)
			}
			if o.Provenance().System != "urn:renalwatch:demo" {
				t.Errorf("%s: observation %s source %q, want urn:renalwatch:demo", p.ID, o.ID, o.Provenance().System)
			}
		}
	}
	count := func(id string, c record.TherapyClass) int {
		n := 0
		for _, th := range byID[id].Batch.Therapies {
			if th.Class == c {
				n++
			}
		}
		return n
	}
	if b := byID["ln-class-iv-g4"].Batch.Biopsies; len(b) != 2 || b[0].Classes[0] != "IV" || b[0].CellularCrescents == nil || *b[0].CellularCrescents != 2 ||
		b[1].InterstitialFibrosis == nil || *b[1].InterstitialFibrosis != 2 {
		t.Errorf("ln-class-iv-g4: want two class IV biopsies with their NIH items, got %+v", b)
	}
	if b := byID["ln-complete-response"].Batch.Biopsies; len(b) != 1 || !slices.Equal(b[0].Classes, []string{"III", "V"}) {
		t.Errorf("ln-complete-response: want one class III+V biopsy, got %+v", b)
	}
	if count("ln-complete-response", record.Belimumab) != 1 || count("ln-complete-response", record.Mycophenolate) != 1 {
		t.Error("ln-complete-response: want belimumab and mycophenolate")
	}
	if count("stem-cell", record.MSCInfusion) != 1 {
		t.Error("stem-cell: want one MSC infusion")
	}
	var hd, tx int
	for _, r := range byID["dialysis"].Batch.Replacements {
		switch r.Kind {
		case record.Hemodialysis:
			hd++
		case record.KidneyTransplant:
			tx++
		}
	}
	if hd < 3 || tx != 1 {
		t.Errorf("dialysis: %d haemodialysis sessions and %d transplants, want several and one", hd, tx)
	}

	if _, err := Load(time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)); err == nil {
		t.Error("Load with a clock before the last demo date: no error, want the future dates rejected")
	}
}
