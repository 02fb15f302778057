package server

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestPatientPageKRT (trial 3 #13): for the demo patient with
// haemodialysis (2023-06-05 to 2025-03-10) and then a kidney transplant
// (2025-03-18), the chart data the page draws from puts the eGFRs before
// the transplant in the native-kidney series and those after it in the
// graft series, never in one segment across a KRT start or end; the
// dialysis period and the transplant are in the data, and in the table
// beside the chart (the text alternative).
func TestPatientPageKRT(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	body := string(readAll(t, do(t, s, "GET", "/patients/dialysis?as_of="+testAsOf, nil, nil)))
	m := regexp.MustCompile(`(?s)<script type="application/json" id="chart-data">(.*?)</script>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no chart data")
	}
	var c chartData
	if err := json.Unmarshal([]byte(m[1]), &c); err != nil {
		t.Fatal(err)
	}
	if len(c.KRT) != 2 || c.KRT[0].Kind != "dialysis" || c.KRT[0].From != "2023-06-05" || c.KRT[0].To != "2025-03-10" || c.KRT[0].End == nil ||
		c.KRT[1].Kind != "transplant" || c.KRT[1].From != "2025-03-18" || c.KRT[1].End != nil {
		t.Fatalf("KRT %+v", c.KRT)
	}
	tx := c.KRT[1].Start
	var kinds []string
	for _, k := range c.EGFR.Series {
		kinds = append(kinds, k.Kidney)
	}
	if strings.Join(kinds, " ") != "native graft" {
		t.Errorf("series %v, want native graft", kinds)
	}
	// The trial's points: native eGFR 8 on 2023-05-25, graft 52 on 2025-04-10.
	var last8, first52 *egfrPoint
	for i, p := range c.EGFR.Points {
		if want := map[bool]string{true: kidneyGraft, false: kidneyNative}[p.T > tx]; p.Kidney != want {
			t.Errorf("%s: kidney %s, want %s", p.Date, p.Kidney, want)
		}
		switch p.Date {
		case "2023-05-25":
			last8 = &c.EGFR.Points[i]
		case "2025-04-10":
			first52 = &c.EGFR.Points[i]
		}
	}
	if last8 == nil || first52 == nil || last8.Text != "8" || first52.Text != "52" {
		t.Fatalf("the trial's points: %+v %+v", last8, first52)
	}
	if last8.Segment == first52.Segment {
		t.Errorf("native eGFR 8 and graft eGFR 52 in one segment %d: the line would join them", last8.Segment)
	}
	// No two points of one segment, eGFR or proteinuria, have a KRT start
	// or end between them.
	type pt struct {
		t   int64
		seg int
		key string
	}
	var all []pt
	for _, p := range c.EGFR.Points {
		all = append(all, pt{p.T, p.Segment, "egfr " + p.Date})
	}
	for _, p := range c.Protein.Points {
		all = append(all, pt{p.T, p.Segment, p.Analyte + " " + p.Date})
	}
	for i := range all {
		for j := range all {
			a, b := all[i], all[j]
			if a.seg != b.seg || a.t >= b.t || a.key[:4] != b.key[:4] {
				continue
			}
			for _, k := range c.KRT {
				for _, e := range []*int64{&k.Start, k.End} {
					if e != nil && *e > a.t && *e < b.t {
						t.Errorf("%s and %s in one segment across %s %s", a.key, b.key, k.Kind, time.Unix(*e, 0).UTC().Format(time.DateOnly))
					}
				}
			}
		}
	}
	// The text alternative: the periods in a table the chart names, and
	// each eGFR row says which kidney it describes.
	if !strings.Contains(body, `aria-describedby="tbl-egfr tbl-krt"`) {
		t.Error("the eGFR chart does not name the KRT table")
	}
	krt := regexp.MustCompile(`(?s)<table id="tbl-krt"[^>]*>.*?</table>`).FindString(body)
	for _, want := range []string{`<tr data-kind="dialysis"><th scope="row">haemodialysis</th><td data-label="From" class="nw">2023-06-05</td><td data-label="To" class="nw">2025-03-10</td>`, `<tr data-kind="transplant"><th scope="row">kidney transplant</th><td data-label="From" class="nw">2025-03-18</td>`} {
		if !strings.Contains(krt, want) {
			t.Errorf("KRT table lacks %s:\n%s", want, krt)
		}
	}
	table := regexp.MustCompile(`(?s)<table id="tbl-egfr"[^>]*>.*?</table>`).FindString(body)
	if n, g := strings.Count(table, `data-kidney="native"`), strings.Count(table, `data-kidney="graft"`); n != 9 || g != 7 {
		t.Errorf("eGFR table: %d native and %d graft rows, want 9 and 7", n, g)
	}
	if !strings.Contains(body, `id="krt-key"`) {
		t.Error("no key to the KRT marks above the chart")
	}
	// A patient without KRT has no KRT table, key or column.
	body = string(readAll(t, do(t, s, "GET", "/patients/ln-class-iv-g4?as_of="+testAsOf, nil, nil)))
	if strings.Contains(body, "tbl-krt") || strings.Contains(body, "krt-key") || strings.Contains(body, "data-kidney") {
		t.Error("KRT table, key or column without KRT")
	}
}

// TestChartContrast: the colours the charts draw the kidney replacement
// therapy and the eGFR series with are told apart from the KDIGO G bands
// they lie on by at least 3:1 (WCAG 2.2 SC 1.4.11, non-text contrast), and
// their labels, drawn on a white halo, read at 4.5:1 (SC 1.4.3).
func TestChartContrast(t *testing.T) {
	hex := func(s string) string { return strings.TrimPrefix(s, "#") }
	var graphics = map[string]string{"transplant line": krtColours.TransplantLine, "dialysis hatching": krtColours.DialysisHatch}
	for _, k := range kidneySeriesStyle {
		graphics[k.Label] = k.Colour
	}
	for name, col := range graphics {
		for _, b := range gBands {
			if r := contrast(hex(col), hex(b.Colour)); r < 3 {
				t.Errorf("%s %s on band %s %s: %.2f:1, below 3:1", name, col, b.G, b.Colour, r)
			}
			// on the band under the translucent dialysis fill too
			if r := contrast(hex(col), blend(t, krtColours.DialysisFill, hex(b.Colour))); r < 3 {
				t.Errorf("%s %s on band %s under the dialysis fill: %.2f:1, below 3:1", name, col, b.G, r)
			}
		}
	}
	for name, col := range map[string]string{"transplant label": krtColours.TransplantLine, "dialysis label": krtColours.DialysisText} {
		if r := contrast(hex(col), "ffffff"); r < 4.5 {
			t.Errorf("%s %s on white: %.2f:1, below 4.5:1", name, col, r)
		}
	}
	// the check itself: a pale line on the G1 band fails
	if r := contrast("a5d6a7", hex(gBands[0].Colour)); r >= 3 {
		t.Errorf("#a5d6a7 on G1 %.2f:1, expected below 3:1", r)
	}
}

// blend is the colour of rgba(r,g,b,a) painted over the opaque colour
// under, as 6 hex digits.
func blend(t *testing.T, rgba, under string) string {
	m := regexp.MustCompile(`^rgba\((\d+),(\d+),(\d+),([0-9.]+)\)$`).FindStringSubmatch(rgba)
	if m == nil {
		t.Fatalf("%q is not rgba(r,g,b,a)", rgba)
	}
	a, _ := strconv.ParseFloat(m[4], 64)
	out := ""
	for i := range 3 {
		top, _ := strconv.Atoi(m[1+i])
		u, _ := strconv.ParseUint(under[2*i:2*i+2], 16, 8)
		v := int(float64(top)*a + float64(u)*(1-a) + 0.5)
		out += strconv.FormatInt(int64(v)+0x100, 16)[1:]
	}
	return out
}
