package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"regexp"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"renalwatch/fhir/cdshooks"
	"renalwatch/server"
	"renalwatch/store"
	"renalwatch/store/postgres"
)

const serveExample = `  renalwatch serve --demo                       (synthetic patients, http://127.0.0.1:8080, no token)
  renalwatch serve --db renalwatch.db --token-file tokens.txt --public-url https://renalwatch.example.org --cds-trust cds-trust.json
  renalwatch serve --db renalwatch.db --token-file tokens.txt --addr :8443 --public-url https://renalwatch.example.org

The token file holds one "NAME TOKEN" pair a line (white space between, # starts a comment); a
request carries "Authorization: Bearer TOKEN" and the access log names NAME, never the token.
Without --demo a token file is required. --demo serves on 127.0.0.1 only, without tokens.`

// serveShutdown bounds the time in-flight requests get after SIGINT or SIGTERM.
const serveShutdown = 10 * time.Second

// runServe implements "renalwatch serve".
func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("serve", "serve [--db PATH] [--addr :8080] [--demo] [--token-file F] [--public-url URL] [--cds-trust FILE] [--cds-origins LIST] [--cds-max-cards N] [--cds-fhir-servers URLS] [--cds-jwt-max-lifetime D]", serveExample, stderr)
	dbPath := fs.String("db", "renalwatch.db", "SQLite database `PATH`, or a PostgreSQL URL postgres://USER@HOST/DB")
	addr := fs.String("addr", ":8080", "listen `ADDRESS` (host:port; --demo keeps the port and binds 127.0.0.1)")
	demoMode := fs.Bool("demo", false, "import the demonstration patients and a virtual cohort (synthetic, 200 patients) into --db and serve them on 127.0.0.1 without tokens")
	tokenFile := fs.String("token-file", "", "`FILE` of NAME TOKEN [ROLE] lines (ROLE reader, importer or admin; none: reader); required without --demo")
	publicURL := fs.String("public-url", "", "the `URL` users reach the server at (behind a proxy); forms must come from it, CDS Hooks JWTs name it (aud) and cards link to it")
	cdsTrust := fs.String("cds-trust", "", "CDS Hooks: JSON `FILE` of the EHRs whose JWTs are trusted (needs --public-url); without it CDS Hooks is served only with --demo, unverified")
	cdsOrigins := fs.String("cds-origins", "", "CDS Hooks: comma-separated browser `ORIGINS` allowed by CORS (such as https://sandbox.cds-hooks.org)")
	cdsMaxCards := fs.Int("cds-max-cards", 6, "CDS Hooks: at most `N` cards per call, most severe first (1-50); the last card names those left out")
	cdsFHIR := fs.String("cds-fhir-servers", "", "CDS Hooks, --demo without --cds-trust: comma-separated FHIR server base `URLS` the service may fetch from (with --cds-trust: fhir_servers per client in the trust file); none: the EHR must prefetch everything")
	cdsJWTLife := fs.Duration("cds-jwt-max-lifetime", 5*time.Minute, "CDS Hooks: refuse EHR JWTs valid longer than `DURATION` (exp - iat, exp - now; 30 s clock skew allowed)")
	pos, err := parseFlags(fs, args, stdout)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return badInputf("serve takes no arguments, got %q", strings.Join(pos, " "))
	}
	pub := publicBase(*publicURL)
	if *cdsMaxCards < 1 || *cdsJWTLife <= 0 { // 0 would mean "the default" below
		return badInputf("serve: --cds-max-cards wants 1 to %d and --cds-jwt-max-lifetime a positive duration, got %d and %s", maxCDSCards, *cdsMaxCards, *cdsJWTLife)
	}
	var tokens *server.Tokens
	switch {
	case *tokenFile != "":
		f, err := os.Open(*tokenFile)
		if err != nil {
			return badInputf("serve: --token-file: %w", err)
		}
		tokens, err = server.ParseTokens(*tokenFile, f)
		f.Close()
		if err != nil {
			return badInputf("serve: --token-file: %w", err)
		}
	case !*demoMode:
		return badInputf("serve: --token-file FILE is required (or --demo, which serves synthetic patients on 127.0.0.1 only)")
	}
	listen := *addr
	if *demoMode {
		_, port, err := net.SplitHostPort(*addr)
		if err != nil {
			return badInputf("serve: --addr %q: want host:port or :port", *addr)
		}
		listen = net.JoinHostPort("127.0.0.1", port)
		if err := checkDemoStore(ctx, "serve --demo", *dbPath, stderr); err != nil {
			return err
		}
		if err := runDemo(ctx, []string{"--db", *dbPath, "--json"}, io.Discard, stderr); err != nil {
			return err
		}
		// The virtual cohort (package synth), generated on the first
		// start only.
		if n, err := importDemoCohort(ctx, *dbPath, stderr); err != nil {
			return err
		} else if n > 0 {
			fmt.Fprintf(stdout, "Generated a virtual cohort of %d synthetic patients (package synth, seed %d) into %s.\n", n, demoCohortSeed, *dbPath)
		}
	}
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(server.GCPercent) // docs/cdshooks.md, ## Load
	}
	db, err := serveOpen(ctx, *dbPath, *demoMode)
	if err != nil {
		return err
	}
	defer db.Close()

	log := slog.New(slog.NewJSONHandler(stderr, nil))
	cds, err := serveCDSWith(cdsOptions{trustFile: *cdsTrust, origins: *cdsOrigins, publicURL: pub, demo: *demoMode, replay: replayOf(db),
		maxCards: *cdsMaxCards, fhirServers: *cdsFHIR, jwtMaxLifetime: *cdsJWTLife})
	if err != nil {
		return err
	}
	srv, err := server.New(server.Config{Store: db, Tokens: tokens, Log: log, Now: now, Import: serveImport, Calc: serveCalc, CalcText: serveCalcText,
		Demo: *demoMode, PublicURL: pub, CDS: cds})
	if err != nil {
		return badInputf("serve: %w", err)
	}
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 2 * time.Minute,
		WriteTimeout: 2 * time.Minute, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	url := "http://" + ln.Addr().String()
	if pub != "" {
		url = pub
	}
	if *demoMode {
		fmt.Fprintf(stdout, "RenalWatch demo: synthetic patients from %s, on %s only (127.0.0.1: not reachable from other computers; no token needed).\nOpen %s/ — stop with Ctrl-C.\n", dbName(*dbPath), ln.Addr(), url)
	} else {
		fmt.Fprintf(stdout, "RenalWatch serving %s on %s (%s); bearer tokens from %s.\n", dbName(*dbPath), ln.Addr(), url, *tokenFile)
	}
	switch {
	case cds == nil:
		fmt.Fprintln(stdout, "CDS Hooks: off (give --cds-trust FILE and --public-url to serve /cds-services).")
	case cds.Trust == nil:
		fmt.Fprintf(stdout, "CDS Hooks: %s/cds-services — demo mode: EHR JWTs are NOT verified (give --cds-trust FILE to verify them).\n", url)
	default:
		fmt.Fprintf(stdout, "CDS Hooks: %s/cds-services, JWTs verified against %s.\n", url, *cdsTrust)
	}

	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down", "grace", serveShutdown.String())
	sctx, cancel := context.WithTimeout(context.Background(), serveShutdown)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("serve: shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	fmt.Fprintln(stdout, "RenalWatch stopped.")
	return nil
}

