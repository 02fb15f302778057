package sqlite_test

import (
	"context"
	"errors"
	"testing"

	"renalwatch/store"
)

// TestImportMixedChunks re-imports a file of several INSERT chunks in
// which new, unchanged, conflicting and duplicate observations are mixed,
// so that the rowid mark and the per-chunk classification queries are
// exercised across chunk boundaries.
func TestImportMixedChunks(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	defer db.Close()
	first := bigBatch("M", 600)
	if res, err := db.Import(ctx, first, store.ImportOptions{}); err != nil || res.Imported != 601 {
		t.Fatalf("first import: %v, %+v", err, res)
	}
	more := bigBatch("M", 1000) // rows 600-999 are new
	var wantConflicts int
	for i := range more.Observations {
		o := &more.Observations[i]
		switch {
		case i < 600 && i%3 == 1: // same id, other value: a conflict
			o.Value.Value += 10
			wantConflicts++
		case i < 600 && i%3 == 2: // same measurement, another id: a duplicate
			o.ID += "/copy"
		}
	}
	// The same new observation twice in one file: stored once, then unchanged.
	more.Observations = append(more.Observations, more.Observations[700])
	res, err := db.Import(ctx, more, store.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got := [4]int{res.Imported, res.Unchanged, res.Duplicates, len(res.Rejected)}
	want := [4]int{400, 1 + 200 + 1, 200, wantConflicts} // patient and row 700 are unchanged
	if got != want {
		t.Fatalf("imported, unchanged, duplicates, rejected = %v, want %v", got, want)
	}
	for _, r := range res.Rejected {
		if !errors.Is(r.Err, store.ErrConflict) {
			t.Errorf("rejection %s: %v, want ErrConflict", r.ID, r.Err)
		}
	}
	tl, err := db.Timeline(ctx, "M")
	if err != nil || len(tl.Observations) != 1000 {
		t.Fatalf("timeline: %v, %d observations, want 1000", err, len(tl.Observations))
	}
	again, err := db.Import(ctx, more, store.ImportOptions{}) // nothing new the second time
	if err != nil || again.Imported != 0 || again.Duplicates != 200 || len(again.Rejected) != wantConflicts {
		t.Fatalf("third import: %v, %+v", err, again)
	}
}
