package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Trial #12: the counts synth prints (text and --json) are those of the
// files it wrote: each file's records are its lines (less a CSV header),
// counted here from the files; patients and observations are the records
// of the patient and observation files; bytes are the files' uncompressed
// sizes.
func TestSynthSummaryMatchesFiles(t *testing.T) {
	for _, tc := range []struct {
		args             []string
		patients, obsCSV string
	}{
		{[]string{"--patients", "70", "--seed", "5"}, "Patient.ndjson", "Observation.ndjson"},
		{[]string{"--patients", "70", "--seed", "5", "--format", "csv"}, "patients.csv", "observations.csv"},
		{[]string{"--patients", "3", "--seed", "8", "--format", "csv", "--gzip"}, "patients.csv", "observations.csv"},
	} {
		dir := filepath.Join(t.TempDir(), "c")
		code, out, errs := runCmd(t, append([]string{"synth", "--out", dir, "--json"}, tc.args...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", tc.args, code, errs)
		}
		var sum synthSummary
		if err := json.Unmarshal([]byte(out), &sum); err != nil {
			t.Fatal(err)
		}
		if len(sum.Records) != len(sum.Files) {
			t.Fatalf("%v: %d record counts for %d files", tc.args, len(sum.Records), len(sum.Files))
		}
		var size int64
		counted := map[string]int{}
		for i, r := range sum.Records {
			if r.File != sum.Files[i] {
				t.Errorf("records[%d] is %s, files[%d] %s", i, r.File, i, sum.Files[i])
			}
			var b []byte
			if strings.HasSuffix(r.File, ".gz") {
				b = gunzipFile(t, r.File)
			} else {
				var err error
				if b, err = os.ReadFile(r.File); err != nil {
					t.Fatal(err)
				}
			}
			size += int64(len(b))
			n := bytes.Count(b, []byte{'\n'})
			if strings.Contains(r.File, ".csv") {
				n--
			}
			name := strings.TrimSuffix(filepath.Base(r.File), ".gz")
			counted[name] = n
			if r.Records != n {
				t.Errorf("%v: %s holds %d records, summary says %d", tc.args, name, n, r.Records)
			}
		}
		if sum.Patients != counted[tc.patients] || sum.Patients != counted["truth.ndjson"] {
			t.Errorf("%v: patients %d; %s holds %d, truth.ndjson %d", tc.args, sum.Patients, tc.patients, counted[tc.patients], counted["truth.ndjson"])
		}
		if sum.Observations != counted[tc.obsCSV] {
			t.Errorf("%v: observations %d; %s holds %d", tc.args, sum.Observations, tc.obsCSV, counted[tc.obsCSV])
		}
		if sum.Bytes != size {
			t.Errorf("%v: bytes %d; the files hold %d uncompressed", tc.args, sum.Bytes, size)
		}
		// The text summary prints the same counts.
		dir2 := filepath.Join(t.TempDir(), "c")
		_, text, _ := runCmd(t, append([]string{"synth", "--out", dir2}, tc.args...)...)
		for _, r := range sum.Records {
			name := filepath.Join(dir2, filepath.Base(r.File))
			if !strings.Contains(text, name) || !strings.Contains(text, fmt.Sprintf(" %d ", r.Records)) {
				t.Errorf("%v: text summary lacks %s with %d:\n%s", tc.args, name, r.Records, text)
			}
		}
	}
}
