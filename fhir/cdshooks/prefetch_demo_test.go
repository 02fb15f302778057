package cdshooks

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"renalwatch/assess"
	"renalwatch/fhir"
	"renalwatch/record"
)

// TestTemplatesCoverAssessment: for every demonstration patient, the
// alerts from what the prefetch templates select equal the alerts from the
// whole Bundle: the templates ask for everything the assessment uses.
func TestTemplatesCoverAssessment(t *testing.T) {
	for _, id := range []string{"ln-class-iv-g4", "ln-complete-response", "child-ln", "dialysis", "stem-cell"} {
		raw, err := os.ReadFile(filepath.Join("..", "..", "demo", "data", id+".json"))
		if err != nil {
			t.Fatal(err)
		}
		rd := fhir.Reader{Now: asOf}
		res, err := rd.Read(id, bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		full := assess.Assess(record.NewTimeline(res.Batch.Patients[0], res.Batch), asOf, assess.DefaultConfig())

		g := &gatherer{req: &Request{Prefetch: demoPrefetch(t, id)}, pv: PatientViewContext{PatientID: id}}
		if err := g.gather(t.Context()); err != nil {
			t.Fatal(err)
		}
		res2 := rd.ReadEntries("prefetch", g.resources())
		pre := assess.Assess(record.NewTimeline(res2.Batch.Patients[0], res2.Batch), asOf, assess.DefaultConfig())
		msgs := func(a assess.Assessment) []string {
			var out []string
			for _, al := range a.Alerts {
				out = append(out, al.Code+": "+al.Message)
			}
			slices.Sort(out)
			return out
		}
		if f, p := msgs(full), msgs(pre); !slices.Equal(f, p) {
			t.Errorf("%s: alerts differ\nwhole Bundle: %q\nprefetch:     %q", id, f, p)
		}
	}
}
