package server

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"renalwatch/ckd"
	"renalwatch/internal/golden"
)

// TestPagesGolden keeps the server-rendered pages (without JavaScript
// they are the whole dashboard) as golden HTML.
func TestPagesGolden(t *testing.T) {
	s, _ := newTestServer(t, Config{Demo: true})
	for name, target := range map[string]string{
		"list":        "/?as_of=" + testAsOf,
		"list-g4":     "/?stage=G4&as_of=" + testAsOf,
		"patient":     "/patients/ln-class-iv-g4?as_of=" + testAsOf,
		"patient-si":  "/patients/child-ln?units=si&as_of=" + testAsOf,
		"calculators": "/calculators",
		"import":      "/import",
	} {
		t.Run(name, func(t *testing.T) {
			resp := do(t, s, "GET", target, nil, nil)
			body := readAll(t, resp)
			if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
				t.Fatalf("%d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
			}
			golden.Assert(t, "pages/"+name+".html", body)
		})
	}
}

// TestPatientPageTwins: the chart data and the tables beside the charts
// hold the same values, and every chart names its table.
func TestPatientPageTwins(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	body := string(readAll(t, do(t, s, "GET", "/patients/ln-class-iv-g4?as_of="+testAsOf, nil, nil)))
	m := regexp.MustCompile(`(?s)<script type="application/json" id="chart-data">(.*?)</script>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no chart data")
	}
	var c chartData
	if err := json.Unmarshal([]byte(m[1]), &c); err != nil {
		t.Fatal(err)
	}
	table := regexp.MustCompile(`(?s)<table id="tbl-egfr"[^>]*>.*?</table>`).FindString(body)
	cells := regexp.MustCompile(`data-value="([^"]+)"`).FindAllStringSubmatch(table, -1)
	if len(cells) != len(c.EGFR.Points) || len(cells) < 10 {
		t.Fatalf("table %d values, chart %d", len(cells), len(c.EGFR.Points))
	}
	for i, p := range c.EGFR.Points {
		if want, _ := json.Marshal(p.Value); cells[i][1] != string(want) {
			t.Errorf("row %d: table %s, chart %s", i, cells[i][1], want)
		}
	}
	// KDIGO 2024 G categories: 90/60/45/30/15 mL/min/1.73 m².
	var lows []float64
	for _, b := range c.EGFR.Bands {
		lows = append(lows, b.Lo)
	}
	if got := lows; len(got) != 6 || got[0] != 90 || got[1] != 60 || got[2] != 45 || got[3] != 30 || got[4] != 15 || got[5] != 0 {
		t.Errorf("band lower bounds %v", got)
	}
	// Each band is the category ckd.GCategory gives inside it, and its
	// lower bound is inclusive (KDIGO: eGFR 60 is G2).
	for _, b := range c.EGFR.Bands {
		for _, v := range []float64{b.Lo, (b.Lo + b.Hi) / 2, b.Hi - 0.01} {
			if v == 0 {
				continue
			}
			if g, err := ckd.GCategory(v); err != nil || g.String() != b.G {
				t.Errorf("eGFR %v is %v in ckd.GCategory, drawn in band %s", v, g, b.G)
			}
		}
	}
	for _, id := range []string{"egfr", "protein", "therapy", "sledai"} {
		if !strings.Contains(body, `id="chart-`+id+`"`) || !strings.Contains(body, `aria-describedby="tbl-`+id+`"`) || !strings.Contains(body, `<table id="tbl-`+id+`"`) {
			t.Errorf("chart %s lacks its table twin", id)
		}
	}
	// Trial-web #9: a UPCR reported in g/g reads at its laboratory
	// precision (2 decimals, trailing zeros kept) in the table and the
	// legend, as in the report and the alerts ("UPCR 1.80 g/g"), never "1.8"
	// or "2".
	for _, want := range []string{
		`<td class="nw">2026-09-17</td><td>UPCR</td><td>1.80 g/g</td><td data-value="1.8">1.80</td>`,
		`<td class="nw">2026-07-16</td><td>UPCR</td><td>2.00 g/g</td><td data-value="2">2.00</td>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("protein table lacks %s", want)
		}
	}
	for _, p := range c.Protein.Points {
		if p.Date == "2026-07-16" && (p.Text != "2.00" || p.Shown != "2.00 g/g") {
			t.Errorf("chart legend text %q, shown %q: want 2.00", p.Text, p.Shown)
		}
	}
	if c.EGFR.Slope == nil || c.EGFR.Slope.PerYear >= 0 {
		t.Errorf("slope %+v: the G4 patient declines", c.EGFR.Slope)
	}
}

// TestCalculatorPage: a bad field is shown next to that field (422), a
// good form shows the CLI's text and the equivalent command, with the JSON
// inside a <details> below it.
func TestCalculatorPage(t *testing.T) {
	var got map[string]json.RawMessage
	calc := func(_ context.Context, name string, p map[string]json.RawMessage) (json.RawMessage, error) {
		got = p
		if string(p["creatinine"]) == `"1.2"` {
			return nil, Errorf(KindInvalid, "creatinine", "1.2 has no unit")
		}
		return json.RawMessage(`{"egfr":53.79}`), nil
	}
	text := func(context.Context, string, map[string]json.RawMessage) (string, error) {
		return "eGFR 54 mL/min/1.73 m²\n", nil
	}
	s, _ := newTestServer(t, Config{Calc: calc, CalcText: text})
	form := url.Values{"equation": {"ckd-epi-2021"}, "creatinine": {"1.2"}, "age": {"54"}, "sex": {"female"}}
	resp := do(t, s, "POST", "/calculators/egfr", strings.NewReader(form.Encode()), map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
	body := string(readAll(t, resp))
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `aria-describedby="egfr-creatinine-err"`) || !strings.Contains(body, `id="egfr-creatinine-err" role="alert">1.2 has no unit`) {
		t.Errorf("bad creatinine: %d\n%s", resp.StatusCode, body)
	}
	form.Set("creatinine", "1.2mg/dL")
	resp = do(t, s, "POST", "/calculators/egfr", strings.NewReader(form.Encode()), map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
	body = string(readAll(t, resp))
	if resp.StatusCode != 200 || !strings.Contains(body, "renalwatch egfr --equation ckd-epi-2021 --creatinine 1.2mg/dL --age 54 --sex female --json") ||
		!strings.Contains(body, `<pre class="result" id="result-egfr">eGFR 54 mL/min/1.73 m²`) || !strings.Contains(body, "<summary>JSON") || !strings.Contains(body, "53.79") {
		t.Errorf("good form: %d\n%s", resp.StatusCode, body)
	}
	if string(got["age"]) != `54` || got["black"] != nil { // a number input is sent as a JSON number
		t.Errorf("params %v", got)
	}
	// A field sent twice is refused next to it, as the API refuses an
	// input given twice; before, the first value was computed.
	form.Add("creatinine", "5.0mg/dL")
	got = nil
	resp = do(t, s, "POST", "/calculators/egfr", strings.NewReader(form.Encode()), map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
	body = string(readAll(t, resp))
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="egfr-creatinine-err" role="alert">given 2 times (1.2mg/dL, 5.0mg/dL); give it once`) {
		t.Errorf("creatinine twice: %d\n%s", resp.StatusCode, body)
	}
	form = url.Values{"item-seizure": {"true"}, "window": {"10"}}
	do(t, s, "POST", "/calculators/sledai", strings.NewReader(form.Encode()), map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
	if string(got["items"]) != `["seizure"]` {
		t.Errorf("sledai items %s", got["items"])
	}
}

