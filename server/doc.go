// Package server is RenalWatch's HTTP adapter: a JSON API described by
// openapi.json and a server-rendered dashboard (html/template pages,
// embedded static files, uPlot 1.6.32 charts), on the standard library's
// net/http routing. It holds a store.Store and shows assess's assessment;
// it computes nothing clinical of its own.
//
// Routes are one table (server.go); errors become statuses in one place
// (errors.go: 400, 401, 403, 404, 413, 415, 422, 500, with the body
// {"error":{"code","message","field"}}). Import and the calculators are
// functions the caller hands in (Config.Import, Config.Calc), so that the
// API runs the command line's own code.
//
// Security: with Config.Tokens every route except /healthz, /readyz and
// /static/ needs a bearer token (or the sign-in cookie, a signed 12-hour
// session of the token's holder, session.go); the
// access log records the route pattern, never the path (it holds patient
// ids), and the token's name, never the token. Every response carries a
// Content-Security-Policy without inline script, nosniff,
// frame-ancestors 'none' and Referrer-Policy no-referrer; pages keep their
// chart data in <script type="application/json"> read by static/charts.js.
//
// Sources of what the charts draw (the KDIGO G bands, the 0.5 and 3 g/g
// lines) are in patientview.go and docs/caveats.md; the kidney replacement
// therapy periods (dialysis bands, transplant lines, and the eGFR and
// proteinuria lines broken at each start and end) in krtchart.go.
package server
