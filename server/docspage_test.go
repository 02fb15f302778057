package server

import (
	"context"
	"strings"
	"testing"

	"renalwatch/fhir/cdshooks"
)

// fixedCounts is a cdshooks.FeedbackStore that only counts.
type fixedCounts []cdshooks.FeedbackCount

func (fixedCounts) Issue(context.Context, ...cdshooks.IssuedCard) error        { return nil }
func (fixedCounts) Record(context.Context, string, cdshooks.Feedback) error    { return nil }
func (f fixedCounts) Counts(context.Context) ([]cdshooks.FeedbackCount, error) { return f, nil }

// TestCDSFeedbackPage (trial-web #25): the feedback counts per alert code
// read as a table with the shares of the feedback received, and a server
// without CDS Hooks says so.
func TestCDSFeedbackPage(t *testing.T) {
	fb := fixedCounts{{AlertCode: "renal-flare", Accepted: 1, Overridden: 2}, {AlertCode: "ckd-g4", Accepted: 3}}
	s, _ := newTestServer(t, Config{CDS: &cdshooks.Config{Demo: true, Feedback: fb}})
	resp := do(t, s, "GET", "/cds/feedback", nil, nil)
	body := string(readAll(t, resp))
	for _, want := range []string{
		`<tr><th scope="row"><code>ckd-g4</code></th><td data-label="Accepted">3</td><td data-label="Overridden">0</td><td data-label="Feedback">3</td><td data-label="Accepted (share)">100%</td><td data-label="Overridden (share)">0%</td></tr>`,
		`<tr><th scope="row"><code>renal-flare</code></th><td data-label="Accepted">1</td><td data-label="Overridden">2</td><td data-label="Feedback">3</td><td data-label="Accepted (share)">33.33%</td><td data-label="Overridden (share)">66.67%</td></tr>`,
		`<th scope="row">All codes</th><td data-label="Accepted">4</td><td data-label="Overridden">2</td><td data-label="Feedback">6</td><td data-label="Accepted (share)">66.67%</td><td data-label="Overridden (share)">33.33%</td>`,
	} {
		if resp.StatusCode != 200 || !strings.Contains(body, want) {
			t.Errorf("%d: page lacks %s", resp.StatusCode, want)
		}
	}
	s, _ = newTestServer(t, Config{})
	if body := string(readAll(t, do(t, s, "GET", "/cds/feedback", nil, nil))); !strings.Contains(body, "CDS Hooks is off") {
		t.Error("without CDS Hooks the page does not say it is off")
	}
}

// TestAPIDocsPage (trial-web #25): the API documentation page lists every
// operation of openapi.json with its parameters and statuses, and loads
// nothing from another site.
func TestAPIDocsPage(t *testing.T) {
	s, _ := newTestServer(t, Config{CDS: &cdshooks.Config{Demo: true}})
	resp := do(t, s, "GET", "/docs/api", nil, nil)
	body := string(readAll(t, resp))
	if resp.StatusCode != 200 {
		t.Fatalf("%d", resp.StatusCode)
	}
	for _, want := range []string{
		`<code>GET /api/patients/{id}/assessment</code>`, `<code>POST /api/calc/{name}</code>`, `<code>POST /cds-services/{id}</code>`,
		`<th scope="row"><code>as_of</code></th><td data-label="In">query</td>`, "413 Request Entity Too Large", "Apache-2.0",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("API docs lack %s", want)
		}
	}
	for _, bad := range []string{"https://cdn", "http://cdn", "unpkg", "jsdelivr", "<script"} {
		if strings.Contains(body, bad) {
			t.Errorf("API docs page contains %q", bad)
		}
	}
}
