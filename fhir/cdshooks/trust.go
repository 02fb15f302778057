package cdshooks

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// TrustFile is the --cds-trust file: the CDS Clients whose JWTs are
// accepted, each by its iss with its JWK Set in a file (jwks_file,
// relative to the trust file) or at an allowlisted URL (jku). § Trusting
// CDS Clients: "CDS Services SHOULD limit the CDS Clients they trust by
// maintaining an allowlist of iss and jku urls"; without jku "the CDS
// Client and CDS Service SHALL communicate the JWK Set out-of-band".
type TrustFile struct {
	Trusted []TrustedClient `json:"trusted"`
}

// TrustedClient is one trusted CDS Client.
type TrustedClient struct {
	Iss      string `json:"iss"`
	JWKSFile string `json:"jwks_file,omitempty"`
	JKU      string `json:"jku,omitempty"`
	// FHIRServers are the fhirServer base URLs the service may call for
	// this client (fhir_servers); a call naming another is refused when
	// it needs a fetch (fhirRefused). Empty: the client must prefetch.
	FHIRServers []string `json:"fhir_servers,omitempty"`
}

// TrustOptions tune the verifier; zero values take the defaults.
type TrustOptions struct {
	// Client fetches jku JWK Sets (default: a client with a 5 s timeout).
	Client *http.Client
	// Replay remembers jti values (default: an in-memory cache).
	Replay ReplayCache
	// MaxAge is how far in the past iat may be (default 10 minutes; CDS
	// clients issue tokens for each call, commonly valid 5 minutes).
	MaxAge time.Duration
	// Leeway absorbs clock skew on exp and iat (default 30 s).
	Leeway time.Duration
	// MaxLifetime is the longest a token may be valid: exp - iat, and exp
	// - now, at most MaxLifetime + Leeway (default 5 minutes). CDS Hooks
	// 2.0.1 § Trusting CDS Clients sets no maximum; CDS Hooks 1.0 said of
	// exp "This time MUST be no more than five minutes in the future", as
	// SMART Backend Services does for its authentication JWT, and the
	// sandbox signs exp = iat + 300 s. A long-lived token is a bearer
	// credential that can be replayed wherever it leaks until it expires,
	// and its jti would have to be remembered as long (trial-web #23).
	MaxLifetime time.Duration
	// JWKSTTL is how long a fetched jku JWK Set is used (default 1 hour);
	// an unknown kid refetches it at most once a minute (key rotation).
	JWKSTTL time.Duration
}

// Trust verifies the JWTs of CDS Clients.
type Trust struct {
	clients map[string]*trusted
	opts    TrustOptions
}

type trusted struct {
	iss, jku string
	servers  []string // fhir_servers, canonical (fhirBase)
	mu       sync.Mutex
	keys     *jose.JSONWebKeySet
	fetched  time.Time // of keys from jku; zero for a jwks_file
	tried    time.Time // the last fetch attempt
}

// Algorithms. § JWT Signing Algorithm: ES384 and RS384 are RECOMMENDED;
// none and symmetric (HMAC) algorithms SHALL NOT be used. ES256 and RS256
// are accepted as well: widely deployed and still considered secure.
var allowedAlgs = []jose.SignatureAlgorithm{jose.ES384, jose.RS384, jose.ES256, jose.RS256}

// LoadTrust reads a trust file. jwks_file paths are relative to the trust
// file's directory and read now; jku sets are fetched on first use.
func LoadTrust(path string, opts TrustOptions) (*Trust, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var tf TrustFile
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&tf); err != nil {
		return nil, fmt.Errorf("cds trust file %s: %w", path, err)
	}
	return NewTrust(tf, filepath.Dir(path), opts)
}

