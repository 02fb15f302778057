package server

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// levelOf logs server errors at error level, the rest at info.
func levelOf(status int) slog.Level {
	if status >= http.StatusInternalServerError {
		return slog.LevelError
	}
	return slog.LevelInfo
}

// csp allows scripts, styles and images from this origin only: no inline
// script or style, no framing, no plug-ins, forms post here only.
const csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
	"font-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// securityHeaders sets the headers every response carries.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if !strings.HasPrefix(r.URL.Path, "/static/") {
			h.Set("Cache-Control", "no-store")
		}
		next.ServeHTTP(w, r)
	})
}

// logInfo collects what the access log says about a request: filled in
// by the handlers below it.
type logInfo struct {
	user string
	role Role
	// undelivered: why the answer could not be sent (deliver), or "".
	undelivered string
}

type logKey struct{}

// statusWriter remembers the status and size of a response.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// logRequests writes one access log record per request with the method,
// the route pattern (never the path: a path holds patient ids), the
// status, bytes, duration and the token's name. No query string, no body.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		info := &logInfo{}
		r = r.WithContext(context.WithValue(r.Context(), logKey{}, info))
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		attrs := []slog.Attr{slog.String("method", r.Method), slog.String("route", routeOf(r)), slog.Int("status", sw.status),
			slog.Int64("bytes", sw.bytes), slog.Duration("duration", time.Since(start)), slog.String("user", info.user)}
		lvl := levelOf(sw.status)
		if info.undelivered != "" {
			// The status was set, but the answer did not reach the client.
			attrs, lvl = append(attrs, slog.String("undelivered", info.undelivered)), slog.LevelError
		}
		s.log.LogAttrs(r.Context(), lvl, "request", attrs...)
	})
}

// routeOf is the pattern that matched r ("GET /api/patients/{id}"), or
// "unmatched": paths are not logged because they hold patient ids.
func routeOf(r *http.Request) string {
	if r.Pattern != "" {
		return r.Pattern
	}
	return "unmatched"
}

// authenticate lets a request through when it carries a known bearer
// token (or when the server runs without tokens, as --demo does) and
// records the token's name for the access log.
func (s *Server) authenticate(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		info, _ := r.Context().Value(logKey{}).(*logInfo)
		if s.cfg.Tokens == nil {
			if info != nil {
				info.user, info.role = "demo", RoleAdmin
			}
			next(w, r)
			return
		}
		name, role, ok := s.requestHolder(r)
		if !ok {
			if info != nil {
				info.user = "-"
			}
			err := Errorf(KindUnauthorized, "", "a bearer token from the server's token file is required (Authorization: Bearer TOKEN)")
			if strings.HasPrefix(r.URL.Path, "/api/") {
				s.writeError(w, r, err)
				return
			}
			w.Header().Set("WWW-Authenticate", `Bearer realm="renalwatch"`)
			s.render(w, r, http.StatusUnauthorized, "login.html", page{Title: "Sign in", Body: loginPage{}})
			return
		}
		if info != nil {
			info.user, info.role = name, role
		}
		next(w, r)
	}
}

// sameOrigin refuses a POST sent by a page of another site (403): a form
// on a foreign page must not import into the store or run calculators in
// a signed-in browser. Requests without Origin (curl, scripts) pass; they
// carry their own bearer token.
func (s *Server) sameOrigin(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			if r.Header.Get("Sec-Fetch-Site") == "cross-site" {
				s.writeError(w, r, Errorf(KindForbidden, "", "cross-site requests are refused"))
				return
			}
			if o := r.Header.Get("Origin"); o != "" {
				want := r.Host
				if u, err := url.Parse(s.cfg.PublicURL); err == nil && s.cfg.PublicURL != "" {
					want = u.Host
				}
				if u, err := url.Parse(o); err != nil || u.Host != want {
					s.writeError(w, r, Errorf(KindForbidden, "", "requests from another origin are refused"))
					return
				}
			}
		}
		next(w, r)
	}
}
