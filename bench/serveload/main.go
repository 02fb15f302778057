// Command serveload is a loopback load benchmark of "renalwatch serve":
// GET /api/patients/{id}/assessment for one synthetic 10-year patient
// (monthly creatinine, UPCR, haemoglobin and blood pressure, quarterly
// SLEDAI-2K findings and urine microscopy, three therapies, one biopsy:
// the record of assess's BenchmarkAssessTenYears), with a bearer token so
// that authentication is measured too.
//
// It starts the server in this process on 127.0.0.1 (never another
// address), and for each concurrency level sends at most -n requests for
// at most -d, then prints p50, p99 and requests per second; the peak is
// the highest rate of any level. Client and server share the machine.
//
//	go run ./bench/serveload [-n 2000] [-d 10s] [-c 1,2,4,8,16] [-db postgres://…] [-servers 2]
//
// With -db postgres://… the store is that PostgreSQL database (empty or
// RenalWatch's; the patient is imported into it), and -servers N starts N
// servers, each with its own connection pool, that the client takes in
// turn as a load balancer would. Every request also writes its audit row.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"renalwatch/record"
	"renalwatch/server"
	"renalwatch/store"
	"renalwatch/store/postgres"
	"renalwatch/store/sqlite"
	"renalwatch/units"
)

const token = "bench-token-0123456789abcdef"

func main() {
	n := flag.Int("n", 2000, "at most this many requests per concurrency level (1 to 100000)")
	d := flag.Duration("d", 10*time.Second, "at most this long per concurrency level (up to 60s)")
	levels := flag.String("c", "1,2,4,8,16", "concurrency levels, comma-separated (1 to 64)")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the run to `FILE`")
	dbURL := flag.String("db", "", "a PostgreSQL `URL` to serve from (default: a new SQLite file)")
	servers := flag.Int("servers", 1, "number of servers on the one store (1 to 8)")
	flag.Parse()
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			log.Fatal(err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			log.Fatal(err)
		}
		defer pprof.StopCPUProfile()
	}
	if *n < 1 || *n > 100000 || *d <= 0 || *d > time.Minute {
		log.Fatal("-n must be 1..100000 and -d at most 60s: the benchmark is bounded")
	}
	var cs []int
	for _, s := range strings.Split(*levels, ",") {
		c, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || c < 1 || c > 64 {
			log.Fatalf("-c %q: want numbers from 1 to 64", *levels)
		}
		cs = append(cs, c)
	}
	if *servers < 1 || *servers > 8 || (*servers > 1 && *dbURL == "") {
		log.Fatal("-servers must be 1..8, and more than one needs -db postgres://…")
	}
	if err := run(*n, *d, cs, *dbURL, *servers); err != nil {
		log.Print(err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
}

func run(n int, d time.Duration, levels []int, dbURL string, nservers int) error {
	ctx := context.Background()
	open := func() (store.Store, error) { return postgres.Open(ctx, dbURL) }
	if dbURL == "" {
		dir, err := os.MkdirTemp("", "serveload")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		open = func() (store.Store, error) { return sqlite.Open(ctx, filepath.Join(dir, "load.db")) }
	}
	tokens, err := server.ParseTokens("bench", strings.NewReader("bench "+token+"\n"))
	if err != nil {
		return err
	}
	b, obs := tenYears()
	var urls []string
	for i := range nservers {
		db, err := open()
		if err != nil {
			return err
		}
		defer db.Close()
		if i == 0 {
			if res, err := db.Import(ctx, &b, store.ImportOptions{Strict: true}); err != nil || len(res.Rejected) > 0 {
				return fmt.Errorf("import: %v %v", err, res)
			}
		}
		srv, err := server.New(server.Config{Store: db, Tokens: tokens})
		if err != nil {
			return err
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0") // loopback only
		if err != nil {
			return err
		}
		hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
		go hs.Serve(ln)
		defer hs.Close()
		urls = append(urls, "http://"+ln.Addr().String()+"/api/patients/bench/assessment?as_of=2024-01-20")
	}
	url := urls[0]
	var next atomic.Int64
	pick := func() string { return urls[int(next.Add(1))%len(urls)] }

	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64, MaxConnsPerHost: 64}, Timeout: 30 * time.Second}
	size, err := get(client, url)
	if err != nil {
		return err
	}
	fmt.Printf("GET /api/patients/{id}/assessment, one 10-year patient (%d observations), response %d bytes\n", obs, size)
	kind := "SQLite"
	if dbURL != "" {
		kind = "PostgreSQL"
	}
	fmt.Printf("loopback 127.0.0.1, %d server(s) on one %s store, servers and client in one process, GOMAXPROCS %d, %s\n", nservers, kind, runtime.GOMAXPROCS(0), time.Now().UTC().Format(time.DateOnly))
	fmt.Printf("%-12s %8s %10s %10s %10s %8s\n", "concurrency", "requests", "p50", "p99", "req/s", "errors")
	peak, peakC := 0.0, 0
	for _, c := range levels {
		lat, errs, elapsed := load(client, pick, c, n, d)
		if len(lat) == 0 {
			return fmt.Errorf("concurrency %d: no request succeeded (%d errors)", c, errs)
		}
		slices.Sort(lat)
		rate := float64(len(lat)) / elapsed.Seconds()
		if rate > peak {
			peak, peakC = rate, c
		}
		fmt.Printf("%-12d %8d %10s %10s %10.0f %8d\n", c, len(lat), pct(lat, 50), pct(lat, 99), rate, errs)
	}
	fmt.Printf("peak %.0f requests/s at concurrency %d\n", peak, peakC)
	return nil
}

