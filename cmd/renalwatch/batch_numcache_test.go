package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// TestNumCache: the cache gives plainNumber's answer for every cell, first
// and later look-ups, colliding cells, cells of every length around the
// packing limit, and cells that are not numbers.
func TestNumCache(t *testing.T) {
	cells := []string{"", "0", "1", "1.2", "1.20", "01.2", "54", "054", "-1", "1e3", "1e400", "NaN", "Inf", "0x10", "1,2", " 1", "1.2mg", "1234567", "12345678", "1.234567", "e", ".", "-", "+5", "5."}
	r := rand.New(rand.NewPCG(1, 1))
	for range 5000 {
		cells = append(cells, strconv.FormatFloat(float64(r.IntN(2000))/100, 'f', -1, 64), strconv.Itoa(r.IntN(130)),
			strconv.FormatFloat(r.Float64()*100, 'g', -1, 64))
	}
	var c numCache
	var nilCache *numCache
	for round := range 3 {
		for _, s := range cells {
			wv, wok := plainNumber([]byte(s))
			for _, nc := range []*numCache{&c, nilCache} {
				v, ok := nc.parse([]byte(s))
				if ok != wok || math.Float64bits(v) != math.Float64bits(wv) {
					t.Fatalf("round %d, %q: cache %v %v, plainNumber %v %v", round, s, v, ok, wv, wok)
				}
			}
		}
	}
}

// TestBatchNumCacheSameOutput: the CSV written with the workers' number
// caches is byte for byte the CSV written without them, on registry-shaped
// rows and on the hostile and unit test tables repeated.
func TestBatchNumCacheSameOutput(t *testing.T) {
	tables := map[string][]byte{"registry": benchTable(20_000)}
	for _, name := range []string{"egfr_hostile.csv", "egfr_units.csv"} {
		data, err := os.ReadFile(filepath.Join("testdata", "batch", name))
		if err != nil {
			t.Fatal(err)
		}
		header, body, _ := bytes.Cut(data, []byte("\n"))
		if !bytes.HasSuffix(body, []byte("\n")) {
			body = append(body, '\n')
		}
		tables[name] = append(append(header, '\n'), bytes.Repeat(body, 200)...)
	}
	for name, data := range tables {
		for _, eq := range []string{"ckd-epi-2021", "ckd-epi-2021-cys", "all"} {
			run := func(cache bool) (string, int, int, error) {
				var out bytes.Buffer
				w := bufio.NewWriter(&out)
				setup := func(h tableHeader) (*batchCalc, error) {
					calc, err := newEGFRBatch(h.names, egfrEquations(eq), eq == "all")
					if err == nil && !cache {
						calc.perWorker = nil
					}
					return calc, err
				}
				n, failed, err := batchCopy(context.Background(), "egfr", bytes.NewReader(data), w, setup)
				w.Flush()
				return out.String(), n, failed, err
			}
			want, wn, wf, werr := run(false)
			got, gn, gf, gerr := run(true)
			if fmt.Sprint(werr) != fmt.Sprint(gerr) || wn != gn || wf != gf {
				t.Errorf("%s, %s: without caches %d rows, %d failed, %v; with %d, %d, %v", name, eq, wn, wf, werr, gn, gf, gerr)
			}
			if got != want {
				t.Errorf("%s, %s: output with the number caches differs", name, eq)
			}
		}
	}
}

// TestFieldNeedsQuotes: the byte loop decides as encoding/csv's rule, which
// it replaced: a comma, quote, CR or LF anywhere, `\.`, or a leading space
// (unicode.IsSpace of the first rune).
func TestFieldNeedsQuotes(t *testing.T) {
	want := func(s string) bool {
		if s == "" {
			return false
		}
		if s == `\.` || strings.ContainsAny(s, "\",\r\n") {
			return true
		}
		r, _ := utf8.DecodeRuneInString(s)
		return unicode.IsSpace(r)
	}
	cells := []string{"", "a", "G3a", "1.5", " a", "\ta", "\va", "\fa", "\u0085a", "\u00a0a", "\u2003a", "a b", "a,b", "a\"b", "a\rb", "a\nb", `\.`, `\.x`, "\xff", "é", "\x00", "\x1c", "\x85"}
	for b := range 256 {
		cells = append(cells, string([]byte{byte(b)}), string([]byte{byte(b), 'x'}))
	}
	for _, s := range cells {
		if got := fieldNeedsQuotes(s); got != want(s) {
			t.Errorf("fieldNeedsQuotes(%q) = %v, want %v", s, got, want(s))
		}
	}
}
