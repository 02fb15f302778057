package cdshooks

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"renalwatch/assess"
	"renalwatch/fhir"
	"renalwatch/internal/bearer"
	"renalwatch/record"
)

// Config configures the CDS Hooks handler.
type Config struct {
	// ServiceID is the one service's id (default DefaultServiceID).
	ServiceID string
	// PublicURL is the base URL the EHR calls, such as
	// "https://renalwatch.example.org" (--public-url). JWT aud is checked
	// against the URL built from it, never from the Host header; cards
	// link to {PublicURL}/patients/{id} when it is set and Patients
	// confirms the patient (dashboardLink). Required with Trust.
	PublicURL string
	// Patients looks a patient up in RenalWatch's store, for the cards'
	// dashboard link (nil: cards carry no link).
	Patients PatientLookup
	// FHIRServers are the fhirServer base URLs the service may call when
	// there is no Trust (--demo, --cds-fhir-servers); with Trust each
	// client's own list (fhir_servers in the trust file) is used. A
	// fhirServer not listed is never called (fhirAllowed).
	FHIRServers []string
	// Now is the clock; the assessment's as-of is Now() (default
	// time.Now).
	Now func() time.Time
	// Assess configures the assessment (zero: assess.DefaultConfig()).
	Assess *assess.Config
	// MaxCards is the most cards returned, most severe first (default 6).
	MaxCards int
	// Window is how far back the Observation prefetch asks (default 10
	// years).
	Window time.Duration
	// Trust verifies the CDS Client's JWT. Nil is allowed only with Demo.
	Trust *Trust
	// Demo runs without JWT verification; the server says so on start.
	Demo bool
	// AllowedOrigins are the browser origins allowed by CORS; "*" allows
	// any origin (never with credentials).
	AllowedOrigins []string
	// Feedback keeps issued cards and feedback (default: in memory).
	Feedback FeedbackStore
	// FHIRClient calls the CDS Client's fhirServer (default: a client
	// with a 10 s timeout).
	FHIRClient *http.Client
	// Logger receives one line per call, without PHI (default: discard).
	Logger *slog.Logger
	// MaxBody bounds a request body (default 64 MiB: ten years of
	// prefetched Observations).
	MaxBody int64
	// CallTimeout bounds the work on one service call, from when the
	// handler takes it (default 60 s, half the 2-minute write timeout of
	// renalwatch serve): a call past it stops between its steps and is
	// answered 503, instead of being assessed, audited "ok" and then
	// never delivered (trial 10 F15: 203 s, an empty reply).
	CallTimeout time.Duration
	// MaxAssessing bounds the service calls decoded and assessed at once;
	// the others wait their turn (gate.go). Zero: GOMAXPROCS, the cores
	// the server may use.
	MaxAssessing int
}

// DefaultServiceID is the id of RenalWatch's patient-view service.
const DefaultServiceID = "renalwatch-kidney"

// Check reports a configuration the handler cannot serve with.
func (c *Config) Check() error {
	switch {
	case c.Trust == nil && !c.Demo:
		return errors.New("cdshooks: no CDS client trust configured (--cds-trust) and not in demo mode")
	case c.Trust != nil && c.PublicURL == "":
		return errors.New("cdshooks: JWT verification needs the public URL (--public-url) to check aud")
	case c.PublicURL != "" && !strings.HasPrefix(c.PublicURL, "https://") && !strings.HasPrefix(c.PublicURL, "http://"):
		return errors.New("cdshooks: public URL must be an absolute http(s) URL")
	case c.Trust != nil && len(c.FHIRServers) > 0:
		return errors.New("cdshooks: with trust, list each client's FHIR servers in the trust file (fhir_servers), not --cds-fhir-servers")
	}
	for _, u := range c.FHIRServers {
		if _, err := fhirBase(u); err != nil {
			return fmt.Errorf("cdshooks: FHIR server %w", err)
		}
	}
	return nil
}

type handler struct {
	cfg         Config
	mux         *http.ServeMux
	base        string
	broken      error
	fhirServers []string // Config.FHIRServers in canonical form (fhirBase)
	gate        gate     // Config.MaxAssessing
}

