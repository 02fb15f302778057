package server

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"html/template"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"renalwatch/fhir/cdshooks"
	"renalwatch/store"
)

//go:embed static templates openapi.json
var assets embed.FS

// ImportFunc imports one uploaded file (name is the file name the client
// gave, which selects the format as on the command line) into the store
// and returns the summary the CLI prints with --json. An error of bad
// input is an *Error of KindInvalid or KindBadRequest. A summary with a
// method AuditOutcome() string words the audit row's outcome with its
// counts, as the CLI's import row.
type ImportFunc func(ctx context.Context, db store.Store, name string, r io.Reader, strict bool) (any, error)

// CalcFunc runs calculator name (one of Calculators) on the JSON object
// params, whose keys are the CLI flag names without dashes, and returns
// the JSON the CLI prints with --json. Bad input is an *Error of
// KindInvalid naming the field.
type CalcFunc func(ctx context.Context, name string, params map[string]json.RawMessage) (json.RawMessage, error)

// CalcTextFunc runs the same calculation as CalcFunc and returns the text
// the CLI prints without --json: numbers rounded by the one text policy
// (internal/textfmt), with units, equation and source. The calculator
// pages show it; nil shows only the JSON.
type CalcTextFunc func(ctx context.Context, name string, params map[string]json.RawMessage) (string, error)

// Calculators are the names POST /api/calc/{name} accepts, as the CLI
// subcommands.
var Calculators = []string{"egfr", "kfre", "stage", "sledai", "classify", "response", "flare", "convert"}

// Config is what a Server needs.
type Config struct {
	Store store.Store
	// Tokens are the accepted bearer tokens; nil means no authentication,
	// which cmd/renalwatch allows only with --demo on a loopback address.
	Tokens *Tokens
	Log    *slog.Logger
	// Now is the clock for "as of today"; nil means time.Now.
	Now    func() time.Time
	Import ImportFunc
	Calc   CalcFunc
	// CalcText gives the calculator pages the CLI's text (see CalcTextFunc).
	CalcText CalcTextFunc
	// MaxBody bounds request bodies (bytes); 0 means 32 MiB for imports
	// and 64 KiB for everything else.
	MaxBody int64
	// Demo labels the pages as showing synthetic demonstration patients.
	Demo bool
	// PublicURL is the address users reach the server at (behind a
	// proxy); a POST whose Origin is another site is refused (403).
	// Empty: the Origin must match the request's Host.
	PublicURL string
	// CDS, when set, mounts the CDS Hooks service (see cds.go); New fails
	// when it does not pass cdshooks.Config.Check.
	CDS *cdshooks.Config
}

// Server is the RenalWatch HTTP API and dashboard.
type Server struct {
	cfg   Config
	log   *slog.Logger
	mux   *http.ServeMux
	pages *template.Template
	ready func(context.Context) error
	// rowCache keeps the list's assessments for listTTL.
	rowCache rowCache
	// auditor is the store's audit trail (roles.go); nil only without
	// tokens (--demo) on a store that keeps none.
	auditor store.Auditor
	// cds and cdsCounts serve CDS Hooks when Config.CDS is set.
	cds, cdsCounts http.Handler
	// callAuditor, when set, writes a CDS Hooks call's audit row and the
	// cards it issued in one transaction (cds.go): set when the issued
	// cards go to the store that keeps the audit trail.
	callAuditor store.CallAuditor
	// cdsFeedback is the feedback store the CDS feedback page reads.
	cdsFeedback cdshooks.FeedbackStore
}

// route is one entry of the route table: the mux pattern ("GET /path"),
// whether it needs a token, and its handler. TestOpenAPIMatchesRoutes
// checks the API routes against openapi.json.
type route struct {
	pattern string
	public  bool // no token needed (health checks, static files)
	handler http.HandlerFunc
}

// New returns a Server for cfg.
func New(cfg Config) (*Server, error) {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.MaxBody == 0 {
		cfg.MaxBody = 32 << 20
	}
	s := &Server{cfg: cfg, log: cfg.Log, mux: http.NewServeMux()}
	s.auditor, _ = cfg.Store.(store.Auditor)
	if s.auditor == nil && cfg.Tokens != nil {
		return nil, errors.New("server: the store keeps no audit trail (store.Auditor); a server with tokens needs one")
	}
	t, err := parsePages()
	if err != nil {
		return nil, err
	}
	s.pages = t
	if err := s.setupCDS(); err != nil {
		return nil, err
	}
	for _, rt := range s.routes() {
		h := rt.handler
		if !rt.public {
			h = s.authenticate(s.sameOrigin(h))
		}
		s.mux.Handle(rt.pattern, h)
	}
	return s, nil
}

