package cohort

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"renalwatch/assess"
)

// TestNeedleIndex: needle.index finds what bytes.Index finds.
func TestNeedleIndex(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	alphabet := []byte(`"subjectrfnaipdT:{} `)
	for _, n := range []needle{keyResourceType, keyID, keySubject, keyPatient, keyReference} {
		for range 20000 {
			s := make([]byte, r.IntN(40))
			for i := range s {
				s[i] = alphabet[r.IntN(len(alphabet))]
			}
			if r.IntN(3) == 0 { // plant the needle, whole or cut
				at := r.IntN(len(s) + 1)
				k := n.s[:r.IntN(len(n.s)+1)]
				s = append(s[:at:at], append([]byte(k), s[at:]...)...)
			}
			if got, want := n.index(s), bytes.Index(s, []byte(n.s)); got != want {
				t.Fatalf("%s in %q: %d, bytes.Index %d", n.s, s, got, want)
			}
		}
	}
}

// runBoth runs the cohort over dir on the index path (with a scan chunk
// of chunk bytes, mapped a third of that past its end, so that lines go
// past the mapping) and on the partition path (memory budget mem), and
// fails unless the output bytes, the problems and the counts are the same.
// With more than one bucket, the index path must read some patient by
// patient (the spoilt lines send the buckets they fall in to the whole
// bucket reading).
func runBoth(t *testing.T, dir string, chunk int64, mem int64, strict bool) {
	t.Helper()
	type outcome struct {
		out      []byte
		problems []string
		st       Stats
		err      error
	}
	run := func(noIndex bool) outcome {
		var mu sync.Mutex
		var o outcome
		out := filepath.Join(t.TempDir(), "rows.csv")
		day := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		opt := Options{Inputs: []string{dir}, Out: out, Format: CSV{}, Day: day, Now: day, Config: assess.DefaultConfig(),
			Workers: 2, Memory: mem, Strict: strict, noIndex: noIndex, scanChunk: chunk, scanSlack: chunk / 3,
			Problem: func(p Problem) {
				mu.Lock()
				defer mu.Unlock()
				o.problems = append(o.problems, p.Error())
			}}
		_, o.st, o.err = Run(context.Background(), opt)
		o.out, _ = os.ReadFile(out)
		slices.Sort(o.problems)
		return o
	}
	x, p := run(false), run(true)
	t.Logf("chunk %d, memory %d: %d buckets, %d read by patient; %d problems", chunk, mem, x.st.Buckets, x.st.byPatient, len(x.problems))
	if (x.err == nil) != (p.err == nil) || x.err != nil && x.err.Error() != p.err.Error() && !strict {
		t.Fatalf("index path: %v; partition path: %v", x.err, p.err)
	}
	if !bytes.Equal(x.out, p.out) {
		t.Errorf("chunk %d, memory %d: the index path wrote %d bytes, the partition path %d; they differ", chunk, mem, len(x.out), len(p.out))
	}
	if strict {
		return // which problem stops the run first depends on the workers
	}
	if !slices.Equal(x.problems, p.problems) {
		t.Errorf("problems differ:\nindex:     %q\npartition: %q", x.problems, p.problems)
	}
	if x.st.byPatient == 0 && x.st.Buckets > 1 || p.st.byPatient != 0 || x.st.Spilled || p.st.Spilled != (mem < 8<<20) {
		t.Errorf("index path: %d buckets read by patient, spilled %v; partition path: %d, spilled %v", x.st.byPatient, x.st.Spilled, p.st.byPatient, p.st.Spilled)
	}
	x.st.Spilled, p.st.Spilled = false, false
	x.st.byPatient, p.st.byPatient = 0, 0
	if x.st != p.st {
		t.Errorf("counts differ: index %+v, partition %+v", x.st, p.st)
	}
}