// NewTrust builds a verifier from tf, reading jwks_file paths under dir.
func NewTrust(tf TrustFile, dir string, opts TrustOptions) (*Trust, error) {
	if opts.Client == nil {
		opts.Client = &http.Client{Timeout: 5 * time.Second}
	}
	if opts.Replay == nil {
		opts.Replay = NewMemoryReplayCache()
	}
	if opts.MaxAge == 0 {
		opts.MaxAge = 10 * time.Minute
	}
	if opts.Leeway == 0 {
		opts.Leeway = 30 * time.Second
	}
	if opts.MaxLifetime == 0 {
		opts.MaxLifetime = 5 * time.Minute
	}
	if opts.JWKSTTL == 0 {
		opts.JWKSTTL = time.Hour
	}
	t := &Trust{clients: map[string]*trusted{}, opts: opts}
	if len(tf.Trusted) == 0 {
		return nil, fmt.Errorf("cds trust: no trusted client")
	}
	for i, c := range tf.Trusted {
		at := fmt.Sprintf("cds trust: trusted[%d]", i)
		switch {
		case c.Iss == "":
			return nil, fmt.Errorf("%s: iss is required", at)
		case (c.JWKSFile == "") == (c.JKU == ""):
			return nil, fmt.Errorf("%s (%s): give exactly one of jwks_file and jku", at, c.Iss)
		case c.JKU != "" && !strings.HasPrefix(c.JKU, "https://"):
			// The keys that authenticate every call must not travel
			// where they can be replaced (§ Security and Safety: HTTPS).
			return nil, fmt.Errorf("%s (%s): jku %q must be an https URL", at, c.Iss, c.JKU)
		case t.clients[c.Iss] != nil:
			return nil, fmt.Errorf("%s: iss %s listed twice", at, c.Iss)
		}
		tc := &trusted{iss: c.Iss, jku: c.JKU}
		for _, u := range c.FHIRServers {
			b, err := fhirBase(u)
			if err != nil {
				return nil, fmt.Errorf("%s (%s): fhir_servers: %w", at, c.Iss, err)
			}
			tc.servers = append(tc.servers, b)
		}
		if c.JWKSFile != "" {
			p := c.JWKSFile
			if !filepath.IsAbs(p) {
				p = filepath.Join(dir, p)
			}
			raw, err := os.ReadFile(p)
			if err != nil {
				return nil, fmt.Errorf("%s (%s): %w", at, c.Iss, err)
			}
			ks, err := parseJWKS(raw)
			if err != nil {
				return nil, fmt.Errorf("%s (%s): %s: %w", at, c.Iss, p, err)
			}
			tc.keys = ks
		}
		t.clients[c.Iss] = tc
	}
	return t, nil
}

// fhirServers are the fhirServer base URLs allowed for the client iss.
func (t *Trust) fhirServers(iss string) []string {
	if tc := t.clients[iss]; tc != nil {
		return tc.servers
	}
	return nil
}

func parseJWKS(raw []byte) (*jose.JSONWebKeySet, error) {
	var ks jose.JSONWebKeySet
	if err := json.Unmarshal(raw, &ks); err != nil {
		return nil, fmt.Errorf("not a JWK Set: %w", err)
	}
	for _, k := range ks.Keys {
		if !k.IsPublic() {
			return nil, fmt.Errorf("key %q is not a public key", k.KeyID)
		}
	}
	return &ks, nil
}

// header is the JOSE header of a CDS Hooks JWT (§ Trusting CDS Clients):
// alg, kid and typ REQUIRED, jku OPTIONAL.
type header struct {
	Alg string `json:"alg"`
	Kid string `json:"kid"`
	Typ string `json:"typ"`
	JKU string `json:"jku"`
}

// Claims are the JWT payload fields CDS Hooks defines.
type Claims struct {
	Iss    string           `json:"iss"`
	Aud    jwt.Audience     `json:"aud"`
	Exp    *jwt.NumericDate `json:"exp"`
	Iat    *jwt.NumericDate `json:"iat"`
	Jti    string           `json:"jti"`
	Tenant string           `json:"tenant,omitempty"`
}

func unauthorized(format string, args ...any) error { return fail(ErrUnauthorized, format, args...) }

