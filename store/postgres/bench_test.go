package postgres_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"renalwatch/record"
	"renalwatch/store"
	"renalwatch/store/postgres"
	"renalwatch/store/postgres/pgtest"
	"renalwatch/units"
)

// bigBatch is store/sqlite's: one patient with n potassium values an hour
// apart.
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

// BenchmarkImportObservations is store/sqlite's benchmark of the same name
// against PostgreSQL: 100,000 observations of 100 patients in one Import
// (one transaction: each chunk copied straight into observations, as a
// new file conflicts with nothing) into a new database. Run both in one command to compare:
//
//	go test -run '^$' -bench 'ImportObservations$' ./store/postgres ./store/sqlite
func BenchmarkImportObservations(b *testing.B) {
	const patients, per = 100, 1000
	batch := &record.Batch{}
	for p := range patients {
		one := bigBatch(fmt.Sprintf("p%03d", p), per)
		batch.Patients = append(batch.Patients, one.Patients...)
		batch.Observations = append(batch.Observations, one.Observations...)
	}
	ctx := context.Background()
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		db, err := postgres.Open(ctx, pgtest.NewDatabase(b))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		res, err := db.Import(ctx, batch, store.ImportOptions{})
		if err != nil || res.Imported != patients*(per+1) {
			b.Fatalf("import: %v, %+v", err, res)
		}
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(patients*per*b.N)/b.Elapsed().Seconds(), "obs/s")
}
