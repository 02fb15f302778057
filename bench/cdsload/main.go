// Command cdsload is a loopback load benchmark of RenalWatch's CDS Hooks
// patient-view service (issue 12): POST /cds-services/renalwatch-kidney
// with a ten-year prefetch built from synthetic patients (synth, -patients
// and -seed: the Patient, the LOINC Observations the service asks for
// within ten years, every Condition, MedicationRequest and Procedure, as
// searchset Bundles), the patients taken in turn and a new hookInstance in
// every request, so that no two bodies in a row are the same.
//
// The server runs in a child process (this program with -serve) on
// 127.0.0.1, on a new SQLite store (every call writes its audit row), with
// its clock fixed at -now; the client runs in this process. Both share
// the machine's cores, so latencies and rates include the client's work;
// the server's CPU time per request (user+system, /proc/PID/stat) is the
// figure that does not depend on the client or on other load.
//
// For each trust setting (-jwt both: demo mode without JWTs, then ES384
// JWTs verified against a trust file, one pre-signed token with its own
// jti per request) it runs
//
//   - fixed rate: -rate requests/s for -d, open loop (latency counted from
//     when each request was due, so a stalled server is not hidden);
//     prints p50, p99 and the achieved rate;
//
//   - peak: closed loop at each concurrency of -c, at most -n requests or
//     -pd each; prints p50, p99 and requests/s, and the peak.
//
// -server runs another build's cdsload as the server process (any build
// with -serve), so that two servers are measured with the same client.
//
//	go run ./bench/cdsload [-patients 50] [-rate 1000] [-d 10s] [-c 1,2,4,8,16] [-n 4000] [-pd 5s] [-jwt both|on|off] [-cpuprofile F] [-server EXE]
package main

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

func main() {
	serveDir := flag.String("serve", "", "internal: run the server process on the store and trust file in `DIR`")
	patients := flag.Int("patients", 50, "synthetic patients whose calls are sent in turn (1 to 1000)")
	seed := flag.Uint64("seed", 1, "synth seed")
	nowFlag := flag.String("now", "2026-01-02T12:00:00Z", "the server's fixed clock (synth follow-up ends 2026-01-01)")
	rate := flag.Int("rate", 1000, "fixed-rate phase: requests per second (0: skip the phase)")
	d := flag.Duration("d", 10*time.Second, "fixed-rate phase duration (up to 60s)")
	levels := flag.String("c", "1,2,4,8,16", "peak phase: concurrency levels, comma-separated (1 to 64; empty: skip)")
	n := flag.Int("n", 4000, "peak phase: at most this many requests per level (1 to 100000)")
	pd := flag.Duration("pd", 5*time.Second, "peak phase: at most this long per level (up to 60s)")
	jwtMode := flag.String("jwt", "both", "off (demo mode), on (ES384 JWT per request), or both")
	cpuProfile := flag.String("cpuprofile", "", "write the server's CPU profile to `FILE` (with -jwt both, FILE.demo and FILE.jwt)")
	serverExe := flag.String("server", "", "run the server process from the cdsload binary `EXE` (another build) instead of this one")
	flag.Parse()
	now, err := time.Parse(time.RFC3339, *nowFlag)
	if err != nil {
		log.Fatalf("-now: %v", err)
	}
	if *serveDir != "" {
		if err := serve(*serveDir, *jwtMode == "true", now, *cpuProfile); err != nil {
			log.Fatal(err)
		}
		return
	}
	if *patients < 1 || *patients > 1000 || *n < 1 || *n > 100000 || *d > time.Minute || *pd <= 0 || *pd > time.Minute || *rate < 0 || *rate > 20000 {
		log.Fatal("bounds: -patients 1..1000, -n 1..100000, -d and -pd up to 60s, -rate 0..20000")
	}
	var cs []int
	for s := range strings.SplitSeq(*levels, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		c, err := strconv.Atoi(s)
		if err != nil || c < 1 || c > 64 {
			log.Fatalf("-c %q: want numbers from 1 to 64", *levels)
		}
		cs = append(cs, c)
	}
	modes := map[string][]bool{"off": {false}, "on": {true}, "both": {false, true}}[*jwtMode]
	if modes == nil {
		log.Fatal("-jwt: off, on or both")
	}
	body, err := calls(*patients, *seed, now)
	if err != nil {
		log.Fatal(err)
	}
	sizes, obs := make([]int, len(body)), make([]int, len(body))
	for i, c := range body {
		sizes[i], obs[i] = c.size(), c.observations
	}
	slices.Sort(sizes)
	slices.Sort(obs)
	fmt.Printf("POST /cds-services/%s, patient-view, %d synthetic patients in turn (seed %d): observations per prefetch median %d (max %d), body median %d KB (max %d KB)\n",
		serviceID, len(body), *seed, obs[len(obs)/2], obs[len(obs)-1], sizes[len(sizes)/2]>>10, sizes[len(sizes)-1]>>10)
	fmt.Printf("loopback 127.0.0.1; server in a child process, client in this one, on the same %d cores; %s\n", runtime.NumCPU(), time.Now().UTC().Format(time.DateOnly))
	for _, jwt := range modes {
		prof := *cpuProfile
		if prof != "" && len(modes) > 1 {
			prof += map[bool]string{false: ".demo", true: ".jwt"}[jwt]
		}
		if err := runMode(body, jwt, now, *rate, *d, cs, *n, *pd, prof, *serverExe); err != nil {
			log.Fatal(err)
		}
	}
}

