package cdshooks

import (
	"context"
	"crypto"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// neverSeen is a replay cache that records nothing, so that one token can
// be verified again and again: the benchmark measures the checks and the
// signature, not the cache.
type neverSeen struct{}

func (neverSeen) Seen(string, time.Time, time.Time) (bool, error) { return false, nil }

// BenchmarkVerify is one Trust.Verify of a service call's token per
// algorithm (the keys of jwt_test.go: P-384, P-256, RSA 2048), the replay
// cache left out (neverSeen). Go has assembly for P-256, not for P-384.
func BenchmarkVerify(b *testing.B) {
	k := newKeys(b)
	dir := b.TempDir()
	os.WriteFile(filepath.Join(dir, "ehr-jwks.json"), k.jwks(), 0o644)
	raw, _ := json.Marshal(TrustFile{Trusted: []TrustedClient{{Iss: testIss, JWKSFile: "ehr-jwks.json"}}})
	os.WriteFile(filepath.Join(dir, "trust.json"), raw, 0o644)
	tr, err := LoadTrust(filepath.Join(dir, "trust.json"), TrustOptions{Replay: neverSeen{}})
	if err != nil {
		b.Fatal(err)
	}
	aud := testPublic + servicePath()
	for _, c := range []struct {
		alg jose.SignatureAlgorithm
		kid string
		key crypto.Signer
	}{{jose.ES384, "es384", k.es384}, {jose.ES256, "es256", k.es256}, {jose.RS384, "rsa", k.rs}, {jose.RS256, "rsa", k.rs}} {
		tok := sign(b, c.alg, c.key, map[string]any{"typ": "JWT", "kid": c.kid}, claimsFor(aud))
		b.Run(string(c.alg), func(b *testing.B) {
			for b.Loop() {
				if _, err := tr.Verify(context.Background(), tok, aud, asOf); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
