package bearer

import (
	"net/http/httptest"
	"testing"
)

// TestToken: RFC 7235 §2.1, the auth-scheme is case-insensitive; RFC 6750
// §2.1, credentials = "Bearer" 1*SP b64token.
func TestToken(t *testing.T) {
	rows := []struct{ header, want string }{
		{"Bearer abc.def.ghi", "abc.def.ghi"},
		{"bearer abc.def.ghi", "abc.def.ghi"},
		{"BEARER abc", "abc"},
		{"Bearer   abc  ", "abc"},
		{"", ""},
		{"Bearer", ""},
		{"Bearer ", ""},
		{"Basic dXNlcjpwYXNz", ""},
		{"Bearerabc", ""},
	}
	for _, r := range rows {
		req := httptest.NewRequest("GET", "/", nil)
		if r.header != "" {
			req.Header.Set("Authorization", r.header)
		}
		if got := Token(req); got != r.want {
			t.Errorf("Authorization %q: got %q, want %q", r.header, got, r.want)
		}
	}
}
