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

// BenchmarkImportAudited measures what the audit rows of an import's
// patients (store.ImportAudit) cost: 3,000 patients of 100 observations
// each in one Import, without and with them (3,000 rows more).
func BenchmarkImportAudited(b *testing.B) {
	for _, audited := range []bool{false, true} {
		b.Run(fmt.Sprintf("audit=%v", audited), func(b *testing.B) {
			opt := store.ImportOptions{}
			if audited {
				opt.Audit = &store.ImportAudit{Who: "bench"}
			}
			benchImport(b, 3000, 100, opt)
		})
	}
}

// BenchmarkImportObservations measures import throughput into a new SQLite
// file: 100,000 observations of 100 patients in one Import (one
// transaction). The obs/s metric is the figure to report (target 200,000).
func BenchmarkImportObservations(b *testing.B) {
	benchImport(b, 100, 1000, store.ImportOptions{})
}

// benchImport imports patients of per observations each into a new file,
// in one Import with opt, b.N times.
func benchImport(b *testing.B, patients, per int, opt store.ImportOptions) {
	batch := &record.Batch{}
	for p := range patients {
		one := bigBatch(fmt.Sprintf("p%04d", p), per)
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
		res, err := db.Import(ctx, batch, opt)
		if err != nil || res.Imported != patients*(per+1) {
			b.Fatalf("import: %v, %+v", err, res)
		}
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(patients*per*b.N)/b.Elapsed().Seconds(), "obs/s")
}
