package cohort

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/parquet-go/parquet-go"
)

// TestParquetMatchesCSV: the Parquet file reads back (as DuckDB, pandas or
// Spark would read it) with the documented column names, one row per
// patient, and the same values as the CSV output.
func TestParquetMatchesCSV(t *testing.T) {
	dir, _ := writeCohort(t, 20, 4)
	tmp := t.TempDir()
	pq, cs := filepath.Join(tmp, "rows.parquet"), filepath.Join(tmp, "rows.csv")
	runCohort(t, dir, Options{Out: pq, Format: Parquet{}})
	runCohort(t, dir, Options{Out: cs, Format: CSV{}})
	rows, err := parquet.ReadFile[ParquetRow](pq)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(cs)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 20 || len(recs) != 21 {
		t.Fatalf("%d parquet rows, %d csv rows", len(rows), len(recs))
	}
	var names []string
	for _, fld := range parquet.SchemaOf(ParquetRow{}).Fields() {
		names = append(names, fld.Name())
	}
	if !reflect.DeepEqual(names, Columns) {
		t.Errorf("parquet columns %v, want %v", names, Columns)
	}
	egfr := 0
	for i, r := range rows {
		want, err := parquetRow(recs[i+1])
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(r, want) {
			t.Errorf("row %d: parquet %+v, csv %+v", i, r, want)
		}
		if r.EGFR != nil && *r.EGFR > 0 {
			egfr++
		}
	}
	if egfr < 15 {
		t.Errorf("%d of 20 rows with an eGFR", egfr)
	}
}