// load sends up to n requests from c workers, for at most d.
func load(client *http.Client, url func() string, c, n int, d time.Duration) ([]time.Duration, int, time.Duration) {
	var (
		mu   sync.Mutex
		lat  = make([]time.Duration, 0, n)
		errs atomic.Int64
		left atomic.Int64
		wg   sync.WaitGroup
	)
	left.Store(int64(n))
	start := time.Now()
	deadline := start.Add(d)
	for range c {
		wg.Go(func() {
			for left.Add(-1) >= 0 && time.Now().Before(deadline) {
				t := time.Now()
				if _, err := get(client, url()); err != nil {
					errs.Add(1)
					continue
				}
				el := time.Since(t)
				mu.Lock()
				lat = append(lat, el)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return lat, int(errs.Load()), time.Since(start)
}

func get(client *http.Client, url string) (int64, error) {
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	size, err := io.Copy(io.Discard, resp.Body)
	if err == nil && resp.StatusCode != 200 {
		err = errors.New(resp.Status)
	}
	return size, err
}

// pct is the p-th percentile of sorted latencies (nearest rank).
func pct(sorted []time.Duration, p int) string {
	i := (len(sorted)*p + 99) / 100
	i = min(max(i, 1), len(sorted)) - 1
	return sorted[i].Round(10 * time.Microsecond).String()
}

// tenYears builds the 10-year record of assess's BenchmarkAssessTenYears.
func tenYears() (record.Batch, int) {
	p := record.Patient{ID: "bench", BirthDate: time.Date(1985, 4, 1, 0, 0, 0, 0, time.UTC), Sex: record.Female}
	batch := record.Batch{Patients: []record.Patient{p}}
	start := time.Date(2014, 1, 15, 0, 0, 0, 0, time.UTC)
	add := func(an units.Analyte, t time.Time, v float64, u units.Unit) {
		q, err := an.Normalize("", units.Q(v, u))
		if err != nil {
			panic(err)
		}
		batch.Observations = append(batch.Observations, record.Observation{ID: record.DeriveID("Observation", p.ID, an.String(), t.String()),
			PatientID: p.ID, Analyte: an, Value: q, Time: t, Source: &record.Source{Unit: string(u)}})
	}
	for m := 0; m < 120; m++ {
		t := start.AddDate(0, m, 0)
		add(units.Creatinine, t, 0.8+0.012*float64(m)+0.05*float64(m%3), units.MgPerDL)
		add(units.PCR, t, 0.3+2.5*float64((m/20)%2)+0.1*float64(m%4), units.GPerG)
		add(units.Hemoglobin, t, 11.5+0.1*float64(m%5), units.GPerDL)
		add(units.SystolicBP, t, 118+float64(m%7), units.MmHg)
		if m%3 == 0 {
			add(units.UrineRBC, t, float64(m%11), units.PerHPF)
			for _, c := range []string{record.FindingProteinuria, record.FindingHematuria, record.FindingLowComplement, record.FindingRash} {
				batch.Findings = append(batch.Findings, record.Finding{ID: record.DeriveID("Finding", c, t.String()), PatientID: p.ID, Code: c, Present: m%2 == 0, Time: t})
			}
		}
	}
	for i, c := range []record.TherapyClass{record.Mycophenolate, record.Cyclophosphamide, record.Belimumab} {
		batch.Therapies = append(batch.Therapies, record.Therapy{ID: record.DeriveID("Therapy", c.String()), PatientID: p.ID, Class: c, Start: start.AddDate(3*i, 1, 0)})
	}
	one := 1
	batch.Biopsies = []record.Biopsy{{ID: "b", PatientID: p.ID, Time: start, Classes: []string{"IV"}, ActivityIndex: &one, ChronicityIndex: &one}}
	batch.Conditions = []record.Condition{{ID: "c", PatientID: p.ID, Kind: record.LupusNephritis, Onset: start}}
	return batch, len(batch.Observations)
}
