package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"renalwatch/record"
	"renalwatch/store"
)

// Readers never see half an import, never wait for it and never fail
// while it runs: eight readers list the patients and read timelines in a
// loop while one import of 40 patients × 2,000 observations commits. Each
// timeline they read holds none or all of its patient's observations,
// and the patient list counts none or all.
func TestImportWithManyReaders(t *testing.T) {
	db := openTemp(t)
	defer db.Close()
	ctx := context.Background()
	const patients, per = 40, 2000
	batch := &record.Batch{}
	for p := range patients {
		one := bigBatch(fmt.Sprintf("p%03d", p), per)
		batch.Patients = append(batch.Patients, one.Patients...)
		batch.Observations = append(batch.Observations, one.Observations...)
	}
	var (
		done       atomic.Bool
		reads      atomic.Int64
		sawAll     atomic.Bool
		wg         sync.WaitGroup
		errMu      sync.Mutex
		readerErrs []error
	)
	fail := func(err error) {
		errMu.Lock()
		readerErrs = append(readerErrs, err)
		errMu.Unlock()
	}
	for r := range 8 {
		wg.Go(func() {
			for i := 0; !done.Load() || i == 0; i++ {
				ps, err := db.Patients(ctx)
				if err != nil {
					fail(err)
					return
				}
				total := 0
				for _, p := range ps {
					total += p.Observations
				}
				if total != 0 && total != patients*per {
					fail(fmt.Errorf("patient list counts %d observations, want 0 or %d", total, patients*per))
				}
				tl, err := db.Timeline(ctx, fmt.Sprintf("p%03d", (r*7+i)%patients))
				switch {
				case errors.Is(err, store.ErrNotFound):
				case err != nil:
					fail(err)
					return
				case len(tl.Observations()) != per:
					fail(fmt.Errorf("timeline holds %d observations, want %d", len(tl.Observations()), per))
				default:
					sawAll.Store(true)
				}
				reads.Add(1)
			}
		})
	}
	res, err := db.Import(ctx, batch, store.ImportOptions{})
	if err != nil || res.Imported != patients*(per+1) {
		t.Fatalf("import: %v, %+v", err, res)
	}
	// One more round of reads after the commit.
	for range 8 {
		if _, err := db.Timeline(ctx, "p000"); err != nil {
			t.Fatal(err)
		}
	}
	done.Store(true)
	wg.Wait()
	for _, err := range readerErrs {
		t.Error(err)
	}
	if reads.Load() < 8 {
		t.Errorf("only %d reads ran during the import", reads.Load())
	}
	t.Logf("%d reads during the import; a complete timeline seen: %v", reads.Load(), sawAll.Load())
}

// Two imports of the same batch at once, through two pools (as two
// processes would), store each item once: one imports everything, the
// other finds everything unchanged, and neither fails.
func TestTwoImportsAtOnce(t *testing.T) {
	ctx := context.Background()
	a := openTemp(t)
	defer a.Close()
	b := reopen(t, a)
	defer b.Close()
	batch := &record.Batch{}
	for p := range 20 {
		one := bigBatch(fmt.Sprintf("p%03d", p), 1000)
		batch.Patients = append(batch.Patients, one.Patients...)
		batch.Observations = append(batch.Observations, one.Observations...)
	}
	var res [2]*store.ImportResult
	var errs [2]error
	var wg sync.WaitGroup
	for i, db := range []store.Store{a, b} {
		wg.Go(func() { res[i], errs[i] = db.Import(ctx, batch, store.ImportOptions{}) })
	}
	wg.Wait()
	for i := range 2 {
		if errs[i] != nil {
			t.Fatalf("import %d: %v", i, errs[i])
		}
	}
	n := batch.Len()
	got := [2][2]int{{res[0].Imported, res[0].Unchanged}, {res[1].Imported, res[1].Unchanged}}
	if got != [2][2]int{{n, 0}, {0, n}} && got != [2][2]int{{0, n}, {n, 0}} {
		t.Errorf("imported/unchanged = %v, want one import of all %d items and one finding all unchanged", got, n)
	}
	ps, err := a.Patients(ctx)
	if err != nil || len(ps) != 20 || ps[0].Observations != 1000 {
		t.Errorf("after both: %d patients (%v)", len(ps), err)
	}
}