// TestIndexEqualsPartition: the index path (uncompressed files) writes the
// same bytes, and reports the same problems with the same file and line,
// as the partition path, whatever the order of the lines (patients
// interleaved), the scan's byte ranges (cut mid-line), blank and CRLF
// lines, a last line without newline, malformed lines, lines whose patient
// cannot be read from the raw line, Bundles and Medications, resourceType
// given twice (and a contained resource with its own), a patient
// without Patient resource, and repeated observations.
func TestIndexEqualsPartition(t *testing.T) {
	dir, _ := writeCohort(t, 40, 7)
	for _, chunk := range []int64{0, 4096, 333} {
		for _, mem := range []int64{512 << 20, 2 << 20} {
			runBoth(t, dir, chunk, mem, false)
		}
	}

	// The same files shuffled and spoilt.
	r := rand.New(rand.NewPCG(3, 4))
	obs := filepath.Join(dir, "Observation.ndjson")
	data, err := os.ReadFile(obs)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(strings.TrimSuffix(string(data), "\n"), "\n")
	for i := range lines {
		lines[i] = strings.TrimSuffix(lines[i], "\n")
	}
	// Interleave the patients: shuffle a third of the lines among
	// themselves (the rest keeps runs of one patient).
	for i := range len(lines) / 3 {
		j := r.IntN(len(lines))
		lines[i*3], lines[j] = lines[j], lines[i*3]
	}
	var extra []string
	extra = append(extra,
		`not json at all`,
		`{"resourceType":"Observation","id":"cut`,
		"   ",
		"",
		lines[5], // the same observation again (a duplicate under the same id)
		strings.Replace(lines[6], `"id":"`, `"id":"dup-`, 1),         // the same measurement under another id
		strings.Replace(lines[7], `"value":`, `"value":1e3,"x":`, 1), // same id, other content? (a second value key)
		`{"resourceType":"Observation","id":"orph","status":"final","subject":{"reference":"Patient/nobody"},"code":{"coding":[{"system":"http://loinc.org","code":"2160-0"}]},"effectiveDateTime":"2020-01-01","valueQuantity":{"value":1,"unit":"mg/dL","code":"mg/dL","system":"http://unitsofmeasure.org"}}`,
		`{"resourceType":"Observation","id":"esc","status":"final","subject":{"reference":"Patient/syn7\u002d3"},"code":{"coding":[{"system":"http://loinc.org","code":"2160-0"}]},"effectiveDateTime":"2020-01-02","valueQuantity":{"value":1.1,"unit":"mg/dL","code":"mg/dL","system":"http://unitsofmeasure.org"}}`,
		`{"resourceType":"Medication","id":"m1","code":{"text":"mycophenolate"}}`,
		`{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Observation","id":"b1","status":"final","subject":{"reference":"Patient/syn7-4"},"code":{"coding":[{"system":"http://loinc.org","code":"2160-0"}]},"effectiveDateTime":"2020-01-03","valueQuantity":{"value":1.2,"unit":"mg/dL","code":"mg/dL","system":"http://unitsofmeasure.org"}}}]}`,
		` {"resourceType":"Observation","id":"sp","status":"final","subject":{"reference":"Patient/syn7-5"},"code":{"coding":[{"system":"http://loinc.org","code":"2160-0"}]},"effectiveDateTime":"2020-01-04","valueQuantity":{"value":1.3,"unit":"mg/dL","code":"mg/dL","system":"http://unitsofmeasure.org"}} `,
		`{"status":"final","resourceType":"Observation","id":"late","subject":{"reference":"Patient/syn7-6"},"code":{"coding":[{"system":"http://loinc.org","code":"2160-0"}]},"effectiveDateTime":"2020-01-05","valueQuantity":{"value":1.4,"unit":"mg/dL","code":"mg/dL","system":"http://unitsofmeasure.org"}}`,
		`{"resourceType":"Observation","id":"two","status":"final","subject":{"reference":"Patient/syn7-9"},"code":{"coding":[{"system":"http://loinc.org","code":"2160-0"}]},"effectiveDateTime":"2020-01-06","valueQuantity":{"value":1.5,"unit":"mg/dL","code":"mg/dL","system":"http://unitsofmeasure.org"},"resourceType":"Medication"}`,
		`{"resourceType":"MedicationRequest","id":"mr","status":"active","intent":"order","contained":[{"resourceType":"Medication","id":"m9","code":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"68149"}]}}],"medicationReference":{"reference":"#m9"},"subject":{"reference":"Patient/syn7-10"},"authoredOn":"2020-01-07"}`,
		`{"resourceType":"Observation","id":"fut","status":"final","subject":{"reference":"Patient/syn7-8"},"code":{"coding":[{"system":"http://loinc.org","code":"2160-0"}]},"effectiveDateTime":"2099-01-05","valueQuantity":{"value":1.4,"unit":"mg/dL","code":"mg/dL","system":"http://unitsofmeasure.org"}}`,
	)
	for _, e := range extra {
		at := r.IntN(len(lines) + 1)
		lines = slices.Insert(lines, at, e)
	}
	var b strings.Builder
	for i, l := range lines {
		b.WriteString(l)
		switch {
		case i == len(lines)-1: // no newline at the end
		case i%17 == 0:
			b.WriteString("\r\n")
		default:
			b.WriteString("\n")
		}
	}
	if err := os.WriteFile(obs, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, chunk := range []int64{0, 4096, 333} {
		for _, mem := range []int64{512 << 20, 2 << 20} {
			t.Run(fmt.Sprintf("spoilt-%d-%d", chunk, mem), func(t *testing.T) {
				runBoth(t, dir, chunk, mem, false)
			})
		}
	}
	runBoth(t, dir, 4096, 512<<20, true)
}

// TestTypeTwiceReadsWhole: a line giving resourceType twice, which the
// scan does not look for, sends its bucket to be read whole once the
// decoder finds it (fhir.Session.TypeTwice), with the same bytes and
// problems as the partition path.
func TestTypeTwiceReadsWhole(t *testing.T) {
	dir, _ := writeCohort(t, 40, 7)
	f, err := os.OpenFile(filepath.Join(dir, "Observation.ndjson"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.WriteString(`{"resourceType":"Observation","id":"two","status":"final","subject":{"reference":"Patient/syn7-9"},"code":{"coding":[{"system":"http://loinc.org","code":"2160-0"}]},"effectiveDateTime":"2020-01-06","valueQuantity":{"value":1.5,"unit":"mg/dL","code":"mg/dL","system":"http://unitsofmeasure.org"},"resourceType":"Medication"}` + "\n")
	if err := errors.Join(err, f.Close()); err != nil {
		t.Fatal(err)
	}
	runBoth(t, dir, 0, 512<<20, false)
}

// TestGzipTakesPartition: gzip input is read by the partition path (it
// cannot be read at an offset) and gives the same rows as the index path
// gives for the same files uncompressed (in another order: the bucket
// count follows the estimated input size).
func TestGzipTakesPartition(t *testing.T) {
	dir, _ := writeCohort(t, 20, 9)
	gzDir := t.TempDir()
	names, _ := filepath.Glob(filepath.Join(dir, "*.ndjson"))
	for _, n := range names {
		data, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		zw.Write(data)
		zw.Close()
		if err := os.WriteFile(filepath.Join(gzDir, filepath.Base(n)+".gz"), b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	rows := func(d string) ([]string, Stats) {
		out := filepath.Join(t.TempDir(), "rows.csv")
		day := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		_, st, err := Run(context.Background(), Options{Inputs: []string{d}, Out: out, Format: CSV{}, Day: day, Now: day,
			Config: assess.DefaultConfig(), Workers: 2, Memory: 1 << 20})
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		l := strings.Split(string(b), "\n")
		slices.Sort(l)
		return l, st
	}
	plain, pst := rows(dir)
	gz, gst := rows(gzDir)
	if pst.byPatient == 0 || gst.byPatient != 0 || !gst.Spilled || len(plain) < 21 {
		t.Errorf("plain: %+v; gzip: %+v", pst, gst)
	}
	if !slices.Equal(plain, gz) {
		t.Error("gzip input gives other rows than the same files uncompressed")
	}
}

// TestValueKeyShort: the fast path of valueKey gives what strconv gives.
func TestValueKeyShort(t *testing.T) {
	slow := func(v float64) float64 {
		k, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 10, 64), 64)
		return k
	}
	r := rand.New(rand.NewPCG(5, 6))
	var hits int
	check := func(v float64) {
		if got, want := valueKey(v), slow(v); got != want {
			t.Fatalf("valueKey(%v) = %v, strconv %v", v, got, want)
		}
		if short(v) {
			hits++
		}
	}
	for _, v := range []float64{0.9, 1.23, 120, math.Nextafter(0.3, 1) /* 0.1 + 0.2 at run time; the constant is 0.3 */, 1.0 / 3, 2.675, 99999.99999, 1234567890, 9999999999, 0.00001234,
		4.35e-5, 1e-5, 123.456789012, 7.000000001, 8.0000000001} {
		check(v)
		check(-v)
	}
	for range 200000 {
		k := r.IntN(12)
		m := r.Int64N(int64(math.Pow10(r.IntN(12) + 1)))
		check(float64(m) / math.Pow10(k))  // decimals of up to 12 digits
		check(float64(m) * math.Pow10(-k)) // the same by another rounding
		check(r.Float64() * math.Pow10(r.IntN(20)-8))
	}
	if hits < 100000 {
		t.Errorf("the fast path took %d values", hits)
	}
}

// TestScanFileShrinks: a file cut shorter after the inputs were listed
// makes the scan fail with an error (on Linux the scan maps the file, and
// reading past its new end faults), not crash.
func TestScanFileShrinks(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the scan maps files on Linux only")
	}
	name := filepath.Join(t.TempDir(), "Observation.ndjson")
	line := `{"resourceType":"Observation","subject":{"reference":"Patient/p"}}` + "\n"
	if err := os.WriteFile(name, bytes.Repeat([]byte(line), 100000), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	if err := os.Truncate(name, 100); err != nil {
		t.Fatal(err)
	}
	task := &scanTask{start: 0, end: st.Size()}
	err = task.scan(context.Background(), f, st.Size(), scanSlack, 4)
	if err == nil {
		t.Fatalf("no error; %d runs", len(task.runs))
	}
	t.Log(err)
}

// TestIndexTooBig: an index that would take more than a quarter of
// --memory (patients interleaved line by line, a small budget) gives way
// to the partition path, with the same rows.
func TestIndexTooBig(t *testing.T) {
	dir, _ := writeCohort(t, 10, 3)
	obs := filepath.Join(dir, "Observation.ndjson")
	data, err := os.ReadFile(obs)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(data), "\n")
	rand.New(rand.NewPCG(7, 8)).Shuffle(len(lines), func(i, j int) { lines[i], lines[j] = lines[j], lines[i] })
	if err := os.WriteFile(obs, []byte(strings.Join(lines, "")), 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(noIndex bool) ([]byte, Stats) {
		out := filepath.Join(t.TempDir(), "rows.csv")
		day := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		_, st, err := Run(context.Background(), Options{Inputs: []string{dir}, Out: out, Format: CSV{}, Day: day, Now: day,
			Config: assess.DefaultConfig(), Workers: 2, Memory: 64 << 10, noIndex: noIndex})
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		return b, st
	}
	x, xst := run(false)
	p, _ := run(true)
	if xst.byPatient != 0 || !xst.Spilled {
		t.Errorf("an index over a quarter of 64 KiB was used: %+v", xst)
	}
	if !bytes.Equal(x, p) || xst.Patients != 10 {
		t.Errorf("rows differ (%d patients)", xst.Patients)
	}
}

// TestLineKey: where lineKey takes a line (fast), it gives what
// patientKeyType and standalone give; it takes the lines of a synthetic
// export other than Patients.
func TestLineKey(t *testing.T) {
	dir, _ := writeCohort(t, 5, 11)
	names, _ := filepath.Glob(filepath.Join(dir, "*.ndjson"))
	var lines []string
	for _, n := range names {
		data, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		for l := range strings.Lines(string(data)) {
			l = strings.TrimRight(l, "\r\n")
			if _, _, _, fast := lineKey([]byte(l)); !fast && !strings.Contains(l, `"resourceType":"Patient"`) &&
				filepath.Base(n) != "truth.ndjson" {
				t.Errorf("%s: not taken by lineKey: %.120s", filepath.Base(n), l)
			}
			lines = append(lines, l)
		}
	}
	lines = append(lines, lineKeyCases...)
	for _, l := range lines {
		checkLineKey(t, []byte(l))
	}
}

// lineKeyCases are lines near the shape lineKey takes.
var lineKeyCases = []string{
	`{"resourceType":"Observation","subject":{"reference":"Patient/a"}}`,
	`{"resourceType":"Observation","subject":{"reference":"Patient/a"},"resourceType":"Bundle"}`,
	`{"resourceType":"Bundle","subject":{"reference":"Patient/a"}}`,
	`{"resourceType":"Medication","subject":{"reference":"Patient/a"}}`,
	`{"resourceType":"Patient","id":"a","subject":{"reference":"Patient/b"}}`,
	`{"resourceType":"Observation","subject":{"reference":"Patient/a/_history/1"}}`,
	`{"resourceType":"Observation","subject":{"reference":"Patient/a?x"}}`,
	`{"resourceType":"Observation","subject":{"reference":"Patient/a\"b"}}`,
	`{"resourceType":"Obs\"ervation","subject":{"reference":"Patient/a"}}`,
	`{"resourceType":"Observation","subject":{"reference":"urn:uuid:a"}}`,
	`{"resourceType":"Observation","subject":{"reference":"http://x/Patient/a"}}`,
	`{"resourceType":"Observation","subject":{"reference" :"Patient/a"}}`,
	`{"resourceType":"Observation","subject":{"display":"x","reference":"Patient/a"}}`,
	`{"resourceType":"Observation","patient":{"reference":"Patient/a"}}`,
	`{"resourceType":"Observation","note":"\"subject\":{\"reference\":\"Patient/x\"}","subject":{"reference":"Patient/a"}}`,
	`{"resourceType":"Observation","subject":{"reference":"Patient/a"} `,
	`{"resourceType":"Observation","subject":{"reference":"Patient/a"}`,
	`{"resourceType":"subject","subject":{"reference":"Patient/a"}}`,
	`{"resourceType":"Observation","subject":{"reference":"Patient/"}}`,
	`{"resourceType":"Observation","subject":{"reference":"Patient/a}`,
	`{"resourceType":"Observation"}`,
	`{"resourceType":"`,
	` {"resourceType":"Observation","subject":{"reference":"Patient/a"}}`,
}

// checkLineKey fails when lineKey takes l and disagrees with
// patientKeyType and standalone.
func checkLineKey(t *testing.T, l []byte) {
	t.Helper()
	id, ok, alone, fast := lineKey(l)
	if !fast {
		return
	}
	wid, rt, wok := patientKeyType(l)
	walone := false
	if wok {
		walone = standalone(bytes.TrimSpace(l), rt)
	}
	if string(id) != string(wid) || ok != wok || alone != walone {
		t.Errorf("lineKey(%s) = %q, %v, standalone %v; patientKeyType and standalone give %q, %v, %v", l, id, ok, alone, wid, wok, walone)
	}
}

func FuzzLineKey(f *testing.F) {
	for _, l := range lineKeyCases {
		f.Add(l)
	}
	f.Fuzz(func(t *testing.T, l string) { checkLineKey(t, []byte(l)) })
}

// TestPartReadsBucketWhole: when a part of a bucket finds a batch that is
// not the one patient its raw lines named (here an Observation whose first
// "subject" key, inside an element RenalWatch does not read, names one
// patient and whose own subject another; a subject given twice, the case
// this test used before, is now a rejected resource: fhir/dupfield.go),
// the whole bucket is read in input order instead, and the
// output is the partition path's.
func TestPartReadsBucketWhole(t *testing.T) {
	dir, _ := writeCohort(t, 12, 5)
	obs := filepath.Join(dir, "Observation.ndjson")
	f, err := os.OpenFile(obs, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.WriteString(`{"resourceType":"Observation","id":"two","status":"final","note":[{"subject":{"reference":"Patient/syn5-1"}}],"code":{"coding":[{"system":"http://loinc.org","code":"2160-0"}]},"effectiveDateTime":"2020-01-05","valueQuantity":{"value":1.4,"unit":"mg/dL","code":"mg/dL","system":"http://unitsofmeasure.org"},"subject":{"reference":"Patient/syn5-2"}}` + "\n")
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	day := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	opt := Options{Inputs: []string{dir}, Out: filepath.Join(t.TempDir(), "rows.csv"), Format: CSV{}, Day: day, Now: day,
		Config: assess.DefaultConfig(), Workers: 2, Memory: 2 << 20}
	_, st, err := Run(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	if st.Buckets < 2 || st.byPatient != int64(st.Buckets-1) {
		t.Errorf("%d buckets, %d read patient by patient; want all but one", st.Buckets, st.byPatient)
	}
	runBoth(t, dir, 0, 2<<20, false)
}