// routes is the route table.
func (s *Server) routes() []route {
	static, _ := fs.Sub(assets, "static")
	fileServer := http.StripPrefix("/static/", http.FileServer(http.FS(static)))
	return append([]route{
		{"GET /healthz", true, s.healthz},
		{"GET /readyz", true, s.readyz},
		{"GET /static/", true, func(w http.ResponseWriter, r *http.Request) {
			if strings.HasSuffix(r.URL.Path, "/") { // no directory listings
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Cache-Control", "public, max-age=3600")
			fileServer.ServeHTTP(w, r)
		}},
		{"GET /api/openapi.json", false, s.openAPI},
		{"GET /api/patients", false, s.audited("list patients", RoleReader, s.apiPatients)},
		{"GET /api/patients/{id}", false, s.audited("read patient", RoleReader, s.apiPatient)},
		{"GET /api/patients/{id}/assessment", false, s.audited("read assessment", RoleReader, s.apiAssessment)},
		{"GET /api/patients/{id}/fhir", false, s.audited("read fhir", RoleReader, s.apiFHIR)},
		{"POST /api/import", false, s.audited("import", RoleImporter, s.apiImport)},
		{"POST /api/calc/{name}", false, s.apiCalc},
		{"/api/", false, s.apiNotFound},
		{"GET /login", true, s.pageLogin},
		{"POST /login", true, s.sameOrigin(s.postLogin)},
		{"POST /logout", true, s.sameOrigin(s.postLogout)},
		{"GET /{$}", false, s.audited("list patients", RoleReader, s.pageList)},
		{"GET /calculators", false, s.pageCalculators},
		{"POST /calculators/{name}", false, s.postCalculator},
		{"GET /import", false, s.requireRole(RoleImporter, s.pageImport)},
		{"POST /import", false, s.audited("import", RoleImporter, s.postImport)},
		{"/", false, func(w http.ResponseWriter, r *http.Request) {
			s.pageError(w, r, Errorf(KindNotFound, "", "no such page"))
		}},
		{"GET /patients/{id}", false, s.audited("read patient page", RoleReader, s.pagePatient)},
		{"GET /docs/api", false, s.pageAPIDocs},
		{"GET /cds/feedback", false, s.requireRole(RoleReader, s.pageCDSFeedback)},
	}, s.cdsRoutes()...)
}

// ServeHTTP serves r: access log, security headers, then the route.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.logRequests(securityHeaders(s.mux)).ServeHTTP(w, r)
}

// SetReady sets the readiness check of /readyz (the store answers).
func (s *Server) SetReady(f func(context.Context) error) { s.ready = f }

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSONStatus(w, http.StatusOK, map[string]string{"status": "ok"})
}

// readyz answers 200 when the store answers a patient lookup within 2
// seconds.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	check := s.ready
	if check == nil {
		// One indexed lookup of an id no importer gives: the store
		// answers "not found" when it works, whatever its size.
		check = func(ctx context.Context) error {
			_, err := s.cfg.Store.Patient(ctx, "\x00readyz")
			if errors.Is(err, store.ErrNotFound) {
				return nil
			}
			return err
		}
	}
	if err := check(ctx); err != nil {
		s.log.WarnContext(r.Context(), "not ready", "err", err.Error())
		writeJSONStatus(w, http.StatusServiceUnavailable, map[string]string{"status": "store unavailable"})
		return
	}
	writeJSONStatus(w, http.StatusOK, map[string]string{"status": "ready"})
}

func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) {
	b, err := assets.ReadFile("openapi.json")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, _ = w.Write(b)
}

// apiNotFound answers an /api/ request no route took: 405 with Allow when
// the path is a route for other methods (DELETE /api/patients/x), else 404.
func (s *Server) apiNotFound(w http.ResponseWriter, r *http.Request) {
	var allow []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		if m == r.Method {
			continue
		}
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := s.mux.Handler(probe); pattern != "" && pattern != "/api/" && !strings.HasPrefix(pattern, "/") {
			allow = append(allow, m)
		}
	}
	if len(allow) > 0 {
		w.Header().Set("Allow", strings.Join(allow, ", "))
		s.writeError(w, r, Errorf(KindMethod, "", "%s is not allowed on %s; allowed: %s", r.Method, r.URL.Path, strings.Join(allow, ", ")))
		return
	}
	s.writeError(w, r, Errorf(KindNotFound, "", "no such API route"))
}
