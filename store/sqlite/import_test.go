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
	// 1,800 stored, then 3,000 offered: three INSERT chunks of up to 1,024 rows.
	const stored, offered = 1800, 3000
	first := bigBatch("M", stored)
	if res, err := db.Import(ctx, first, store.ImportOptions{}); err != nil || res.Imported != stored+1 {
		t.Fatalf("first import: %v, %+v", err, res)
	}
	more := bigBatch("M", offered) // rows 1800-2999 are new
	var wantConflicts int
	for i := range more.Observations {
		o := &more.Observations[i]
		switch {
		case i < stored && i%3 == 1: // same id, other value: a conflict
			o.Value.Value += 10
			wantConflicts++
		case i < stored && i%3 == 2: // same measurement, another id: a duplicate
			o.ID += "/copy"
		}
	}
	// The same new observation twice in one file: stored once, then unchanged.
	more.Observations = append(more.Observations, more.Observations[2100])
	res, err := db.Import(ctx, more, store.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got := [4]int{res.Imported, res.Unchanged, res.Duplicates, len(res.Rejected)}
	want := [4]int{offered - stored, 1 + stored/3 + 1, stored / 3, wantConflicts} // patient and row 2100 are unchanged
	if got != want {
		t.Fatalf("imported, unchanged, duplicates, rejected = %v, want %v", got, want)
	}
	for _, r := range res.Rejected {
		if !errors.Is(r.Err, store.ErrConflict) {
			t.Errorf("rejection %s: %v, want ErrConflict", r.ID, r.Err)
		}
	}
	tl, err := db.Timeline(ctx, "M")
	if err != nil || len(tl.Observations()) != offered {
		t.Fatalf("timeline: %v, %d observations, want %d", err, len(tl.Observations()), offered)
	}
	again, err := db.Import(ctx, more, store.ImportOptions{}) // nothing new the second time
	if err != nil || again.Imported != 0 || again.Duplicates != stored/3 || len(again.Rejected) != wantConflicts {
		t.Fatalf("third import: %v, %+v", err, again)
	}
}
