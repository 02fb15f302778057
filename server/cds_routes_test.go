package server

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"renalwatch/fhir/cdshooks"
)

// TestCDSRoutesAnswerJSON: through the server, a wrong method or path
// under /cds-services reaches the CDS Hooks handler and gets its JSON
// error, not the dashboard's HTML 404 page (trial-web #14).
func TestCDSRoutesAnswerJSON(t *testing.T) {
	s, _ := newTestServer(t, Config{CDS: &cdshooks.Config{Demo: true}})
	for _, r := range []struct {
		method, path string
		status       int
		allow        string
	}{
		{http.MethodGet, "/cds-services/renalwatch-kidney", 405, "POST, OPTIONS"},
		{http.MethodDelete, "/cds-services", 405, "GET, OPTIONS"},
		{http.MethodPost, "/cds-services/renalwatch-kidney/", 404, ""},
		{http.MethodGet, "/cds-services/renalwatch-kidney/feedback", 405, "POST, OPTIONS"},
	} {
		w := httptest.NewRecorder()
		s.ServeHTTP(w, httptest.NewRequest(r.method, r.path, strings.NewReader("{}")))
		if w.Code != r.status || w.Header().Get("Allow") != r.allow || !strings.HasPrefix(w.Header().Get("Content-Type"), "application/json") ||
			!strings.HasPrefix(w.Body.String(), `{"error":`) {
			t.Errorf("%s %s: %d %q %s", r.method, r.path, w.Code, w.Header().Get("Content-Type"), w.Body)
		}
	}
}
