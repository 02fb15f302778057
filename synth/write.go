package synth

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sync"
)

// Format is the output format of Write.
type Format string

// Formats.
const (
	NDJSON    Format = "ndjson" // FHIR Bulk Data NDJSON
	CSVFormat Format = "csv"    // the csvio layouts
)

// FileTruth is the truth file: one Truth per line.
const FileTruth = "truth.ndjson"

// Options says what Write generates.
type Options struct {
	Patients int
	Seed     uint64
	End      int // last day of follow-up; 0 means DefaultEnd
	Format   Format
	// Workers generate patients in parallel; the output does not depend on
	// their number. 0 or less means 1.
	Workers int
}

// Files lists the files Write writes for opt, truth file last.
func (opt Options) Files() []string {
	if opt.Format == CSVFormat {
		return append(CSVFiles(), FileTruth)
	}
	return append(FHIRFiles(), FileTruth)
}

// Stats counts what Write wrote.
type Stats struct {
	Patients     int   `json:"patients"`
	Observations int   `json:"observations"` // FHIR Observation resources, or CSV observation rows
	Bytes        int64 `json:"bytes"`
}

// batch is a run of consecutive patients encoded by one worker.
type batch struct {
	first, n int
	bufs     [][]byte // by index in Options.Files
	obs      int
	err      error
}

const batchSize = 64

// Write generates opt.Patients patients and writes each file of opt.Files
// to the writer w returns for it, patient by patient, in patient order.
// Memory is bounded by the workers' batches, whatever the cohort size. The
// bytes depend only on the options other than Workers (and on Version).
func Write(ctx context.Context, opt Options, w map[string]io.Writer) (Stats, error) {
	var st Stats
	if opt.Patients < 0 {
		return st, fmt.Errorf("patients: %d is negative", opt.Patients)
	}
	if opt.Format != NDJSON && opt.Format != CSVFormat {
		return st, fmt.Errorf("format %q: accepted ndjson, csv", opt.Format)
	}
	end := opt.End
	if end == 0 {
		end = DefaultEnd
	}
	files := opt.Files()
	for _, name := range files {
		if w[name] == nil {
			return st, fmt.Errorf("no writer for %s", name)
		}
	}
	if opt.Format == CSVFormat {
		for _, name := range CSVFiles() {
			n, err := io.WriteString(w[name], CSVHeader(name))
			st.Bytes += int64(n)
			if err != nil {
				return st, err
			}
		}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	workers := max(1, opt.Workers)
	// Workers fill batches; the writer takes them in order. Each worker
	// has at most two batches in flight.
	type slot struct{ ch chan *batch }
	pending := make(chan slot, 2*workers)
	// Batches are reused: at most cap(free) exist, which bounds memory.
	free := make(chan *batch, 2*workers+2)
	for range cap(free) {
		free <- &batch{bufs: make([][]byte, len(files))}
	}
	jobs := make(chan struct {
		b   *batch
		out chan *batch
	}, 2*workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			g := NewGenerator(opt.Seed, end)
			var fh FHIR
			var cv CSV
			for j := range jobs {
				encodeBatch(g, &fh, &cv, opt.Format, files, j.b)
				j.out <- j.b
			}
		}()
	}
	go func() {
		defer close(jobs)
		defer close(pending)
		for first := 0; first < opt.Patients; first += batchSize {
			var b *batch
			select {
			case b = <-free:
			case <-ctx.Done():
				return
			}
			b.first, b.n, b.obs, b.err = first, min(batchSize, opt.Patients-first), 0, nil
			for i := range b.bufs {
				b.bufs[i] = b.bufs[i][:0]
			}
			out := make(chan *batch, 1)
			select {
			case pending <- slot{out}:
			case <-ctx.Done():
				return
			}
			jobs <- struct {
				b   *batch
				out chan *batch
			}{b, out}
		}
	}()
	var werr error
	for s := range pending {
		b := <-s.ch
		if werr != nil {
			free <- b
			continue // drain
		}
		if b.err != nil {
			werr = b.err
			cancel()
			continue
		}
		for i, name := range files {
			n, err := w[name].Write(b.bufs[i])
			st.Bytes += int64(n)
			if err != nil {
				werr = err
				cancel()
				break
			}
		}
		st.Patients += b.n
		st.Observations += b.obs
		free <- b
	}
	wg.Wait()
	if werr == nil {
		werr = ctx.Err()
	}
	return st, werr
}

// encodeBatch encodes the batch's patients straight into its buffers.
func encodeBatch(g *Generator, fh *FHIR, cv *CSV, format Format, files []string, b *batch) {
	truth := len(files) - 1 // the truth file is last
	if format == CSVFormat {
		*cv = CSV{Patients: b.bufs[0], Therapies: b.bufs[1], Observations: b.bufs[2],
			Diagnoses: b.bufs[3], Biopsies: b.bufs[4], Findings: b.bufs[5], Events: b.bufs[6]} // CSVFiles order
	} else {
		*fh = FHIR{Patient: b.bufs[0], Condition: b.bufs[1], Procedure: b.bufs[2], MedicationRequest: b.bufs[3], Observation: b.bufs[4]}
	}
	for i := b.first; i < b.first+b.n; i++ {
		p := g.Patient(i)
		if format == CSVFormat {
			cv.Encode(p)
			for _, l := range p.Labs {
				switch {
				case l.Absent:
				case l.Kind == BloodPressure:
					b.obs += 2
				default:
					b.obs++
				}
			}
		} else {
			fh.Encode(p)
			b.obs += p.Truth.Observations
		}
		t, err := json.Marshal(&p.Truth)
		if err != nil {
			b.err = err
			return
		}
		b.bufs[truth] = append(append(b.bufs[truth], t...), '\n')
	}
	for j, name := range files[:truth] {
		if format == CSVFormat {
			b.bufs[j] = cv.Buffer(name)
		} else {
			b.bufs[j] = fh.Buffer(name)
		}
	}
}
