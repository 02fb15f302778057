package sqlite_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"renalwatch/record"
	"renalwatch/store"
	"renalwatch/store/sqlite"
	"renalwatch/units"
)

// bigBatch returns one patient with n potassium values, each an hour apart.
func bigBatch(pid string, n int) *record.Batch {
	b := &record.Batch{Patients: []record.Patient{{ID: pid, Sex: record.Female}}}
	start := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	b.Observations = make([]record.Observation, n)
	for i := range b.Observations {
		b.Observations[i] = record.Observation{ID: fmt.Sprintf("%s/o%d", pid, i), PatientID: pid, Analyte: units.Potassium,
			Value: units.Q(3.5+float64(i%20)/10, units.MmolPerL), Time: start.Add(time.Duration(i) * time.Hour),
			Source: &record.Source{System: "bench", ResourceType: "Observation"}, ResourceID: fmt.Sprint(i)}
	}
	return b
}

const crashEnv = "RENALWATCH_CRASH_CHILD_DB"

// TestCrashChild is the child process of TestCrashDuringImport: it imports
// a large batch and, once part of it is written inside the transaction,
// says "MID" and waits to be killed.
func TestCrashChild(t *testing.T) {
	path := os.Getenv(crashEnv)
	if path == "" {
		t.Skip("runs only as the child process of TestCrashDuringImport")
	}
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		fmt.Println("ERR", err)
		os.Exit(3)
	}
	mode := os.Getenv(crashEnv + "_MODE")
	if strings.HasPrefix(mode, "stream") {
		// The streaming import a file takes (renalwatch import): chunks of
		// 4,096 items in one transaction.
		err := streamBatch(db, bigBatch("B", 50_000), 4096, func(chunks int) {
			if mode == "stream-mid" && chunks == 5 {
				fmt.Println("MID")
				select {} // wait for the kill
			}
		})
		fmt.Println("DONE", err)
		select {}
	}
	_, err = db.Import(context.Background(), bigBatch("B", 50_000), store.ImportOptions{Progress: func(done int) {
		if mode == "mid" && done >= 10_000 {
			fmt.Println("MID")
			select {} // wait for the kill
		}
	}})
	fmt.Println("DONE", err)
	select {}
}

// streamBatch imports b with BeginImport, its patients first, then its
// observations n at a time; added is called after each chunk.
func streamBatch(db *sqlite.DB, b *record.Batch, n int, added func(chunks int)) error {
	tx, err := db.BeginImport(context.Background(), store.ImportOptions{})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := tx.Add(&record.Batch{Patients: b.Patients}); err != nil {
		return err
	}
	var chunk record.Batch
	for i, c := 0, 1; i < len(b.Observations); i, c = i+n, c+1 {
		chunk.Observations = append(chunk.Observations[:0], b.Observations[i:min(i+n, len(b.Observations))]...)
		if err := tx.Add(&chunk); err != nil {
			return err
		}
		added(c)
	}
	_, err = tx.Commit()
	return err
}

func TestCrashDuringImport(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns child processes")
	}
	for _, tc := range []struct {
		name  string
		mode  string        // "mid": killed inside the transaction
		delay time.Duration // otherwise killed after this delay, wherever it is
	}{{"killed mid-transaction", "mid", 0}, {"killed early", "", 150 * time.Millisecond}, {"killed late", "", 900 * time.Millisecond},
		{"streaming, killed mid-file", "stream-mid", 0}, {"streaming, killed early", "stream", 150 * time.Millisecond},
		{"streaming, killed late", "stream", 900 * time.Millisecond}} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			path := filepath.Join(t.TempDir(), "crash.db")
			db, err := sqlite.Open(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			before := bigBatch("A", 100)
			if _, err := db.Import(ctx, before, store.ImportOptions{}); err != nil {
				t.Fatal(err)
			}
			db.Close()

			cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$")
			cmd.Env = append(os.Environ(), crashEnv+"="+path, crashEnv+"_MODE="+tc.mode)
			out, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			lines := make(chan string, 10)
			go func() {
				sc := bufio.NewScanner(out)
				for sc.Scan() {
					lines <- sc.Text()
				}
				close(lines)
			}()
			finished := false
			if tc.mode == "mid" || tc.mode == "stream-mid" {
				select {
				case l := <-lines:
					if l != "MID" {
						t.Fatalf("child said %q before MID", l)
					}
				case <-time.After(60 * time.Second):
					cmd.Process.Kill()
					t.Fatal("child did not reach the middle of its import in 60 s")
				}
			} else {
				select {
				case l := <-lines:
					finished = strings.HasPrefix(l, "DONE")
				case <-time.After(tc.delay):
				}
			}
			if err := cmd.Process.Kill(); err != nil {
				t.Fatal(err)
			}
			cmd.Wait()

			db, err = sqlite.Open(ctx, path)
			if err != nil {
				t.Fatalf("reopen after kill: %v", err)
			}
			defer db.Close()
			if err := db.Check(ctx); err != nil {
				t.Fatalf("after kill: %v", err)
			}
			a, err := db.Timeline(ctx, "A")
			if err != nil || len(a.Observations()) != 100 {
				t.Fatalf("patient A after the kill: %v, %d observations; want the 100 from before", err, len(a.Observations()))
			}
			ps, err := db.Patients(ctx)
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case len(ps) == 1: // the state before the file
				if tc.mode == "mid" || tc.mode == "stream-mid" || finished {
					if finished {
						t.Error("the child reported a finished import, but nothing of it is stored")
					}
				}
			case len(ps) == 2 && ps[1].Observations == 50_000: // the state after it
				if tc.mode == "mid" || tc.mode == "stream-mid" {
					t.Error("killed inside the transaction, yet the import is stored")
				}
			default:
				t.Errorf("store holds %d patients (%+v): neither the state before the import nor after it", len(ps), ps)
			}
			// Importing the file again (streaming) completes it, and the
			// store then holds exactly the file.
			want := bigBatch("B", 50_000)
			if err := streamBatch(db, want, 4096, func(int) {}); err != nil {
				t.Fatalf("re-import after the kill: %v", err)
			}
			got, err := db.Timeline(ctx, "B")
			if err != nil {
				t.Fatal(err)
			}
			wantTL := record.NewTimeline(want.Patients[0], *want)
			if len(got.Observations()) != len(wantTL.Observations()) {
				t.Fatalf("after the re-import B has %d observations, want %d", len(got.Observations()), len(wantTL.Observations()))
			}
			for i := range got.Observations() {
				g, w := got.Observations()[i], wantTL.Observations()[i]
				if g.ID != w.ID || !g.Time.Equal(w.Time) || g.Value != w.Value || g.TimePrecision != w.TimePrecision {
					t.Fatalf("after the re-import observation %d = %+v, want %+v", i, g, w)
				}
			}
		})
	}
}