// TestLogin: pages need the token too; the sign-in form keeps it in an
// HttpOnly, SameSite=Strict cookie that the API and pages accept.
func TestLogin(t *testing.T) {
	s, logs := newTestServer(t, Config{Tokens: testTokens(t), PublicURL: "https://rw.example.org"})
	resp := do(t, s, "GET", "/", nil, nil)
	if body := string(readAll(t, resp)); resp.StatusCode != 401 || !strings.Contains(body, `action="/login"`) {
		t.Fatalf("page without token: %d", resp.StatusCode)
	}
	form := strings.NewReader(url.Values{"token": {"not-a-token-at-all"}}.Encode())
	resp = do(t, s, "POST", "/login", form, map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
	if resp.StatusCode != 401 || len(resp.Cookies()) != 0 {
		t.Errorf("wrong token: %d %v", resp.StatusCode, resp.Cookies())
	}
	form = strings.NewReader(url.Values{"token": {aliceToken}}.Encode())
	resp = do(t, s, "POST", "/login", form, map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Origin": "https://rw.example.org"})
	cs := resp.Cookies()
	if resp.StatusCode != http.StatusSeeOther || len(cs) != 1 || !cs[0].HttpOnly || !cs[0].Secure || cs[0].SameSite != http.SameSiteStrictMode {
		t.Fatalf("sign in: %d %+v", resp.StatusCode, cs)
	}
	cookie := map[string]string{"Cookie": cs[0].Name + "=" + cs[0].Value}
	for _, target := range []string{"/", "/patients/ln-class-iv-g4", "/api/patients"} {
		if resp := do(t, s, "GET", target, nil, cookie); resp.StatusCode != 200 {
			t.Errorf("%s with the cookie: %d", target, resp.StatusCode)
		}
	}
	form = strings.NewReader(url.Values{"token": {aliceToken}}.Encode())
	resp = do(t, s, "POST", "/login", form, map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Origin": "https://evil.example"})
	if resp.StatusCode != 403 {
		t.Errorf("cross-site sign in: %d", resp.StatusCode)
	}
	if l := logs.String(); strings.Contains(l, aliceToken) || !strings.Contains(l, `"user":"alice"`) {
		t.Errorf("log:\n%s", l)
	}
}

// TestFutureAsOfWarning: the list and patient pages warn about an as-of
// day after today with the CLI's words; a past day gets no warning.
func TestFutureAsOfWarning(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	want := `<p class="warning" role="alert"><strong>Warning:</strong> the as-of date 2099-01-01 is in the future (today is 2026-11-01, UTC): the record holds nothing after today; ages, windows and overdue intervals are computed for 2099-01-01 as if nothing were measured in between.</p>`
	for _, target := range []string{"/?as_of=2099-01-01", "/patients/ln-class-iv-g4?as_of=2099-01-01"} {
		if body := string(readAll(t, do(t, s, "GET", target, nil, nil))); !strings.Contains(body, want) {
			t.Errorf("%s: no future as-of warning", target)
		}
	}
	for _, target := range []string{"/?as_of=" + testAsOf, "/patients/ln-class-iv-g4", "/patients/ln-class-iv-g4?as_of=2026-11-01"} {
		if body := string(readAll(t, do(t, s, "GET", target, nil, nil))); strings.Contains(body, `class="warning"`) {
			t.Errorf("%s: warning for a day not in the future", target)
		}
	}
}

// TestListPastLastPage: a page past the last says so and links to the
// last page; kfre_min=5% selects the 5% option of the form.
func TestListPastLastPage(t *testing.T) {
	s, _ := newTestServer(t, Config{})
	body := string(readAll(t, do(t, s, "GET", "/?as_of="+testAsOf+"&page=999", nil, nil)))
	if !strings.Contains(body, `Page 999 is past the last page, 1: <a href="/?as_of=`+testAsOf+`">go to page 1</a>.`) {
		t.Errorf("page 999 of 1:\n%s", body)
	}
	body = string(readAll(t, do(t, s, "GET", "/?as_of="+testAsOf+"&kfre_min=5%25", nil, nil)))
	if !strings.Contains(body, `<option value="0.05" selected>`) {
		t.Errorf("kfre_min=5%% does not select 5%%:\n%s", body)
	}
	// A units choice the page does not have is a 400 naming it, not the
	// values as reported (trial 7 #4).
	if resp := do(t, s, "GET", "/patients/ln-class-iv-g4?as_of="+testAsOf+"&units=xyz", nil, nil); resp.StatusCode != 400 ||
		!strings.Contains(string(readAll(t, resp)), "units &#34;xyz&#34;") {
		t.Errorf("units=xyz: status %d, want 400 naming units", resp.StatusCode)
	}
	resp := do(t, s, "GET", "/?stag=G4", nil, nil)
	if body := string(readAll(t, resp)); resp.StatusCode != 400 || !strings.Contains(body, "unknown parameter &#34;stag&#34;") {
		t.Errorf("stag=G4: %d\n%s", resp.StatusCode, body)
	}
}

// TestCalculatorLabels (trial-web #24): the item checkboxes read as the
// papers write them, not as lower-cased machine names.
func TestCalculatorLabels(t *testing.T) {
	s, _ := newTestServer(t, Config{Demo: true})
	body := string(readAll(t, do(t, s, "GET", "/calculators", nil, nil)))
	for _, want := range []string{"> Anti-dsDNA or anti-Sm antibodies</label>", "> CVA (cerebrovascular accident)</label>", "> Low C3 or low C4</label>", `placeholder="1.2mg/dL or 106umol/L"`} {
		if !strings.Contains(body, want) {
			t.Errorf("calculators page lacks %s", want)
		}
	}
	for _, bad := range []string{"> anti dsdna", "> cva<", "> low c3"} {
		if strings.Contains(body, bad) {
			t.Errorf("calculators page has the machine name %q", bad)
		}
	}
}

// TestSessionCookie (trial-web #22): the sign-in cookie is a signed,
// expiring session of the holder, not the bearer token: it has a Max-Age,
// stops working after it, cannot be altered, and is not accepted as a
// bearer token.
func TestSessionCookie(t *testing.T) {
	tokens := testTokens(t)
	s, _ := newTestServer(t, Config{Tokens: tokens})
	form := strings.NewReader(url.Values{"token": {aliceToken}}.Encode())
	resp := do(t, s, "POST", "/login", form, map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
	cs := resp.Cookies()
	if len(cs) != 1 || strings.Contains(cs[0].Value, aliceToken) || cs[0].MaxAge != int(sessionLife/time.Second) {
		t.Fatalf("cookie %+v: want a session with Max-Age, not the token", cs)
	}
	v := cs[0].Value
	if name, _, ok := tokens.LookupSession(v, testNow); !ok || name != "alice" {
		t.Errorf("session not accepted now: %q %v", name, ok)
	}
	if _, _, ok := tokens.LookupSession(v, testNow.Add(sessionLife)); ok {
		t.Error("session accepted after it expired")
	}
	parts := strings.Split(v, ".")
	for _, bad := range []string{
		parts[0] + "." + strconv.FormatInt(testNow.Add(100*sessionLife).Unix(), 10) + "." + parts[2], // expiry pushed back
		"Ym9i." + parts[1] + "." + parts[2], // another holder (bob)
		v + "x", "", "a.b", aliceToken,
	} {
		if _, _, ok := tokens.LookupSession(bad, testNow); ok {
			t.Errorf("altered session %q accepted", bad)
		}
	}
	if resp := do(t, s, "GET", "/api/patients", nil, map[string]string{"Authorization": "Bearer " + v}); resp.StatusCode != 401 {
		t.Errorf("the session as a bearer token: %d, want 401", resp.StatusCode)
	}
	if resp := do(t, s, "GET", "/api/patients", nil, map[string]string{"Cookie": tokenCookie + "=" + aliceToken}); resp.StatusCode != 401 {
		t.Errorf("the token as the cookie: %d, want 401", resp.StatusCode)
	}
}
