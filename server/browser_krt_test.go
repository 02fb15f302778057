package server

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserKRT (trial 3 #13) opens the demo patient who had
// haemodialysis and then a kidney transplant, at a desktop and a phone
// width, and checks what the charts drew: no eGFR line joins a native
// value to a graft value or crosses a dialysis period, the dialysis band
// and the transplant line are drawn (from the chart's record and from the
// canvas pixels), the legend names them, and the chart fits the page.
func TestBrowserKRT(t *testing.T) {
	needChromium(t)
	s, _ := newTestServer(t, Config{Demo: true})
	ts := httptest.NewServer(s)
	defer ts.Close()
	out := artefactDir(t)
	for _, width := range []int{1280, 390} {
		t.Run(fmt.Sprint(width), func(t *testing.T) {
			ctx, cancel := browser(t, width, 1000)
			defer cancel()
			ctx, cancel = context.WithTimeout(ctx, 60*time.Second)
			defer cancel()
			var (
				ready  bool
				series []string
				krt    []struct {
					Kind, From, To string
					X0, X1         int
				}
				crossings          []string
				legend             []string
				chartW, pageW, vpW float64
				hatch, plain       []int
			)
			// crossings: for each eGFR series, two consecutive values that
			// the line joins (no null between) although a KRT start or end
			// lies between them.
			// crossings: for each eGFR and proteinuria series, two
			// consecutive values with a KRT start or end between them that
			// uPlot would join, in part or whole: it clips a gap only
			// where every entry between the two values is null.
			const crossJS = `(function () {
				var data = JSON.parse(document.getElementById('chart-data').textContent), out = [];
				var ev = []; data.krt.forEach(function (k) { ev.push(k.start); if (k.end !== null) { ev.push(k.end); } });
				var c = window.renalwatchCharts;
				[["egfr", c.egfr.data, c.egfr.series], ["protein", c.protein.data, ["upcr", "acr"]]].forEach(function (ch) {
					var d = ch[1], x = d[0];
					for (var s = 1; s <= ch[2].length; s++) {
						var last = -1, cut = true;
						for (var i = 0; i < x.length; i++) {
							if (d[s][i] === null) { continue; }
							if (d[s][i] === undefined) { cut = false; continue; }
							if (last >= 0 && !(cut && i > last + 1) && ev.some(function (e) { return e > x[last] && e < x[i]; })) {
								out.push(ch[0] + " " + ch[2][s - 1] + " " + new Date(x[last] * 1000).toISOString().slice(0, 10) + " to " + new Date(x[i] * 1000).toISOString().slice(0, 10));
							}
							last = i; cut = true;
						}
					}
				});
				return out; })()`
			err := chromedp.Run(ctx,
				chromedp.Navigate(ts.URL+"/patients/dialysis?as_of="+testAsOf),
				chromedp.WaitVisible(`#chart-egfr canvas`, chromedp.ByQuery),
				chromedp.Poll(`window.renalwatchCharts && window.renalwatchCharts.ready`, &ready, chromedp.WithPollingTimeout(20*time.Second)),
				chromedp.Evaluate(`window.renalwatchCharts.egfr.series`, &series),
				chromedp.Evaluate(`window.renalwatchCharts.egfr.krt`, &krt),
				chromedp.Evaluate(crossJS, &crossings),
				chromedp.Evaluate(`Array.from(document.querySelectorAll('#chart-egfr .u-legend .u-series')).map(s => s.textContent.trim())`, &legend),
				chromedp.Evaluate(`document.querySelector('#chart-egfr .uplot').getBoundingClientRect().right`, &chartW),
				chromedp.Evaluate(`document.getElementById('main').getBoundingClientRect().right`, &pageW),
				chromedp.Evaluate(`window.innerWidth`, &vpW),
			)
			if err != nil {
				t.Fatal(err)
			}
			if len(series) != 2 || series[0] != kidneyNative || series[1] != kidneyGraft {
				t.Errorf("eGFR series %v, want [native graft]", series)
			}
			if len(crossings) > 0 {
				t.Errorf("eGFR lines join values across a KRT start or end: %v", crossings)
			}
			var kinds []string
			for _, k := range krt {
				kinds = append(kinds, k.Kind+" "+k.From+" "+k.To)
			}
			if got := strings.Join(kinds, "; "); got != "dialysis 2023-06-05 2025-03-10; transplant 2025-03-18 " {
				t.Errorf("KRT drawn: %q", got)
			}
			joined := strings.Join(legend, " | ")
			for _, want := range []string{"dialysis (hatched band)2023-06-05 to 2025-03-10", "kidney transplant (solid line)2025-03-18", "eGFR, native kidneys", "eGFR, kidney graft"} {
				if !strings.Contains(joined, want) {
					t.Errorf("legend %q lacks %q", joined, want)
				}
			}
			if chartW > pageW+1 || chartW > vpW {
				t.Errorf("at %d px the chart ends at %.0f px, the page at %.0f, the window is %.0f wide", width, chartW, pageW, vpW)
			}
			// The band's pixels: inside the dialysis band, low in the plot
			// (G5, where no point lies), some pixel differs from the G5
			// colour, which fills the same row outside the band.
			if len(krt) > 0 && krt[0].X1-krt[0].X0 >= 4 {
				// x < 0: the left edge of the plot, where no series passes
				js := func(x int) string {
					return fmt.Sprintf(`(function () { var c = document.querySelector('#chart-egfr canvas'), g = c.getContext('2d'), b = window.renalwatchCharts.egfr.bands.filter(function (b) { return b.g === 'G5'; })[0];
						var x = %d < 0 ? b.x : %d, y = Math.round((b.y0 + b.y1) / 2), out = []; for (var dx = 0; dx < 10; dx++) { var p = g.getImageData(x + dx, y, 1, 1).data; out.push(p[0], p[1], p[2]); } return out; })()`, x, x)
				}
				if err := chromedp.Run(ctx, chromedp.Evaluate(js((krt[0].X0+krt[0].X1)/2-5), &hatch), chromedp.Evaluate(js(-1), &plain)); err != nil {
					t.Fatal(err)
				}
				if fmt.Sprint(hatch) == fmt.Sprint(plain) {
					t.Errorf("dialysis band: pixels %v inside equal those outside %v", hatch, plain)
				}
			}
			var png []byte
			if err := chromedp.Run(ctx, chromedp.Screenshot(`section[aria-labelledby="h-egfr"]`, &png, chromedp.ByQuery)); err == nil {
				_ = os.WriteFile(filepath.Join(out, fmt.Sprintf("krt-egfr-%d.png", width)), png, 0o644)
			}
		})
	}
}
