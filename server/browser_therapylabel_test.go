package server

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserTherapyAxisNames: the therapy chart's y axis has room for
// about 120 pixels of text (AXIS); the stem-cell patient's "mesenchymal
// stem cells" was clipped at the canvas edge to "senchymal stem cells"
// (trial 11). A longer name is now cut at a word with an ellipsis, and the
// shorter ones are drawn as they are.
func TestBrowserTherapyAxisNames(t *testing.T) {
	needChromium(t)
	s, _ := newTestServer(t, Config{Demo: true})
	ts := httptest.NewServer(s)
	defer ts.Close()
	ctx, cancel := browser(t, 1200, 900)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	var ready bool
	var rows, labels []string
	var widths []float64
	err := chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+"/patients/stem-cell"),
		chromedp.Poll(`window.renalwatchCharts && window.renalwatchCharts.ready`, &ready, chromedp.WithPollingTimeout(20*time.Second)),
		chromedp.Evaluate(`window.renalwatchCharts.therapy.rows`, &rows),
		chromedp.Evaluate(`window.renalwatchCharts.therapy.labels`, &labels),
		chromedp.Evaluate(`(function () { var c = document.createElement("canvas").getContext("2d"); c.font = "12px sans-serif";
			return window.renalwatchCharts.therapy.labels.map(function (l) { return c.measureText(l).width; }); })()`, &widths),
	)
	if err != nil {
		t.Fatal(err)
	}
	if len(labels) != len(rows) || len(rows) == 0 {
		t.Fatalf("rows %q, labels %q", rows, labels)
	}
	found := false
	for i, r := range rows {
		// The axis is 130 px wide (charts.js AXIS), less its 4 px gap.
		if widths[i] > 126 {
			t.Errorf("label %q for %q is %.0f px wide, more than the axis holds", labels[i], r, widths[i])
		}
		if len([]rune(r)) <= 12 && labels[i] != r {
			t.Errorf("label %q for %q: a name that fits is drawn as it is", labels[i], r)
		}
		if r == "mesenchymal stem cells" {
			found = true
			if labels[i] == r || !strings.HasSuffix(labels[i], "\u2026") || !strings.HasPrefix(r, strings.TrimSuffix(labels[i], "\u2026")) {
				t.Errorf("label for %q is %q, want a start of the name cut with an ellipsis", r, labels[i])
			}
		}
	}
	if !found {
		t.Errorf("no mesenchymal stem cells row among %q", rows)
	}
}
