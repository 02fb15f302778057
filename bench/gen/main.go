// Command gen writes synthetic import files for bench/import-memory: large
// CSV and NDJSON files of creatinine results, good or bad, and the
// patients they refer to. The values are synthetic (no real patient).
//
//	go run ./bench/gen -kind csv -n 1000000 -patients 1000 > labs.csv
//
// Kinds: patients-csv, patients-ndjson, csv (good observation rows),
// csv-bad (rows every one of which is rejected: unknown unit), ndjson
// (good Observation lines), ndjson-badfirst (a bad first line, then good
// lines), ndjson-longline (one line longer than the reader's limit,
// between two good lines).
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"
)

func main() {
	kind := flag.String("kind", "csv", "what to write (see the package comment)")
	n := flag.Int("n", 1000, "rows or lines")
	patients := flag.Int("patients", 1000, "patients the rows are spread over")
	flag.Parse()
	w := bufio.NewWriterSize(os.Stdout, 1<<20)
	defer w.Flush()
	start := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	at := func(i int) time.Time { return start.Add(time.Duration(i / *patients) * time.Minute) }
	pid := func(i int) string { return fmt.Sprintf("p%06d", i%*patients) }
	value := func(i int) string { return fmt.Sprintf("%.2f", 0.6+float64(i%200)/100) }
	obsLine := func(i int) string {
		return fmt.Sprintf(`{"resourceType":"Observation","id":"o%d","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"2160-0","display":"Creatinine [Mass/volume] in Serum or Plasma"}]},"subject":{"reference":"Patient/%s"},"effectiveDateTime":"%s","valueQuantity":{"value":%s,"unit":"mg/dL","system":"http://unitsofmeasure.org","code":"mg/dL"}}`,
			i, pid(i), at(i).Format(time.RFC3339), value(i))
	}
	switch *kind {
	case "patients-csv":
		fmt.Fprintln(w, "patient_id,birth_date,sex")
		for i := range *patients {
			fmt.Fprintf(w, "%s,1970-01-%02d,female\n", pid(i), 1+i%28)
		}
	case "patients-ndjson":
		for i := range *patients {
			fmt.Fprintf(w, `{"resourceType":"Patient","id":"%s","gender":"female","birthDate":"1970-01-%02d"}`+"\n", pid(i), 1+i%28)
		}
	case "csv", "csv-bad":
		unit := "mg/dL"
		if *kind == "csv-bad" {
			unit = "mg/furlong" // every row rejected: unknown unit
		}
		fmt.Fprintln(w, "patient_id,time,analyte,value,unit,id")
		for i := range *n {
			fmt.Fprintf(w, "%s,%s,creatinine,%s,%s,c%d\n", pid(i), at(i).Format(time.RFC3339), value(i), unit, i)
		}
	case "ndjson", "ndjson-badfirst":
		if *kind == "ndjson-badfirst" {
			fmt.Fprintln(w, `{"resourceType":"Observation","id":"bad",`)
		}
		for i := range *n {
			fmt.Fprintln(w, obsLine(i))
		}
	case "ndjson-longline":
		fmt.Fprintln(w, obsLine(0))
		// One Observation whose display text makes the line *n MiB long.
		fmt.Fprintf(w, `{"resourceType":"Observation","id":"long","status":"final","code":{"text":"%s"}}`+"\n", strings.Repeat("x", *n<<20))
		fmt.Fprintln(w, obsLine(1))
	default:
		fmt.Fprintf(os.Stderr, "gen: unknown -kind %q\n", *kind)
		os.Exit(2)
	}
}