// runMode starts a server and runs both phases against it.
func runMode(body []call, jwt bool, now time.Time, rate int, d time.Duration, levels []int, n int, pd time.Duration, prof, exe string) error {
	dir, err := os.MkdirTemp("", "cdsload")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	var sg *signer
	if jwt {
		if sg, err = newSigner(dir); err != nil {
			return err
		}
	}
	srv, err := startServer(exe, dir, jwt, prof)
	if err != nil {
		return err
	}
	defer srv.stop()
	c := &client{
		url:   "http://" + srv.addr + "/cds-services/" + serviceID,
		calls: body,
		// At most 256 connections: beyond them requests wait in the client,
		// their latency still counted from when they were due.
		http: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256, MaxConnsPerHost: 256}, Timeout: 120 * time.Second},
	}
	tokens := func(k int) {
		if sg != nil {
			c.tokens = sg.tokens(k, now)
			c.next.Store(0)
		}
	}
	title := "without JWT (demo mode)"
	if jwt {
		title = "with an ES384 JWT per request, verified (trust file, jwks_file)"
	}
	fmt.Printf("\n== %s\n", title)
	// Warm up: every patient once, and a check of the answer.
	tokens(len(body) * 2)
	cards := 0
	for range 2 {
		for range body {
			n, err := c.do(true)
			if err != nil {
				return fmt.Errorf("warm-up: %w", err)
			}
			cards += n
		}
	}
	fmt.Printf("warm-up: %d calls, %d cards in all\n", 2*len(body), cards)
	fmt.Printf("%-22s %8s %9s %9s %9s %7s %12s %12s %6s\n", "phase", "requests", "p50", "p99", "req/s", "errors", "server CPU", "client CPU", "load")
	peak, peakC := 0.0, 0
	for _, conc := range levels {
		tokens(n)
		r := c.measure(srv, func() ([]time.Duration, int) { return c.closedLoop(conc, n, pd) })
		r.print(fmt.Sprintf("closed loop, c=%d", conc))
		if r.rate > peak {
			peak, peakC = r.rate, conc
		}
	}
	if len(levels) > 0 {
		fmt.Printf("peak %.0f requests/s at concurrency %d\n", peak, peakC)
	}
	// Last: a server that cannot keep up is left with a backlog.
	if rate > 0 {
		k := int(float64(rate) * d.Seconds())
		tokens(k)
		r := c.measure(srv, func() ([]time.Duration, int) { return c.fixedRate(rate, k) })
		r.print(fmt.Sprintf("fixed %d/s, %s", rate, d))
	}
	return nil
}

// client sends the calls in turn.
type client struct {
	url    string
	calls  []call
	http   *http.Client
	turn   atomic.Int64
	tokens []string
	next   atomic.Int64
}

var errNoToken = errors.New("out of pre-signed tokens")

// firstErr is the first failed request's error, printed after its phase.
var firstErr atomic.Pointer[error]

// do sends the next patient's call and, with count, returns the number of
// cards. Without count (the measured phases) it checks the status and that
// the answer starts as a cards response, and decodes nothing: the client
// shares the cores with the server.
func (c *client) do(count bool) (int, error) {
	cl := c.calls[int(c.turn.Add(1)-1)%len(c.calls)]
	hi := newUUID()
	req, err := http.NewRequest(http.MethodPost, c.url, io.MultiReader(bytes.NewReader(cl.head), strings.NewReader(hi), bytes.NewReader(cl.tail)))
	if err != nil {
		return 0, err
	}
	req.ContentLength = int64(cl.size())
	req.Header.Set("Content-Type", "application/json")
	if c.tokens != nil {
		i := int(c.next.Add(1) - 1)
		if i >= len(c.tokens) {
			return 0, errNoToken
		}
		req.Header.Set("Authorization", "Bearer "+c.tokens[i])
	}
	resp, err := c.http.Do(req)
	if err != nil {
		firstErr.CompareAndSwap(nil, &err)
		return 0, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, err
	}
	if resp.StatusCode != http.StatusOK {
		err := fmt.Errorf("%s: %.200s", resp.Status, raw)
		firstErr.CompareAndSwap(nil, &err)
		return 0, err
	}
	if !count {
		if !bytes.HasPrefix(raw, []byte(`{"cards":[`)) {
			return 0, fmt.Errorf("not a cards response: %.200s", raw)
		}
		return 0, nil
	}
	var out struct {
		Cards []json.RawMessage `json:"cards"`
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		return 0, err
	}
	return len(out.Cards), nil
}

