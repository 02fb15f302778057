package csvio

import (
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestSplitterMapRecordsEqualRead: a file split into records (Splitter)
// and mapped (MapRecords) gives the items and rejections, with their
// lines, that ReadChunks gives for it: the two are one reading in two
// steps.
func TestSplitterMapRecordsEqualRead(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, in := range []string{
		"\ufeffpatient_id,time,analyte,value,unit,id\n" +
			"p1,2025-01-01,creatinine,1.4,mg/dL,o1\n" +
			"\n" +
			"p1, 2025-02-01 ,creatinine,\"1.5\",mg/dL,\n" +
			"p2,2025-02-01,creatinine,\"1\n.5\",mg/dL,\n" +
			"p2,2025-03-01,creatinine,1.5,mg/dL\n" +
			"p2,2025-03-01,creatinine,<0.2,furlongs,\n" +
			"p3,2025-04-01,acr,30,mg/g,\"x\"y\"\n" +
			"p3,2025-05-01,pcr,0.5,g/g,o9\r\n",
		"patient_id;therapy;start;end;dose\np1;CellCept;2024-03-01;;\"1 g; twice daily\"\np1;nothing;2024-03-01;;\n",
		"patient_id,birth_date,sex\np1,1980-05,female\np2,1890-01-01,male\np3,,x\n",
	} {
		rd := Reader{Now: now}
		want, err := rd.Read("f.csv", strings.NewReader(in))
		if err != nil {
			t.Fatal(err)
		}
		sp, err := NewSplitter("f.csv", strings.NewReader(in))
		if err != nil {
			t.Fatal(err)
		}
		type rec struct {
			line int
			rec  string
		}
		var recs []rec
		var rejected []Rejection
		for {
			line, _, r, err := sp.Next()
			if err == io.EOF {
				break
			}
			var rj Rejection
			if errors.As(err, &rj) {
				rejected = append(rejected, rj)
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			recs = append(recs, rec{line, string(r)})
		}
		got := rd.MapRecords(sp.Header(), "f.csv", func(yield func(int, []byte) bool) {
			for _, r := range recs {
				if !yield(r.line, []byte(r.rec)) {
					return
				}
			}
		})
		got.Read += len(rejected)
		got.Rejected = append(rejected, got.Rejected...)
		byLine := func(rs []Rejection) map[int]string {
			m := map[int]string{}
			for _, r := range rs {
				m[r.Line] = r.Error()
			}
			return m
		}
		if !reflect.DeepEqual(got.Batch, want.Batch) || got.Read != want.Read || got.Kind != want.Kind ||
			!reflect.DeepEqual(byLine(got.Rejected), byLine(want.Rejected)) || len(got.Rejected) != len(want.Rejected) {
			t.Errorf("%.40q:\nsplit and mapped: %+v\nread: %+v", in, got, want)
		}
		if len(want.Rejected) == 0 || want.Batch.Len() == 0 {
			t.Errorf("%.40q: %d rejected, %d items: the case tests less than it should", in, len(want.Rejected), want.Batch.Len())
		}
	}
}