// Verify checks the bearer token of a call to the endpoint aud at now and
// returns its claims. Every failure is an ErrUnauthorized with the
// reason, except a ReplayCache that cannot check the jti: a
// *ReplayStoreError (ErrUnavailable, 503).
func (t *Trust) Verify(ctx context.Context, token, aud string, now time.Time) (*Claims, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil, unauthorized("bearer token is not a compact JWS (header.payload.signature)")
	}
	var h header
	if raw, err := base64.RawURLEncoding.DecodeString(parts[0]); err != nil || json.Unmarshal(raw, &h) != nil {
		return nil, unauthorized("JWT header is not base64url JSON")
	}
	switch a := strings.ToUpper(h.Alg); {
	case a == "" || a == "NONE":
		return nil, unauthorized("JWT alg %q refused: unsigned JWTs SHALL NOT be used", h.Alg)
	case strings.HasPrefix(a, "HS"):
		return nil, unauthorized("JWT alg %s refused: symmetric (HMAC) algorithms SHALL NOT be used", h.Alg)
	case !algAllowed(h.Alg):
		return nil, unauthorized("JWT alg %s not accepted (ES384, RS384, ES256, RS256)", h.Alg)
	case h.Kid == "":
		return nil, unauthorized("JWT header kid is required")
	case !strings.EqualFold(h.Typ, "JWT"):
		return nil, unauthorized("JWT header typ %q must be JWT", h.Typ)
	}
	tok, err := jwt.ParseSigned(token, allowedAlgs)
	if err != nil {
		return nil, unauthorized("JWT cannot be parsed: %v", err)
	}
	var unverified Claims
	if err := tok.UnsafeClaimsWithoutVerification(&unverified); err != nil {
		return nil, unauthorized("JWT payload is not a claims object: %v", err)
	}
	tc := t.clients[unverified.Iss]
	if tc == nil {
		return nil, unauthorized("JWT iss %q is not a trusted CDS client", unverified.Iss)
	}
	if h.JKU != "" && tc.jku != "" && h.JKU != tc.jku {
		return nil, unauthorized("JWT jku %q is not the allowlisted JWK Set of %s", h.JKU, tc.iss)
	}
	key, err := t.key(ctx, tc, h.Kid, now)
	if err != nil {
		return nil, err
	}
	if key.Algorithm != "" && key.Algorithm != h.Alg {
		return nil, unauthorized("JWT alg %s does not match key %q (%s)", h.Alg, h.Kid, key.Algorithm)
	}
	// The signature check is the CPU-heavy part (ES384: about 0.7 ms):
	// within a service call it takes a place in the gate (gate.go), left
	// before the replay cache's write.
	p := passOf(ctx)
	if err := p.enter(ctx); err != nil {
		return nil, errGone()
	}
	var c Claims
	err = tok.Claims(key.Key, &c)
	p.leave()
	if err != nil {
		return nil, unauthorized("JWT signature does not verify with key %q of %s", h.Kid, tc.iss)
	}
	switch {
	case len(c.Aud) == 0:
		return nil, unauthorized("JWT aud is required")
	case !c.Aud.Contains(aud):
		return nil, unauthorized("JWT aud %q is not the endpoint called, %s", []string(c.Aud), aud)
	case c.Exp == nil:
		return nil, unauthorized("JWT exp is required")
	case !now.Before(c.Exp.Time().Add(t.opts.Leeway)):
		return nil, unauthorized("JWT expired at %s", c.Exp.Time().UTC().Format(time.RFC3339))
	case c.Iat == nil:
		return nil, unauthorized("JWT iat is required")
	case c.Iat.Time().After(now.Add(t.opts.Leeway)):
		return nil, unauthorized("JWT iat %s is in the future", c.Iat.Time().UTC().Format(time.RFC3339))
	case now.Sub(c.Iat.Time()) > t.opts.MaxAge+t.opts.Leeway:
		return nil, unauthorized("JWT iat %s is more than %s in the past", c.Iat.Time().UTC().Format(time.RFC3339), t.opts.MaxAge)
	case c.Exp.Time().Sub(c.Iat.Time()) > t.opts.MaxLifetime+t.opts.Leeway || c.Exp.Time().Sub(now) > t.opts.MaxLifetime+t.opts.Leeway:
		return nil, unauthorized("JWT lifetime too long: exp %s is more than %s after iat or now (short-lived tokens only)",
			c.Exp.Time().UTC().Format(time.RFC3339), t.opts.MaxLifetime)
	case c.Jti == "":
		return nil, unauthorized("JWT jti is required")
	}
	// A token older than MaxAge is refused above, so a jti need not be
	// kept past iat+MaxAge even when exp is later.
	until := c.Exp.Time()
	if lim := c.Iat.Time().Add(t.opts.MaxAge + t.opts.Leeway); lim.Before(until) {
		until = lim
	}
	seen, err := t.opts.Replay.Seen(c.Iss+"\x00"+c.Jti, until.Add(t.opts.Leeway), now)
	switch {
	case err != nil:
		// Fail closed, but not as a replay: the token may be fine.
		return nil, &ReplayStoreError{Err: err}
	case seen:
		return nil, unauthorized("JWT jti %q was already used", c.Jti)
	}
	return &c, nil
}

func algAllowed(a string) bool {
	for _, x := range allowedAlgs {
		if string(x) == a {
			return true
		}
	}
	return false
}

// key finds kid in the client's JWK Set, fetching a jku set when it is
// missing or stale, and once more for an unknown kid (key rotation).
func (t *Trust) key(ctx context.Context, tc *trusted, kid string, now time.Time) (*jose.JSONWebKey, error) {
	tc.mu.Lock()
	defer tc.mu.Unlock()
	if tc.jku != "" && (tc.keys == nil || now.Sub(tc.fetched) > t.opts.JWKSTTL) {
		if err := t.fetch(ctx, tc, now); err != nil {
			return nil, err
		}
	}
	if k := find(tc.keys, kid); k != nil {
		return k, nil
	}
	if tc.jku != "" && now.Sub(tc.fetched) > time.Minute {
		if err := t.fetch(ctx, tc, now); err != nil {
			return nil, err
		}
		if k := find(tc.keys, kid); k != nil {
			return k, nil
		}
	}
	return nil, unauthorized("JWT kid %q is not in the JWK Set of %s", kid, tc.iss)
}