func newUUID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	var s [36]byte
	hex.Encode(s[0:8], b[0:4])
	hex.Encode(s[9:13], b[4:6])
	hex.Encode(s[14:18], b[6:8])
	hex.Encode(s[19:23], b[8:10])
	hex.Encode(s[24:], b[10:])
	s[8], s[13], s[18], s[23] = '-', '-', '-', '-'
	return string(s[:])
}

// fixedRate sends k requests at rate per second, each when it is due,
// whatever the answers before it (open loop); the latency of each counts
// from when it was due.
func (c *client) fixedRate(rate, k int) ([]time.Duration, int) {
	var (
		mu   sync.Mutex
		lat  = make([]time.Duration, 0, k)
		errs atomic.Int64
		wg   sync.WaitGroup
	)
	start := time.Now()
	for i := range k {
		due := start.Add(time.Duration(i) * time.Second / time.Duration(rate))
		if w := time.Until(due); w > 0 {
			time.Sleep(w)
		}
		wg.Go(func() {
			if _, err := c.do(false); err != nil {
				errs.Add(1)
				return
			}
			el := time.Since(due)
			mu.Lock()
			lat = append(lat, el)
			mu.Unlock()
		})
	}
	wg.Wait()
	return lat, int(errs.Load())
}

// closedLoop sends up to n requests from conc workers, each waiting for
// its answer, for at most d.
func (c *client) closedLoop(conc, n int, d time.Duration) ([]time.Duration, int) {
	var (
		mu   sync.Mutex
		lat  = make([]time.Duration, 0, n)
		errs atomic.Int64
		left atomic.Int64
		wg   sync.WaitGroup
	)
	left.Store(int64(n))
	deadline := time.Now().Add(d)
	for range conc {
		wg.Go(func() {
			for left.Add(-1) >= 0 && time.Now().Before(deadline) {
				t := time.Now()
				if _, err := c.do(false); err != nil {
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
	return lat, int(errs.Load())
}

// result is one phase's figures.
type result struct {
	lat                  []time.Duration
	errs                 int
	elapsed              time.Duration
	rate                 float64
	serverCPU, clientCPU time.Duration
}

// measure runs a phase and takes the CPU time both processes spent in it.
func (c *client) measure(srv *child, phase func() ([]time.Duration, int)) result {
	s0, c0, t0 := srv.cpu(), selfCPU(), time.Now()
	lat, errs := phase()
	r := result{lat: lat, errs: errs, elapsed: time.Since(t0)}
	r.serverCPU, r.clientCPU = srv.cpu()-s0, selfCPU()-c0
	slices.Sort(r.lat)
	r.rate = float64(len(lat)) / r.elapsed.Seconds()
	return r
}

func (r result) print(phase string) {
	n := len(r.lat)
	if n == 0 {
		fmt.Printf("%-22s no request succeeded (%d errors)\n", phase, r.errs)
		if p := firstErr.Swap(nil); p != nil {
			fmt.Printf("  first error: %v\n", *p)
		}
		return
	}
	per := func(t time.Duration) string {
		return fmt.Sprintf("%.2f ms/req", float64(t)/float64(time.Millisecond)/float64(n+r.errs))
	}
	fmt.Printf("%-22s %8d %9s %9s %9.0f %7d %12s %12s %6s\n", phase, n, pct(r.lat, 50), pct(r.lat, 99), r.rate, r.errs, per(r.serverCPU), per(r.clientCPU), loadAvg())
	if p := firstErr.Swap(nil); p != nil {
		fmt.Printf("  first error: %v\n", *p)
	}
}

// pct is the p-th percentile of sorted latencies (nearest rank).
func pct(sorted []time.Duration, p int) string {
	i := (len(sorted)*p + 99) / 100
	i = min(max(i, 1), len(sorted)) - 1
	return sorted[i].Round(10 * time.Microsecond).String()
}

// loadAvg is the machine's load average over the last minute
// (/proc/loadavg), printed with each phase: other work on the machine
// slows both processes.
func loadAvg() string {
	raw, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(raw)); err == nil && len(f) > 0 {
		return f[0]
	}
	return "?"
}

// selfCPU is this process's user+system CPU time.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
