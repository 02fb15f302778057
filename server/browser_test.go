package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"renalwatch/assess"
)

// chromiumPath is Debian's chromium (installed by .ci/run).
const chromiumPath = "/usr/bin/chromium"

// artefactDir is where the browser test leaves its screenshots:
// $RENALWATCH_ARTEFACTS (.ci/run sets artefacts/browser), else a folder
// in the temporary directory.
func artefactDir(t *testing.T) string {
	dir := os.Getenv("RENALWATCH_ARTEFACTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "renalwatch-artefacts")
	}
	dir = filepath.Join(dir, "browser")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestBrowser drives headless Chromium through the dashboard as a user
// would: open the list, filter to G4, open the patient, and check that the
// eGFR chart drew the patient's values and the six KDIGO G bands (from the
// chart's own record and from the canvas pixels), that the table twin
// holds the same values, and that an alert shows its source. It runs
// whenever chromium is installed; with CI=true a missing chromium fails.
func TestBrowser(t *testing.T) {
	needChromium(t)
	s, _ := newTestServer(t, Config{Demo: true})
	ts := httptest.NewServer(s)
	defer ts.Close()
	out := artefactDir(t)
	ctx, cancel := browser(t, 1200, 900)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 90*time.Second)
	defer cancel()

	// Script errors and CSP violations fail the test.
	var problems []string
	chromedp.ListenTarget(ctx, func(ev any) {
		switch ev := ev.(type) {
		case *runtime.EventExceptionThrown:
			problems = append(problems, "exception: "+ev.ExceptionDetails.Error())
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.APITypeError {
				problems = append(problems, fmt.Sprintf("console.error %v", ev.Args))
			}
		}
	})
	shot := func(name string) chromedp.Action {
		return chromedp.ActionFunc(func(ctx context.Context) error {
			var png []byte
			if err := chromedp.FullScreenshot(&png, 100).Do(ctx); err != nil { // quality 100: PNG
				return err
			}
			return os.WriteFile(filepath.Join(out, name), png, 0o644)
		})
	}

	// section saves a screenshot of the page section titled by heading id.
	section := func(name, id string) chromedp.Action {
		return chromedp.ActionFunc(func(ctx context.Context) error {
			var png []byte
			if err := chromedp.Screenshot(`section[aria-labelledby="`+id+`"]`, &png, chromedp.ByQuery).Do(ctx); err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(out, name), png, 0o644)
		})
	}

	var listIDs []string
	err := chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+"/?as_of="+testAsOf),
		chromedp.WaitVisible(`#patients`, chromedp.ByID),
		shot("1-list.png"),
		chromedp.SetValue(`#f-stage`, "G4", chromedp.ByID),
	)
	if err != nil {
		t.Fatal(err)
	}
	// RunResponse waits for the navigation the click starts.
	if resp, err := chromedp.RunResponse(ctx, chromedp.Click(`#f-apply`, chromedp.ByID)); err != nil || resp.Status != 200 {
		t.Fatalf("submitting the filter: %v %v", resp, err)
	}
	err = chromedp.Run(ctx,
		chromedp.WaitVisible(`#patients`, chromedp.ByID),
		chromedp.Evaluate(`Array.from(document.querySelectorAll('#patients tbody tr[data-id]')).map(r => r.dataset.id)`, &listIDs),
		shot("2-list-g4.png"),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(listIDs, []string{"ln-class-iv-g4"}) {
		t.Fatalf("list filtered to G4 shows %v, want [ln-class-iv-g4]", listIDs)
	}

	type band struct {
		G      string  `json:"g"`
		Lo     float64 `json:"lo"`
		Colour string  `json:"colour"`
		X      int     `json:"x"`
		Y0     int     `json:"y0"`
		Y1     int     `json:"y1"`
	}
	var (
		chartPoints []float64
		tablePoints []float64
		bands       []band
		alertText   string
		ready       bool
		legend      string // the legend's eGFR at the last point
		lastCell    string // the table twin's last eGFR cell
		restLegend  []string
		xTicks      []string
		skipLink    string
	)
	if resp, err := chromedp.RunResponse(ctx, chromedp.Click(`#patients tbody a`, chromedp.ByQuery)); err != nil || resp.Status != 200 {
		t.Fatalf("opening the patient: %v %v", resp, err)
	}
	err = chromedp.Run(ctx,
		chromedp.WaitVisible(`#chart-egfr canvas`, chromedp.ByQuery),
		chromedp.Poll(`window.renalwatchCharts && window.renalwatchCharts.ready`, &ready, chromedp.WithPollingTimeout(20*time.Second)),
		chromedp.Evaluate(`window.renalwatchCharts.egfr.points`, &chartPoints),
		chromedp.Evaluate(`Array.from(document.querySelectorAll('#tbl-egfr td[data-value]')).map(td => Number(td.dataset.value))`, &tablePoints),
		chromedp.Evaluate(`window.renalwatchCharts.egfr.bands`, &bands),
		chromedp.Text(`#alerts`, &alertText, chromedp.ByID),
		// At rest (no cursor) the legend names the series and shows the
		// latest point: date and value (trial-web #17), and the time axes
		// read ISO dates (trial-web #18).
		chromedp.Evaluate(`Array.from(document.querySelectorAll('#chart-egfr .u-legend .u-series')).map(s => s.textContent.trim())`, &restLegend),
		chromedp.Evaluate(`window.renalwatchCharts.xTicks`, &xTicks),
		chromedp.Evaluate(`document.querySelector('a.skip[href="#main"]') && document.getElementById('main') ? document.querySelector('a.skip').textContent : ''`, &skipLink),
		chromedp.Evaluate(`(function () { var p = window.renalwatchCharts.egfr.plot; var x = p.data[0], v = p.data[1], i = x.length - 1;
			while (i > 0 && v[i] == null) { i--; } p.setLegend({ idx: i });
			return document.querySelector('#chart-egfr .u-legend .u-series:nth-child(2) .u-value').textContent; })()`, &legend),
		chromedp.Evaluate(`Array.from(document.querySelectorAll('#tbl-egfr td[data-value]')).pop().textContent`, &lastCell),
		shot("3-patient.png"),
		chromedp.ActionFunc(func(ctx context.Context) error {
			var png []byte
			if err := chromedp.CaptureScreenshot(&png).Do(ctx); err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(out, "3-patient-top.png"), png, 0o644)
		}),
		section("4-egfr-chart.png", "h-egfr"),
		section("5-protein-chart.png", "h-prot"),
		section("6-therapies.png", "h-ther"),
		section("7-lupus.png", "h-lupus"),
		section("8-labs.png", "h-labs"),
		section("9-not-assessed.png", "h-missing"),
	)
	if err != nil {
		t.Fatal(err)
	}

	// The values the chart must show: the assessment's eGFR series.
	tl, err := s.cfg.Store.Timeline(context.Background(), "ln-class-iv-g4")
	if err != nil {
		t.Fatal(err)
	}
	end, _ := time.Parse(time.DateOnly, testAsOf)
	a := assess.Assess(tl, end.Add(24*time.Hour-time.Nanosecond), assess.DefaultConfig())
	var want []float64
	for _, p := range a.Kidney.Series.All() {
		if p.Value != nil {
			want = append(want, *p.Value)
		}
	}
	if len(want) < 5 {
		t.Fatalf("the demo patient has %d eGFR values; the test needs a course", len(want))
	}
	if !slices.Equal(chartPoints, want) {
		t.Errorf("chart drew %v, want the assessment's series %v", chartPoints, want)
	}
	// The legend reads the value as the table and the text report round it
	// (internal/textfmt), not the float drawn (27.1...).
	if legend == "" || legend != lastCell {
		t.Errorf("chart legend shows %q at the last point, the table %q", legend, lastCell)
	}
	if len(restLegend) < 2 || !regexp.MustCompile(`^Date\s*\d{4}-\d\d-\d\d$`).MatchString(restLegend[0]) || !strings.HasSuffix(restLegend[1], lastCell) || strings.Contains(strings.Join(restLegend, " "), "--") {
		t.Errorf("legend at rest %q: want the date and eGFR %s of the latest point", restLegend, lastCell)
	}
	isoTick := regexp.MustCompile(`^\d{4}(-\d\d){0,2}$`)
	for _, x := range xTicks {
		if !isoTick.MatchString(x) {
			t.Errorf("time axis label %q is not an ISO date", x)
			break
		}
	}
	if len(xTicks) == 0 || skipLink == "" {
		t.Errorf("%d axis labels; skip link %q", len(xTicks), skipLink)
	}
	if !slices.Equal(tablePoints, want) {
		t.Errorf("table twin holds %v, want %v", tablePoints, want)
	}
	var names []string
	for _, b := range bands {
		names = append(names, b.G)
	}
	if !slices.Equal(names, []string{"G1", "G2", "G3a", "G3b", "G4", "G5"}) {
		t.Fatalf("bands drawn %v", names)
	}
	// Read the canvas inside each band (left edge of the plot, where no
	// series passes) and compare with the band's colour: at least one of
	// five rows across the band, since grid lines cross some of them.
	for _, b := range bands {
		if b.Y1-b.Y0 < 4 {
			t.Errorf("band %s is %d px high", b.G, b.Y1-b.Y0)
			continue
		}
		var seen []string
		for i := 1; i <= 5; i++ {
			var rgba []int
			y := b.Y0 + (b.Y1-b.Y0)*i/6
			js := fmt.Sprintf(`Array.from(document.querySelector('#chart-egfr canvas').getContext('2d').getImageData(%d, %d, 1, 1).data)`, b.X, y)
			if err := chromedp.Run(ctx, chromedp.Evaluate(js, &rgba)); err != nil {
				t.Fatal(err)
			}
			seen = append(seen, fmt.Sprintf("#%02x%02x%02x", rgba[0], rgba[1], rgba[2]))
		}
		if !slices.Contains(seen, b.Colour) {
			t.Errorf("band %s: pixels %v, none is %s", b.G, seen, b.Colour)
		}
	}
	if !strings.Contains(alertText, "ckd-g4") || !strings.Contains(alertText, "Source: KDIGO") {
		t.Errorf("alerts do not show ckd-g4 with its source:\n%s", alertText)
	}
	if len(problems) > 0 {
		t.Errorf("browser errors: %s", strings.Join(problems, "; "))
	}
	b, _ := json.Marshal(bands)
	t.Logf("screenshots in %s; bands %s", out, b)
}

