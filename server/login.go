package server

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"renalwatch/internal/bearer"
)

// tokenCookie carries the session of a browser that signed in on /login
// (session.go: signed, expiring, not the token itself): HttpOnly (no
// script reads it), SameSite=Strict (no other site's page sends it),
// Secure when the server is reached over HTTPS, and a Max-Age. The API
// accepts it as it accepts the Authorization header.
const tokenCookie = "renalwatch_session"

// maxLoginBody bounds the sign-in form.
const maxLoginBody = 4 << 10

// requestHolder is the holder of r's credentials: the bearer token of the
// Authorization header, else the sign-in cookie's session.
func (s *Server) requestHolder(r *http.Request) (string, Role, bool) {
	if t := bearer.Token(r); t != "" {
		return s.cfg.Tokens.LookupRole(t)
	}
	if c, err := r.Cookie(tokenCookie); err == nil {
		return s.cfg.Tokens.LookupSession(c.Value, s.cfg.Now())
	}
	return "", RoleReader, false
}

type loginPage struct {
	Error string
	Open  bool // the server runs without tokens (--demo)
}

func (s *Server) pageLogin(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "login.html", page{Title: "Sign in", Body: loginPage{Open: s.cfg.Tokens == nil}})
}

// postLogin checks the token typed into the sign-in form and keeps a
// signed session of its holder in the cookie (never the token); a wrong token shows the form again with 401.
func (s *Server) postLogin(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxLoginBody)
	if err := r.ParseForm(); err != nil {
		s.pageError(w, r, bodyError(err))
		return
	}
	tok := strings.TrimSpace(r.PostForm.Get("token"))
	name, ok := s.cfg.Tokens.Lookup(tok)
	if !ok {
		s.render(w, r, http.StatusUnauthorized, "login.html", page{Title: "Sign in", Body: loginPage{Error: "This token is not in the server's token file."}})
		return
	}
	if info, _ := r.Context().Value(logKey{}).(*logInfo); info != nil {
		info.user = name
	}
	http.SetCookie(w, &http.Cookie{Name: tokenCookie, Value: s.cfg.Tokens.newSession(s.cfg.Tokens.index(name), s.cfg.Now()), Path: "/",
		MaxAge: int(sessionLife / time.Second), HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: s.secure(r)})
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

func (s *Server) postLogout(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: tokenCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: s.secure(r)})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// secure says whether users reach the server over HTTPS.
func (s *Server) secure(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	u, err := url.Parse(s.cfg.PublicURL)
	return err == nil && u.Scheme == "https"
}