// publicBase is --public-url as every use prints and compares it: without
// a trailing "/", so the start message, card links and the JWT aud check
// (CDS Hooks 2.0.1 § Trusting CDS Clients: aud is the service endpoint)
// name one URL (trial 10 F11: ".../rw/" printed ".../rw//cds-services",
// and a JWT whose aud was that printed URL was refused).
func publicBase(raw string) string { return strings.TrimRight(raw, "/") }

// serveCDS is the CDS Hooks configuration of the flags: nil (not served)
// without --cds-trust outside --demo; in --demo without trust, JWTs are
// not verified. server.New runs cdshooks.Config.Check and refuses to
// start on its error (trust without --public-url).
func serveCDS(trustFile, origins, publicURL string, demo bool) (*cdshooks.Config, error) {
	return serveCDSWith(cdsOptions{trustFile: trustFile, origins: origins, publicURL: publicURL, demo: demo})
}

// cdsOptions are serve's CDS Hooks flags.
type cdsOptions struct {
	trustFile, origins, publicURL string
	demo                          bool
	replay                        cdshooks.ReplayCache // nil: in memory
	maxCards                      int                  // 0: the default, 6
	fhirServers                   string               // comma-separated, --demo without trust only
	jwtMaxLifetime                time.Duration        // 0: the default, 5 minutes
}

// maxCDSCards bounds --cds-max-cards: an EHR shows cards in a panel, and
// more than this is a list no clinician reads at chart open.
const maxCDSCards = 50

