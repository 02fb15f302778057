package sqlite_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"renalwatch/record"
	"renalwatch/store"
	"renalwatch/store/sqlite"
)

// BenchmarkImportObservationsStream is BenchmarkImportObservations through
// the streaming import, in chunks of 16,384 items as renalwatch import
// gives them (the obs/s of the two should match).
func BenchmarkImportObservationsStream(b *testing.B) {
	const patients, per, chunk = 100, 1000, 16 << 10
	batch := &record.Batch{}
	for p := range patients {
		one := bigBatch(fmt.Sprintf("p%03d", p), per)
		batch.Patients = append(batch.Patients, one.Patients...)
		batch.Observations = append(batch.Observations, one.Observations...)
	}
	ctx := context.Background()
	dir := b.TempDir()
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		db, err := sqlite.Open(ctx, filepath.Join(dir, fmt.Sprintf("bench%d.db", i)))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		tx, err := db.BeginImport(ctx, store.ImportOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if err := tx.Add(&record.Batch{Patients: batch.Patients}); err != nil {
			b.Fatal(err)
		}
		var c record.Batch
		for j := 0; j < len(batch.Observations); j += chunk {
			c.Observations = append(c.Observations[:0], batch.Observations[j:min(j+chunk, len(batch.Observations))]...)
			if err := tx.Add(&c); err != nil {
				b.Fatal(err)
			}
		}
		res, err := tx.Commit()
		if err != nil || res.Imported != patients*(per+1) {
			b.Fatalf("import: %v, %+v", err, res)
		}
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(patients*per*b.N)/b.Elapsed().Seconds(), "obs/s")
}
