package cdshooks

import (
	"encoding/json"
	"io"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"
)

// tenYearPrefetch is ln-class-iv-g4's prefetch (results 2019-2026) made
// into a dense ten-year record: each Observation is repeated four weeks
// apart six times, and the whole series once more three years earlier,
// dropping what falls outside the ten-year window. That is about 1,300
// Observations, a monthly panel of a dozen analytes for ten years.
func tenYearPrefetch(b testing.TB) (map[string]json.RawMessage, int) {
	res := demoResources(b, "ln-class-iv-g4", 3653*24*time.Hour)
	var obs []json.RawMessage
	n := 0
	for _, years := range []int{0, 3} {
		for k := range 6 {
			for _, r := range res["observations"] {
				var m map[string]any
				json.Unmarshal(r, &m)
				if years > 0 || k > 0 {
					n++
					m["id"] = m["id"].(string) + "-c" + strconv.Itoa(n)
					s := m["effectiveDateTime"].(string)
					t, err := time.Parse(time.RFC3339, s)
					if err != nil {
						t, _ = time.Parse(time.DateOnly, s[:10])
					}
					t = t.AddDate(-years, 0, -28*k)
					if t.Before(asOf.AddDate(-10, 0, 0)) {
						continue
					}
					m["effectiveDateTime"] = t.Format(time.RFC3339)
				}
				raw, _ := json.Marshal(m)
				obs = append(obs, raw)
			}
		}
	}
	pf := demoPrefetch(b, "ln-class-iv-g4")
	pf["observations"] = searchset(obs, "")
	return pf, len(obs)
}

// BenchmarkPatientView: one patient-view call with a ten-year prefetch
// through the handler, in process (httptest recorder: no socket).
func BenchmarkPatientView(b *testing.B) {
	pf, n := tenYearPrefetch(b)
	body := callBody(b, "ln-class-iv-g4", pf, nil)
	h := demoHandler(b)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, postJSON(body))
		if w.Code != 200 {
			b.Fatal(w.Code, w.Body)
		}
	}
	b.ReportMetric(float64(n), "observations")
}

// BenchmarkPatientViewLoopback: the same call over a loopback TCP server
// (httptest.NewServer), from parallel clients, so that requests/s include
// HTTP parsing and the socket; -cpu sets the client parallelism.
func BenchmarkPatientViewLoopback(b *testing.B) {
	pf, n := tenYearPrefetch(b)
	body := callBody(b, "ln-class-iv-g4", pf, nil)
	srv := httptest.NewServer(demoHandler(b))
	defer srv.Close()
	client := srv.Client()
	b.SetBytes(int64(len(body)))
	b.ResetTimer()
	b.RunParallel(func(p *testing.PB) {
		for p.Next() {
			resp, err := client.Post(srv.URL+servicePath(), "application/json", bytesReader(body))
			if err != nil {
				b.Error(err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				b.Error(resp.Status)
				return
			}
		}
	})
	b.ReportMetric(float64(n), "observations")
}

// BenchmarkPatientViewDemo: the call with ln-class-iv-g4's own prefetch
// (its LOINC Observations, 2019-2026), for scale.
func BenchmarkPatientViewDemo(b *testing.B) {
	body := callBody(b, "ln-class-iv-g4", demoPrefetch(b, "ln-class-iv-g4"), nil)
	h := demoHandler(b)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, postJSON(body))
		if w.Code != 200 {
			b.Fatal(w.Code, w.Body)
		}
	}
}