func find(ks *jose.JSONWebKeySet, kid string) *jose.JSONWebKey {
	if ks == nil {
		return nil
	}
	for i := range ks.Keys {
		if ks.Keys[i].KeyID == kid && ks.Keys[i].Use != "enc" {
			return &ks.Keys[i]
		}
	}
	return nil
}

// fetch gets the allowlisted jku JWK Set; only that exact URL is ever
// fetched, never one a token names.
func (t *Trust) fetch(ctx context.Context, tc *trusted, now time.Time) error {
	// One attempt per 10 s at most: when the JWK Set is unreachable,
	// calls are refused at once instead of each waiting for the timeout.
	if now.Sub(tc.tried) < 10*time.Second {
		return unauthorized("JWK Set of %s is unavailable (last fetch failed or just done)", tc.iss)
	}
	tc.tried = now
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, tc.jku, nil)
	if err != nil {
		return unauthorized("JWK Set of %s: %v", tc.iss, err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := t.opts.Client.Do(req)
	if err != nil {
		return unauthorized("JWK Set of %s cannot be fetched: %v", tc.iss, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil || resp.StatusCode != http.StatusOK {
		return unauthorized("JWK Set of %s cannot be fetched: %s", tc.iss, resp.Status)
	}
	ks, err := parseJWKS(raw)
	if err != nil {
		return unauthorized("JWK Set of %s: %v", tc.iss, err)
	}
	tc.keys, tc.fetched = ks, now
	return nil
}

// ReplayCache remembers JWT ids until they expire (§ Trusting CDS
// Clients: jti "used to protect against replay attacks"). A shared store
// (SQLite, PostgreSQL) lets several servers share one cache.
type ReplayCache interface {
	// Seen reports whether key was recorded and not yet expired at now;
	// if not, it records key until the given time. An error means the
	// cache could not tell (a store that fails or does not answer in
	// time): Verify then refuses the token with a *ReplayStoreError,
	// never as a replay.
	Seen(key string, until, now time.Time) (bool, error)
}

// ReplayStoreError is Verify's error when the ReplayCache could not check
// a token's jti. The call is refused (fail closed: a replay cannot be
// ruled out) with 503 Service Unavailable and Retry-After, not 401: the
// token may well be valid, and "jti already used" would send the CDS
// Client's integrators after a replay that did not happen. CDS Hooks
// 2.0.1 § CDS Service Response, HTTP Status Codes (and § Discovery, HTTP
// Status Codes) list 200 (and 412) and add: "CDS Services MAY return other
// HTTP statuses, specifically 4xx and 5xx HTTP error codes"; § Feedback
// names no status. RFC 9110 § 15.6.4: 503 means "the server
// is currently unable to handle the request due to a temporary overload
// or scheduled maintenance", and the server MAY send Retry-After. The
// cache may have recorded the jti before failing, so a retry needs a new
// token (CDS Clients sign one per call).
//
// It unwraps to ErrUnavailable and to the cache's error. Error() names
// the cause, for the log; the caller sees only ReplayStoreReason.
type ReplayStoreError struct {
	Err error // the ReplayCache's error
}

// ReplayStoreReason is the reason a call refused with a
// *ReplayStoreError is answered with.
const ReplayStoreReason = "could not check the token's jti against the replay store"

func (e *ReplayStoreError) Error() string {
	if e.Err == nil {
		return ReplayStoreReason
	}
	return ReplayStoreReason + ": " + e.Err.Error()
}

func (e *ReplayStoreError) Unwrap() []error { return []error{ErrUnavailable, e.Err} }

// MemoryReplayCache is a ReplayCache in memory, safe for concurrent use.
type MemoryReplayCache struct {
	mu   sync.Mutex
	m    map[string]time.Time
	puts int
}

// NewMemoryReplayCache returns an empty cache.
func NewMemoryReplayCache() *MemoryReplayCache {
	return &MemoryReplayCache{m: map[string]time.Time{}}
}

// Seen implements ReplayCache; it never fails. Expired keys are purged
// every 1,024 puts.
func (c *MemoryReplayCache) Seen(key string, until, now time.Time) (bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if exp, ok := c.m[key]; ok && now.Before(exp) {
		return true, nil
	}
	c.m[key] = until
	if c.puts++; c.puts%1024 == 0 {
		for k, exp := range c.m {
			if !now.Before(exp) {
				delete(c.m, k)
			}
		}
	}
	return false, nil
}