// serveCDSWith is serveCDS with every CDS Hooks option.
func serveCDSWith(o cdsOptions) (*cdshooks.Config, error) {
	trustFile, origins, publicURL, demo := o.trustFile, o.origins, o.publicURL, o.demo
	if o.maxCards != 0 && (o.maxCards < 1 || o.maxCards > maxCDSCards) {
		return nil, badInputf("serve: --cds-max-cards %d: want 1 to %d", o.maxCards, maxCDSCards)
	}
	if o.jwtMaxLifetime < 0 || o.jwtMaxLifetime > time.Hour {
		return nil, badInputf("serve: --cds-jwt-max-lifetime %s: want a positive duration of at most 1h (5m recommended)", o.jwtMaxLifetime)
	}
	if trustFile == "" && !demo {
		if origins != "" || o.fhirServers != "" {
			return nil, badInputf("serve: --cds-origins and --cds-fhir-servers need --cds-trust FILE or --demo")
		}
		return nil, nil
	}
	if trustFile != "" && o.fhirServers != "" {
		return nil, badInputf("serve: --cds-fhir-servers is for --demo without --cds-trust; list each EHR's FHIR servers as fhir_servers in the trust file")
	}
	cfg := &cdshooks.Config{PublicURL: publicBase(publicURL), Demo: demo && trustFile == "", Now: now, MaxCards: o.maxCards}
	for _, u := range strings.Split(o.fhirServers, ",") {
		if u = strings.TrimSpace(u); u != "" {
			cfg.FHIRServers = append(cfg.FHIRServers, u)
		}
	}
	for _, o := range strings.Split(origins, ",") {
		if o = strings.TrimSpace(o); o != "" {
			cfg.AllowedOrigins = append(cfg.AllowedOrigins, o)
		}
	}
	if trustFile != "" {
		t, err := cdshooks.LoadTrust(trustFile, cdshooks.TrustOptions{Replay: o.replay, MaxLifetime: o.jwtMaxLifetime})
		if err != nil {
			return nil, badInputf("serve: --cds-trust: %w", err)
		}
		cfg.Trust = t
	}
	if err := cfg.Check(); err != nil {
		return nil, badInputf("serve: %w", err)
	}
	return cfg, nil
}

// serveOpen opens the store the server holds, through the same function
// as the other commands, for writing, since the server writes its audit
// trail and imports. A database that exists but is empty is served as an
// empty store, its schema created, for imports through the API: a
// PostgreSQL database without tables, an empty SQLite file (trial 10 F5:
// PostgreSQL was refused until a header-only CSV was imported). Only
// --demo creates a missing SQLite file: a mistyped --db must not serve an
// empty dashboard (a mistyped PostgreSQL database name is refused by the
// server itself); a missing file is refused by a read-only open, which
// says why.
func serveOpen(ctx context.Context, path string, create bool) (store.Store, error) {
	if create || postgres.IsURL(path) {
		return openStore(ctx, path, true)
	}
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		ro, err := openStore(ctx, path, false)
		if err != nil {
			return nil, badInputf("serve: %w; to serve an empty store for imports through the API instead, create an empty file: (umask 077; touch %s)", err, safeText(shellQuote(path)))
		}
		ro.Close()
	}
	return openStore(ctx, path, true)
}

// serveImport is POST /api/import: one uploaded file through the same
// reader and store code as "renalwatch import", summarised as --json does.
func serveImport(ctx context.Context, db store.Store, name string, r io.Reader, strict bool) (any, error) {
	sink := &rejectionSink{all: true} // the upload is bounded by the body limit
	var audit *store.ImportAudit
	if who, at, ok := server.AuditedAs(ctx); ok {
		audit = &store.ImportAudit{Time: at, Who: who}
	}
	fsum, res, err := importReader(ctx, db, name, r, "", now(), strict, sink, audit)
	if err != nil {
		var ie *inputError
		if errors.As(err, &ie) {
			return nil, &server.Error{Kind: server.KindInvalid, Field: "file", Message: strings.TrimPrefix(err.Error(), "import: "), Err: err}
		}
		return nil, err
	}
	sum := importSummary{Files: []fileSummary{fsum}, Rejected: sink.first}
	if sum.Rejected == nil {
		sum.Rejected = []rejectedItem{}
	}
	unmapped, ignored, skipped, noted := codeTally{}, codeTally{}, codeTally{}, codeTally{}
	if res != nil {
		unmapped.add(res.Unmapped)
		ignored.add(res.Ignored)
		skipped.add(res.Skipped)
		noted.add(res.Notes)
	}
	sum.Unmapped, sum.Ignored, sum.Skipped, sum.Notes = unmapped.list(), ignored.list(), skipped.list(), noted.list()
	sum.Totals = fsum.importTotals
	sum.Retracted = fsum.retracted
	sum.Corrections = fsum.corrections
	sum.PatientUpdates, sum.NotApplied = fsum.updates, fsum.stale
	return sum, nil
}

// calcCommands are the subcommands POST /api/calc/{name} runs.
var calcCommands = map[string]runFunc{
	"egfr": runEGFR, "kfre": runKFRE, "stage": runStage, "sledai": runSLEDAI,
	"classify": runClassify, "response": runResponse, "flare": runFlare,
	"convert": runConvert,
}

