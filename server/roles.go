package server

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"time"

	"renalwatch/fhir/cdshooks"
	"renalwatch/store"
)

// Role is what a token may do: a reader reads, an importer also imports,
// an admin may do everything.
type Role int

// Roles, from least to most allowed.
const (
	RoleReader Role = iota
	RoleImporter
	RoleAdmin
)

var roleNames = [...]string{"reader", "importer", "admin"}

func (r Role) String() string {
	if r < 0 || int(r) >= len(roleNames) {
		return "unknown"
	}
	return roleNames[r]
}

// ParseRole reads a role of the token file.
func ParseRole(s string) (Role, bool) {
	for i, n := range roleNames {
		if strings.EqualFold(s, n) {
			return Role(i), true
		}
	}
	return RoleReader, false
}

// who returns the token's name and role that authenticate recorded.
func who(r *http.Request) (string, Role) {
	if info, ok := r.Context().Value(logKey{}).(*logInfo); ok {
		return info.user, info.role
	}
	return "-", RoleReader
}

// allowed reports whether the request's token holds role min or more.
func allowed(r *http.Request, min Role) bool {
	_, role := who(r)
	return role >= min
}

// forbidden answers 403 for a token whose role is below min.
func (s *Server) forbidden(w http.ResponseWriter, r *http.Request, min Role) {
	_, role := who(r)
	err := Errorf(KindForbidden, "", "this needs the %s role; your token's role is %s", min, role)
	if strings.HasPrefix(r.URL.Path, "/api/") {
		s.writeError(w, r, err)
		return
	}
	s.pageError(w, r, err)
}

// requireRole refuses (403) a token whose role is below min.
func (s *Server) requireRole(min Role, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !allowed(r, min) {
			s.forbidden(w, r, min)
			return
		}
		next(w, r)
	}
}

// bufferedWriter holds a response until the audit row is written.
type bufferedWriter struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferedWriter) Header() http.Header { return b.header }
func (b *bufferedWriter) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}
func (b *bufferedWriter) WriteHeader(code int) {
	if b.status == 0 {
		b.status = code
	}
}

// outcomeOf words a response status for the audit trail.
func outcomeOf(status int) string {
	switch {
	case status < 300:
		return "ok"
	case status == http.StatusUnauthorized:
		return "unauthorized"
	case status == http.StatusForbidden:
		return "denied"
	case status == http.StatusNotFound:
		return "not found"
	case status < 500:
		return "refused (" + http.StatusText(status) + ")"
	case status == http.StatusServiceUnavailable:
		return "unavailable"
	default:
		return "error"
	}
}

// auditWriteTimeout bounds the write of a request's audit row, which is
// detached from the request's cancellation.
const auditWriteTimeout = 10 * time.Second

// auditOutcomeKey is the request context key of the audit outcome a
// handler words for a successful request (setAuditOutcome).
type auditOutcomeKey struct{}

// auditedAsKey is the request context key of who an audited request is
// written to the audit trail as, and when (AuditedAs).
type auditedAsKey struct{}

// auditedAs is who and when the audit row of a request names.
type auditedAs struct {
	who string
	at  time.Time
}

// AuditedAs returns who the audit row of the request of ctx names and its
// time, and false when the server keeps no audit trail. The import
// function gives them to the rows of the patients the upload changed
// (store.ImportAudit), which its transaction writes: they match the
// request's own row.
func AuditedAs(ctx context.Context) (who string, at time.Time, ok bool) {
	a, ok := ctx.Value(auditedAsKey{}).(auditedAs)
	return a.who, a.at, ok
}

// setAuditOutcome replaces "ok" in the audit row of r by outcome when the
// request succeeds, or is a 422 import that stored nothing: an import
// records its counts as the CLI's import row does ("ok: 1 file, read 102,
// imported 100, …, rejected 2"; "nothing imported: 1 file, read 102,
// imported 0, …, rejected 102").
func setAuditOutcome(r *http.Request, outcome string) {
	if p, ok := r.Context().Value(auditOutcomeKey{}).(*string); ok {
		*p = outcome
	}
}

// cdsActor names a CDS Hooks caller in the audit trail (trial-web #8): the
// EHR (the verified JWT's iss) and the user (context.userId), "cds
// https://ehr.example.org user Practitioner/123"; "cds client, JWT
// refused" for a 401; "cds client, JWT not verified (demo)" when the server
// verifies none.
func cdsActor(c cdshooks.Caller, status int, verifying bool) string {
	var who string
	switch {
	case status == http.StatusUnauthorized:
		return "cds client, JWT refused"
	case c.Issuer != "":
		who = "cds " + c.Issuer
	case !verifying:
		who = "cds client, JWT not verified (demo)"
	default:
		who = "cds client" // refused before the JWT was checked (an unknown service)
	}
	if c.UserID != "" {
		who += " user " + c.UserID
	}
	return who
}