// needChromium skips the test when chromium is not installed, and fails it
// under CI=true (.ci/run installs it).
func needChromium(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath(chromiumPath); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true but %s is missing: .ci/run installs it (apt-get install chromium)", chromiumPath)
		}
		t.Skipf("skipped: %s is not installed (apt-get install -y chromium); CI installs it and runs this test", chromiumPath)
	}
}

// browser starts a headless Chromium with a window of w x h pixels and its
// own profile (chromiumProfile), as the machine allows it (no sandbox, no
// GPU, no background networking); cancel closes it.
func browser(t *testing.T, w, h int) (context.Context, context.CancelFunc) {
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.NoFirstRun, chromedp.UserDataDir(chromiumProfile(t)),
		chromedp.WindowSize(w, h),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	return ctx, func() { cancelCtx(); cancelAlloc() }
}

// chromiumProfile is a profile folder for one browser, removed after the
// test, retrying briefly: Chromium's helper processes may still write to
// it for a moment after the browser is closed (t.TempDir's cleanup would
// fail the test).
func chromiumProfile(t *testing.T) string {
	profile, err := os.MkdirTemp("", "renalwatch-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		var err error
		for range 20 {
			if err = os.RemoveAll(profile); err == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Logf("chromium profile %s left behind: %v", profile, err)
	})
	return profile
}
