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

	"renalwatch/fhir/cdshooks"
)

// fitScript reports what does not fit the window: the page's scroll width
// against the window's, every element of the page whose right edge lies
// beyond the window (a table in a scrolling wrapper counts: it is not
// fully visible), and every cell of a stacked table (class stack) that is
// not shown as a block, or whose value is not named by its column.
const fitScript = `(function () {
	var w = window.innerWidth, out = { scrollWidth: document.documentElement.scrollWidth, innerWidth: w, beyond: [], unstacked: [], unlabelled: [], tables: 0 };
	var name = function (e) { return e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className == 'string' ? '.' + e.className.replace(/ /g, '.') : ''); };
	document.querySelectorAll('main *').forEach(function (e) {
		var r = e.getBoundingClientRect();
		if (r.width > 0 && r.right > w + 0.5) { out.beyond.push(name(e) + ' ends at ' + Math.round(r.right) + ': ' + e.textContent.trim().slice(0, 40)); }
	});
	document.querySelectorAll('main table').forEach(function (t) {
		if (t.closest('.u-legend')) { return; }
		out.tables++;
		if (!t.classList.contains('stack') || w > 600) { return; }
		t.querySelectorAll('tbody td, tfoot td').forEach(function (td) {
			if (getComputedStyle(td).display == 'table-cell') { out.unstacked.push(name(t)); }
			if (td.dataset.label && getComputedStyle(td, '::before').content.indexOf(td.dataset.label) < 0) { out.unlabelled.push(name(t) + ' ' + td.dataset.label); }
		});
	});
	out.beyond = out.beyond.slice(0, 8); out.unstacked = out.unstacked.slice(0, 3); out.unlabelled = out.unlabelled.slice(0, 3);
	return out;
})()`

// TestBrowserPhone opens every page at a phone's width (390 px, an iPhone
// 12 to 15) and at a desktop's (1280 px) and checks that nothing is wider
// than the window: the page does not scroll sideways, every table is
// fully visible (a wide one is stacked into one block per row, each value
// named by its column), and no text runs off the right edge. Screenshots
// go to the artefact folder (phone-*.png).
func TestBrowserPhone(t *testing.T) {
	needChromium(t)
	// CDS Hooks on, with feedback: the feedback page shows its table and
	// the API page the CDS operations.
	fb := fixedCounts{{AlertCode: "kfre-2y-multidisciplinary", Accepted: 12, Overridden: 3}, {AlertCode: "ckd-g4", Accepted: 3}}
	s, _ := newTestServer(t, Config{Demo: true, CDS: &cdshooks.Config{Demo: true, Feedback: fb}})
	ts := httptest.NewServer(s)
	defer ts.Close()
	out := artefactDir(t)
	pages := []struct{ name, path, table string }{
		{"list", "/?as_of=" + testAsOf, "#patients"},
		{"list-g4", "/?stage=G4&as_of=" + testAsOf, "#patients"},
		{"calculators", "/calculators", ""},
		{"import", "/import", ""},
		{"docs", "/docs/api", ""},
		{"cds-feedback", "/cds/feedback", "#cds-feedback"},
	}
	for _, id := range []string{"ln-class-iv-g4", "ln-complete-response", "child-ln", "dialysis", "stem-cell"} {
		pages = append(pages, struct{ name, path, table string }{id, "/patients/" + id + "?as_of=" + testAsOf, "#tbl-labs"})
	}
	pages = append(pages, struct{ name, path, table string }{"ln-class-iv-g4-si", "/patients/ln-class-iv-g4?units=si&as_of=" + testAsOf, "#tbl-labs"})
	for _, width := range []int{390, 1280} {
		t.Run(fmt.Sprint(width), func(t *testing.T) {
			ctx, cancel := browser(t, width, 844)
			defer cancel()
			ctx, cancel = context.WithTimeout(ctx, 120*time.Second)
			defer cancel()
			// Headless Chromium keeps a window at least 500 px wide: the
			// viewport is set as a device's (not a mobile one, which would
			// zoom out to fit a page wider than the screen and hide it).
			if err := chromedp.Run(ctx, chromedp.EmulateViewport(int64(width), 844)); err != nil {
				t.Fatal(err)
			}
			for _, p := range pages {
				var fit struct {
					ScrollWidth, InnerWidth float64
					Beyond, Unstacked       []string
					Unlabelled              []string
					Tables                  int
				}
				var keyVisible bool
				var png []byte
				key := p.table
				if key == "" {
					key = "main"
				}
				err := chromedp.Run(ctx,
					chromedp.Navigate(ts.URL+p.path),
					chromedp.WaitVisible(`main`, chromedp.ByQuery),
					chromedp.Evaluate(fitScript, &fit),
					chromedp.Evaluate(`(function () { var e = document.querySelector('`+key+`'); if (!e) { return false; } var r = e.getBoundingClientRect(); return r.width > 0 && r.left >= 0 && r.right <= window.innerWidth; })()`, &keyVisible),
					chromedp.FullScreenshot(&png, 100),
				)
				if err != nil {
					t.Fatalf("%s: %v", p.name, err)
				}
				if err := os.WriteFile(filepath.Join(out, fmt.Sprintf("phone-%d-%s.png", width, p.name)), png, 0o644); err != nil {
					t.Fatal(err)
				}
				if fit.InnerWidth != float64(width) {
					t.Fatalf("%s: the window is %v px wide, want %d", p.name, fit.InnerWidth, width)
				}
				if fit.ScrollWidth > fit.InnerWidth {
					t.Errorf("%s at %d px: the page is %v px wide (scrolls sideways)", p.name, width, fit.ScrollWidth)
				}
				if len(fit.Beyond) > 0 {
					t.Errorf("%s at %d px: beyond the right edge:\n  %s", p.name, width, strings.Join(fit.Beyond, "\n  "))
				}
				if len(fit.Unstacked) > 0 || len(fit.Unlabelled) > 0 {
					t.Errorf("%s at %d px: stacked tables with cells not stacked %v, values not named %v", p.name, width, fit.Unstacked, fit.Unlabelled)
				}
				if !keyVisible {
					t.Errorf("%s at %d px: %s is not fully visible", p.name, width, key)
				}
				if strings.HasPrefix(p.path, "/patients/") && fit.Tables < 6 {
					t.Errorf("%s: %d tables checked; the patient page has at least 6", p.name, fit.Tables)
				}
			}
		})
	}
}