// NewHandler returns the CDS Hooks 2.0.1 endpoints, with CORS on every
// route:
//
//	GET  /cds-services                 discovery
//	POST /cds-services/{id}            the patient-view service
//	POST /cds-services/{id}/feedback   feedback
//
// A configuration that fails Check gives a handler that answers every
// request 503 with the reason; the server should call Check at start.
func NewHandler(cfg Config) http.Handler {
	if cfg.ServiceID == "" {
		cfg.ServiceID = DefaultServiceID
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Assess == nil {
		d := assess.DefaultConfig()
		cfg.Assess = &d
	}
	if cfg.MaxCards == 0 {
		cfg.MaxCards = 6
	}
	if cfg.Window == 0 {
		cfg.Window = 3653 * 24 * time.Hour
	}
	if cfg.Feedback == nil {
		cfg.Feedback = NewMemoryFeedbackStore()
	}
	if cfg.FHIRClient == nil {
		cfg.FHIRClient = &http.Client{Timeout: 10 * time.Second}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.MaxBody == 0 {
		cfg.MaxBody = 64 << 20
	}
	if cfg.CallTimeout == 0 {
		cfg.CallTimeout = 60 * time.Second
	}
	h := &handler{cfg: cfg, mux: http.NewServeMux(), base: strings.TrimSuffix(cfg.PublicURL, "/") + "/cds-services", broken: cfg.Check(), gate: newGate(cfg.MaxAssessing)}
	for _, u := range cfg.FHIRServers {
		if b, err := fhirBase(u); err == nil {
			h.fhirServers = append(h.fhirServers, b)
		}
	}
	// The patterns keep their methods: the mux sets r.Pattern on the
	// request it is given, which the server's audit reads afterwards.
	h.mux.HandleFunc("GET /cds-services", h.discovery)
	h.mux.HandleFunc("POST /cds-services/{id}", jsonBody(h.service))
	h.mux.HandleFunc("POST /cds-services/{id}/feedback", jsonBody(h.feedback))
	h.mux.HandleFunc("/", h.noRoute)
	return newCORS(cfg.AllowedOrigins, h)
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h.broken != nil {
		writeJSON(w, http.StatusServiceUnavailable, errorBody{Error: h.broken.Error()})
		return
	}
	h.mux.ServeHTTP(w, r)
}

// authorize verifies the bearer JWT for the endpoint whose URL is aud
// (§ Trusting CDS Clients: every call, discovery included).
// The claims are nil without Trust (demo). The verified iss goes to the
// request's caller slot (WithCallerSlot).
func (h *handler) authorize(r *http.Request, aud string) (*Claims, error) {
	if h.cfg.Trust == nil { // Demo, as Check ensures
		return nil, nil
	}
	tok := bearer.Token(r)
	if tok == "" {
		return nil, fail(errNoCredentials, "Authorization: Bearer <JWT> is required")
	}
	c, err := h.cfg.Trust.Verify(r.Context(), tok, aud, h.cfg.Now())
	if err == nil && c != nil {
		if cs, _ := r.Context().Value(callerSlot{}).(*Caller); cs != nil {
			cs.Issuer = c.Iss
		}
	}
	return c, err
}

func (h *handler) discovery(w http.ResponseWriter, r *http.Request) {
	if _, err := h.authorize(r, h.base); err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, Discovery{Services: []Service{{
		Hook:  HookPatientView,
		Title: "RenalWatch: kidney and lupus nephritis monitoring",
		Description: "When a chart opens, assesses kidney function (eGFR, CKD stage, KFRE, progression), proteinuria, " +
			"lupus nephritis flares and response, and overdue monitoring from the patient's laboratory results, " +
			"conditions, medications and procedures, and returns a card for each finding that needs action.",
		ID:       h.cfg.ServiceID,
		Prefetch: templates(h.cfg.Now(), h.cfg.Window),
		UsageRequirements: "Give every prefetch key, or fhirServer with fhirAuthorization so the service can fetch what is missing " +
			"(a key left out, an OperationOutcome, or a searchset with a next link); otherwise the call is answered 412. " +
			"RenalWatch informs; it does not prescribe.",
	}}})
}

func (h *handler) service(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	slot, _ := r.Context().Value(patientSlot{}).(*string)
	p := &pass{g: h.gate} // for the signature check, then the assessment
	defer p.leave()
	ctx, cancel := context.WithTimeout(r.Context(), h.cfg.CallTimeout)
	defer cancel()
	r = r.WithContext(withPass(ctx, p))
	claims, err := h.authorize(r, h.base+"/"+id)
	if err != nil {
		// A refused call's body is not read: a patient id or user from an
		// unverified caller is not recorded as if it were (trial-web #8).
		h.fail(w, r, err)
		return
	}
	if id != h.cfg.ServiceID {
		h.fail(w, r, fail(ErrNotFound, "no CDS service %q", id))
		return
	}
	body, err := readBody(getBody(), http.MaxBytesReader(w, r.Body, h.cfg.MaxBody), r.ContentLength, h.cfg.MaxBody)
	defer putBody(body) // after the answer is written: it is read from body
	if err != nil {
		h.fail(w, r, decodeError(err, "request"))
		return
	}
	if err := p.enter(r.Context()); err != nil {
		if errors.Is(r.Context().Err(), context.DeadlineExceeded) {
			err = h.late(r.Context()) // CallTimeout passed while it waited
		} else {
			err = errGone()
		}
		h.fail(w, r, err)
		return
	}
	resp, err := h.call(r.Context(), body, id, slot, claims)
	if err != nil {
		p.leave()
		h.fail(w, r, err)
		return
	}
	out, err := json.Marshal(resp)
	p.leave() // encoded: writing to a slow client holds no place
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	w.Write(append(out, '\n'))
}

// Caller is who made a CDS call, for the server's audit trail: Issuer is
// the verified JWT's iss (empty when JWTs are not verified, under --demo),
// UserID the hook's context.userId ("Practitioner/123") of a call whose
// JWT was verified (or not required) and whose context was well formed.
type Caller struct{ Issuer, UserID string }

// callerSlot is the context key of WithCallerSlot.
type callerSlot struct{}

// WithCallerSlot returns ctx carrying c: a call served with it fills c
// (Caller) once the JWT is verified and the body read.
func WithCallerSlot(ctx context.Context, c *Caller) context.Context {
	return context.WithValue(ctx, callerSlot{}, c)
}

// patientSlot is the context key of WithPatientSlot.
type patientSlot struct{}

// WithPatientSlot returns ctx carrying p: a service call served with it
// stores in *p the context.patientId the CDS Client sent, once the body
// is read (also when the call is refused), so that the server's audit row
// names the patient without reading the body a second time.
func WithPatientSlot(ctx context.Context, p *string) context.Context {
	return context.WithValue(ctx, patientSlot{}, p)
}

// invalidPatientID is the audit's reason for a call refused because its
// context.patientId is not a FHIR id; the value itself is not recorded.
const invalidPatientID = "context.patientId is not a FHIR id (such as a reference Patient/{id}); no patient recorded"

// call answers one patient-view call. The prefetched resources are read
// straight from body: decoded once (decodeRequest), never copied into a
// Bundle and decoded again. The resources are checked by the fhir reader
// as it decodes them, not before (skim.go); a call whose answer could
// depend on that check being made first is served again with the body
// checked whole.
func (h *handler) call(ctx context.Context, body []byte, id string, slot *string, claims *Claims) (*Response, error) {
	if skim {
		out, err := h.serve(ctx, body, id, slot, claims, true)
		if err != errChecked {
			return out, err
		}
	}
	return h.serve(ctx, body, id, slot, claims, false)
}

// late returns why a call must stop before its next step: its
// CallTimeout passed (503, Retry-After) or the client went away; nil
// while it may go on.
func (h *handler) late(ctx context.Context) error {
	switch ctx.Err() {
	case nil:
		return nil
	case context.DeadlineExceeded:
		return fail(ErrUnavailable, "the call took longer than %s and was stopped before it was assessed", h.cfg.CallTimeout)
	}
	return fail(ErrUnavailable, "the call was given up: the client went away")
}

// errChecked: a skimmed call (skim.go) must be served again with its body
// checked whole.
var errChecked = errors.New("cdshooks: to be served with the body checked")

// serve is call, with skim as in decodeCallWith: a skimmed call returns
// errChecked, before any effect, when anything but a complete prefetch of
// valid resources is found.
func (h *handler) serve(ctx context.Context, body []byte, id string, slot *string, claims *Claims, skim bool) (*Response, error) {
	var dec *fhir.Entries
	if skim {
		dec = fhir.NewEntries()
	}
	req, sh, pv, skimmed, err := decodeCallWith(body, id, skim, dec)
	if skimmed && err != nil {
		return nil, errChecked
	}
	switch {
	case pv.PatientID == "":
	case !fhirID.MatchString(pv.PatientID):
		// Trial #13: a patientId refused as invalid ("Patient/123") is
		// no patient's id: the audit records none, and why.
		if p, ok := ctx.Value(refusalSlot{}).(*string); ok {
			*p = invalidPatientID
		}
	case slot != nil:
		*slot = pv.PatientID
	}
	if err != nil {
		return nil, err
	}
	if cs, _ := ctx.Value(callerSlot{}).(*Caller); cs != nil {
		cs.UserID = pv.UserID
	}
	if err := h.late(ctx); err != nil {
		return nil, err
	}
	now := h.cfg.Now()
	g := &gatherer{client: h.cfg.FHIRClient, req: req, pv: pv, now: now, window: h.cfg.Window, shallow: sh,
		refused: h.fhirRefused(claims, req.FHIRServer), skimmed: skimmed}
	if err := g.gather(ctx); err != nil {
		if err := h.late(ctx); err != nil {
			return nil, err // a fetch cut short by the deadline
		}
		if skimmed {
			return nil, errChecked
		}
		return nil, err
	}
	rd := fhir.Reader{Now: now, System: req.FHIRServer, KeepNotFinal: true}
	entries := g.resources()
	if dec == nil {
		dec = fhir.NewEntries()
	}
	res := dec.Read(&rd, "cds-hooks "+req.HookInstance, entries)
	if skimmed {
		// A resource the reader rejected may be one that is not JSON: the
		// checked reading refuses the whole call then (400).
		for _, rj := range res.Rejected {
			if rj.Entry < 1 || rj.Entry > len(entries) || !json.Valid(entries[rj.Entry-1].Resource) {
				return nil, errChecked
			}
		}
	}
	if err := h.late(ctx); err != nil {
		return nil, err
	}
	rejected := slices.Concat(g.outside, res.Rejected, res.NotFinal, oneVersion(&res.Batch))
	p := record.Patient{ID: pv.PatientID}
	for _, x := range res.Batch.Patients {
		if x.ID == pv.PatientID {
			p = x
		}
	}
	// res.Batch is not used after this: the timeline takes its slices
	// over instead of copying every Observation.
	tl := record.NewTimelineOwned(p, res.Batch)
	a := assess.Assess(tl, now, *h.cfg.Assess)
	in := cardInput{hookInstance: req.HookInstance, max: h.cfg.MaxCards, leftOut: rejected,
		lupusNephritis: hasLupusNephritis(tl, a, now)}
	in.notAssessed, in.notAssessedSummary = notAssessed(a, g.patientNull, tl.Len())
	if in.notAssessed == "" {
		in.notAssessed, in.notAssessedSummary = fixableEGFR(a, p, h.cfg.Assess)
	}
	cards := buildCards(a, in)
	if len(cards) > 0 {
		// The link is looked up in the store (a read transaction) only
		// for an answer with cards to carry it.
		addLink(cards, h.dashboardLink(ctx, p))
	}
	out := &Response{Cards: make([]Card, 0, len(cards))}
	issued := make([]IssuedCard, 0, len(cards))
	for _, c := range cards {
		issued = append(issued, IssuedCard{UUID: c.card.UUID, ServiceID: id, AlertCode: c.code, Issued: now})
		out.Cards = append(out.Cards, c.card)
	}
	if err := h.late(ctx); err != nil {
		return nil, err // before any card is issued
	}
	if len(issued) > 0 {
		if err := h.cfg.Feedback.Issue(ctx, issued...); err != nil { // one transaction for the call's cards
			return nil, err
		}
	}
	h.cfg.Logger.LogAttrs(ctx, slog.LevelInfo, "cds-hooks call", slog.String("hookInstance", req.HookInstance),
		slog.Int("resources", res.Read), slog.Int("rejected", len(rejected)), slog.Any("fetched", g.fetched),
		slog.Int("alerts", len(a.Alerts)), slog.Int("cards", len(out.Cards)))
	return out, nil
}

func (h *handler) feedback(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if _, err := h.authorize(r, h.base+"/"+id+"/feedback"); err != nil {
		h.fail(w, r, err)
		return
	}
	if id != h.cfg.ServiceID {
		h.fail(w, r, fail(ErrNotFound, "no CDS service %q", id))
		return
	}
	fr, err := decodeFeedback(http.MaxBytesReader(w, r.Body, 1<<20))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, f := range fr.Feedback {
		if err := h.cfg.Feedback.Record(r.Context(), id, f); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	w.WriteHeader(http.StatusOK)
}

// fail logs and answers an error; its status comes from statusOf.
func (h *handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	st := statusOf(err)
	// Reasons of 4xx answers may echo request values (ids): only the
	// status is logged for them.
	attrs := []slog.Attr{slog.String("path", r.URL.Path), slog.Int("status", st)}
	lvl := slog.LevelInfo
	if st >= 500 {
		lvl = slog.LevelError
		attrs = append(attrs, slog.String("error", err.Error()))
	}
	h.cfg.Logger.LogAttrs(r.Context(), lvl, "cds-hooks error", attrs...)
	noteRefusal(r.Context(), err)
	writeError(w, err)
}

// FeedbackCounts serves the feedback counts per alert code as JSON
// {"counts":[{"alert_code","accepted","overridden"}]}, for the server to
// mount at /api/cds/feedback behind its own authentication.
func FeedbackCounts(s FeedbackStore) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := s.Counts(r.Context())
		if err != nil {
			writeError(w, err)
			return
		}
		writeJSON(w, http.StatusOK, struct {
			Counts []FeedbackCount `json:"counts"`
		}{c})
	})
}