// audited checks the role (403 below min) and writes one audit row per
// request: when, the token's name (on the CDS Hooks routes, whose JWT
// the cdshooks handler checks, the EHR's iss and context.userId: cdsActor), action, the {id} patient of a
// /patients/{id} route (a CDS call's action names its service), and the
// outcome from the response status (with the reason of a CDS call or
// feedback refused 503); a denied request is audited too. The
// response is held until the row is written, and a request whose row
// cannot be written is answered 503 instead: an access that cannot be
// audited is not granted. (The row names the patient; the access log
// never does.)
func (s *Server) audited(action string, min Role, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		bw := &bufferedWriter{header: w.Header()}
		ctx := r.Context()
		cdsPatient, cdsRefusal := "", ""
		var caller cdshooks.Caller
		var issued *[]store.IssuedCard
		if strings.HasPrefix(r.Pattern, "POST /cds-services/") && s.auditor != nil {
			// A call the CDS handler refuses with 503 (its JWT replay
			// store fails) leaves the reason here for the row; and who
			// called: the verified JWT's iss and context.userId.
			ctx = cdshooks.WithRefusalSlot(ctx, &cdsRefusal)
			ctx = cdshooks.WithCallerSlot(ctx, &caller)
		}
		if r.Pattern == "POST /cds-services/{id}" && s.auditor != nil {
			// The audit names whose record the EHR sent: the CDS handler
			// stores context.patientId here as it reads the body.
			ctx = cdshooks.WithPatientSlot(ctx, &cdsPatient)
			if s.callAuditor != nil {
				// The cards the call issues are written with its audit
				// row below, in one transaction, before the response is
				// sent.
				issued = new([]store.IssuedCard)
				ctx = context.WithValue(ctx, issuedCardsKey{}, issued)
			}
		}
		detail := new(string) // set by the handler through setAuditOutcome
		at := s.cfg.Now()     // the time of the row: when the request came
		if name, _ := who(r); s.auditor != nil && name != "" {
			ctx = context.WithValue(ctx, auditedAsKey{}, auditedAs{name, at})
		}
		r = r.WithContext(context.WithValue(ctx, auditOutcomeKey{}, detail))
		if allowed(r, min) {
			next(bw, r)
		} else {
			s.forbidden(bw, r, min)
		}
		if bw.status == 0 {
			bw.status = http.StatusOK
		}
		var e store.AuditEntry // the call's row, when audited
		if s.auditor != nil {
			name, _ := who(r)
			if name == "" {
				// CDS Hooks routes: the EHR's JWT, checked by the cdshooks handler
				name = cdsActor(caller, bw.status, s.cfg.CDS != nil && s.cfg.CDS.Trust != nil)
			}
			pid, what := "", action // what: a copy, never the closure's action (shared by every request)
			if strings.Contains(r.Pattern, "/patients/{id}") {
				pid = r.PathValue("id")
			} else if strings.HasPrefix(r.Pattern, "POST /cds-services/") {
				what += " " + r.PathValue("id") // the service; the patient is in the hook's context
				if bw.status != http.StatusUnauthorized {
					pid = cdsPatient // never a patient id from an unverified caller's body
				}
			}
			outcome := outcomeOf(bw.status)
			switch {
			case *detail != "" && (bw.status < 300 || bw.status == http.StatusUnprocessableEntity):
				// A 422 import stored nothing: its row says so with its
				// counts, "nothing imported: 1 file, read 0, …", as
				// 'renalwatch import' words it (trial 10 F5).
				outcome = *detail
			case (bw.status == http.StatusServiceUnavailable || bw.status == http.StatusBadRequest) && cdsRefusal != "":
				// "unavailable: could not check the token's jti against the
				// replay store"; "refused (Bad Request): context.patientId is
				// not a FHIR id ..." (trial #13: no patient id recorded)
				outcome += ": " + cdsRefusal
			}
			e = store.AuditEntry{Time: at, Who: name, Action: what, PatientID: pid, Outcome: outcome}
			// The row is written even when the client went away (its
			// context cancelled): an upload it sent may have been stored,
			// with its patients' rows, and its own row must not be lost
			// (trial 9 F-f). The timeout bounds a store that does not answer.
			actx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), auditWriteTimeout)
			var err error
			if issued != nil && len(*issued) > 0 {
				err = s.callAuditor.AuditIssued(actx, e, *issued...)
			} else {
				err = s.auditor.Audit(actx, e)
			}
			cancel()
			if err != nil {
				s.log.ErrorContext(r.Context(), "audit row not written; request refused", "route", routeOf(r), "action", action) // not err: a database error may quote the row, and so the patient
				for k := range w.Header() {
					delete(w.Header(), k)
				}
				s.writeError(w, r, Errorf(KindInternal, "", "the audit trail cannot be written; nothing is served until it can"))
				return
			}
		}
		if err := deliver(w, bw); err != nil {
			s.undelivered(r, e, err)
		}
	}
}