var (
	calcKey  = regexp.MustCompile(`^[a-z][a-z0-9-]*$`)
	flagName = regexp.MustCompile(`--([a-z][a-z0-9-]*)`)
)

// serveCalc runs a calculator subcommand with --json on flags built from
// params: {"creatinine":"1.2mg/dL","age":54,"black":true} becomes
// --creatinine=1.2mg/dL --age=54 --black=true; "items" (a list of strings)
// become the positional arguments (sledai, classify), as does "quantity"
// for convert. Bad input is a 422 naming the field.
func serveCalc(ctx context.Context, name string, params map[string]json.RawMessage) (json.RawMessage, error) {
	out, err := runCalc(ctx, name, params, true)
	if err != nil {
		return nil, err
	}
	return json.RawMessage(out), nil
}

// serveCalcText runs the same calculation as serveCalc without --json: the
// text the CLI prints (rounded by internal/textfmt, with units, equation
// and source), which the dashboard's calculator pages show.
func serveCalcText(ctx context.Context, name string, params map[string]json.RawMessage) (string, error) {
	out, err := runCalc(ctx, name, params, false)
	return string(out), err
}

// runCalc runs calculator name on params (see serveCalc), with --json when
// asJSON, and returns what it prints on stdout.
func runCalc(ctx context.Context, name string, params map[string]json.RawMessage, asJSON bool) ([]byte, error) {
	run, ok := calcCommands[name]
	if !ok {
		return nil, server.Errorf(server.KindNotFound, "name", "no calculator %q", name)
	}
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var args, items []string
	for _, k := range keys {
		raw := params[k]
		if k == "quantity" && name == "convert" { // convert QUANTITY --to UNIT
			var q string
			if err := json.Unmarshal(raw, &q); err != nil || q == "" || strings.HasPrefix(q, "-") {
				return nil, server.Errorf(server.KindInvalid, "quantity", "quantity must be a value with its unit, such as \"1.2mg/dL\"")
			}
			items = append(items, q)
			continue
		}
		if k == "items" {
			if err := json.Unmarshal(raw, &items); err != nil {
				return nil, server.Errorf(server.KindInvalid, "items", "items must be a list of strings")
			}
			continue
		}
		if !calcKey.MatchString(k) || k == "json" || k == "help" || k == "h" {
			return nil, server.Errorf(server.KindInvalid, k, "%q is not an input of %s", k, name)
		}
		// A number is passed on as written (json.Number), and read by the
		// command's own flag parsing: a number beyond float64 ("age":
		// 1e400) is refused with the command's words, naming the value
		// and the range, not encoding/json's Go type (trial 10 F3).
		var v any
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		if err := dec.Decode(&v); err != nil {
			return nil, server.Errorf(server.KindInvalid, k, "%s is not a JSON value", k)
		}
		var s string
		switch v := v.(type) {
		case string:
			s = v
		case json.Number:
			s = v.String()
		case bool:
			s = strconv.FormatBool(v)
		default:
			return nil, server.Errorf(server.KindInvalid, k, "%s must be a string, number or boolean", k)
		}
		args = append(args, "--"+k+"="+s)
	}
	for _, it := range items {
		if strings.HasPrefix(it, "-") {
			return nil, server.Errorf(server.KindInvalid, "items", "item %q is not an item", it)
		}
	}
	if asJSON {
		args = append(args, "--json")
	}
	args = append(append(args, "--"), items...)
	var out, errOut bytes.Buffer
	if err := run(ctx, args, &out, &errOut); err != nil {
		var ie *inputError
		if errors.As(err, &ie) {
			// The CLI's message, less what only fits a terminal.
			msg := strings.TrimPrefix(err.Error(), name+": ")
			msg = strings.TrimSuffix(msg, " (run 'renalwatch "+name+" --help')")
			msg = strings.Replace(msg, "flag provided but not defined: --", "not an input of "+name+": ", 1)
			msg = strings.Replace(msg, "for flag --", "for ", 1)
			field := ""
			if m := flagName.FindStringSubmatch(err.Error()); m != nil && m[1] != "json" {
				field = m[1]
			} else if strings.HasPrefix(msg, "ITEM") {
				field = "items"
			}
			// The API's inputs are JSON fields: name them as such
			// ("creatinine: creatinine 106 mg/dL is implausible…",
			// not "--creatinine: …").
			// The command-line example keeps its dashes: it is a command.
			head, example, hasExample := strings.Cut(msg, "(for example: ")
			msg = flagName.ReplaceAllString(head, "$1")
			if hasExample {
				msg += "(for example: " + example
			}
			return nil, &server.Error{Kind: server.KindInvalid, Field: field, Message: msg, Err: err}
		}
		return nil, err
	}
	return out.Bytes(), nil
}
