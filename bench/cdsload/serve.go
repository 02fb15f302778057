package main

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"renalwatch/fhir/cdshooks"
	"renalwatch/server"
	"renalwatch/store"
	"renalwatch/store/sqlite"
)

const (
	publicURL = "https://renalwatch.bench.example"
	serviceID = cdshooks.DefaultServiceID
	iss       = "https://ehr.bench.example"
	kid       = "bench-es384"
)

// serve is the server process: a RenalWatch server with the CDS Hooks
// service on a new SQLite store in dir, on 127.0.0.1, verifying ES384 JWTs
// against dir/trust.json when jwt is set (else demo mode). It prints its
// address and serves until its standard input closes. The store is opened
// and wired as renalwatch serve does (cmd/renalwatch: openStore's wait,
// the JWT replay cache in the store).
func serve(dir string, jwt bool, now time.Time, cpuProfile string) error {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(server.GCPercent) // as renalwatch serve does
	}
	ctx := context.Background()
	db, err := sqlite.OpenWith(ctx, filepath.Join(dir, "load.db"), sqlite.Options{Wait: sqlite.DefaultWait})
	if err != nil {
		return err
	}
	defer db.Close()
	clock := func() time.Time { return now }
	cds := &cdshooks.Config{PublicURL: publicURL, Demo: !jwt, Now: clock}
	if jwt {
		if cds.Trust, err = cdshooks.LoadTrust(filepath.Join(dir, "trust.json"), cdshooks.TrustOptions{Replay: storeReplay{db}}); err != nil {
			return err
		}
	}
	srv, err := server.New(server.Config{Store: db, CDS: cds, Now: clock, PublicURL: publicURL})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0") // loopback only
	if err != nil {
		return err
	}
	if cpuProfile != "" {
		f, err := os.Create(cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	go hs.Serve(ln)
	fmt.Println(ln.Addr().String())
	io.Copy(io.Discard, os.Stdin) // until the parent closes it
	return hs.Close()
}

// storeReplay is the JWT replay cache in the store, as renalwatch serve
// wires it (cmd/renalwatch/servereplay.go): one write transaction per
// verified token; a store error refuses the call (503).
type storeReplay struct{ rs store.ReplayStore }

func (r storeReplay) Seen(key string, until, now time.Time) (bool, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return r.rs.SeenJTI(ctx, key, until, now)
}

// child is a running server process.
type child struct {
	cmd   *exec.Cmd
	stdin io.Closer
	addr  string
}

// startServer runs exe (this program when "") as the server process.
func startServer(exe, dir string, jwt bool, cpuProfile string) (*child, error) {
	if exe == "" {
		var err error
		if exe, err = os.Executable(); err != nil {
			return nil, err
		}
	}
	args := []string{"-serve", dir, "-jwt", strconv.FormatBool(jwt)}
	if cpuProfile != "" {
		args = append(args, "-cpuprofile", cpuProfile)
	}
	cmd := exec.Command(exe, args...)
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		cmd.Process.Kill()
		return nil, fmt.Errorf("server process: %v", err)
	}
	return &child{cmd: cmd, stdin: in, addr: strings.TrimSpace(line)}, nil
}

func (c *child) stop() error {
	c.stdin.Close()
	return c.cmd.Wait()
}

// cpu is the user+system CPU time the server process has used
// (/proc/PID/stat utime and stime, in clock ticks of 10 ms).
func (c *child) cpu() time.Duration {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", c.cmd.Process.Pid))
	if err != nil {
		log.Fatal(err)
	}
	// The fields after the command name (which is in parentheses).
	f := strings.Fields(string(raw[strings.LastIndexByte(string(raw), ')')+2:]))
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(ut+st) * 10 * time.Millisecond
}

// signer issues the EHR's ES384 JWTs.
type signer struct {
	key *ecdsa.PrivateKey
	s   jose.Signer
}

// newSigner makes an ES384 key and writes the trust file and JWK Set the
// server reads into dir.
func newSigner(dir string) (*signer, error) {
	key, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	if err != nil {
		return nil, err
	}
	ks, _ := json.Marshal(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: key.Public(), KeyID: kid, Algorithm: "ES384", Use: "sig"}}})
	tf, _ := json.Marshal(cdshooks.TrustFile{Trusted: []cdshooks.TrustedClient{{Iss: iss, JWKSFile: "jwks.json"}}})
	if err := os.WriteFile(filepath.Join(dir, "jwks.json"), ks, 0o600); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "trust.json"), tf, 0o600); err != nil {
		return nil, err
	}
	opts := (&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", kid)
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES384, Key: key}, opts)
	if err != nil {
		return nil, err
	}
	return &signer{key: key, s: s}, nil
}

var jtiSeq atomic.Int64

// tokens signs n tokens for the service endpoint, each with its own jti,
// issued at now and valid five minutes (the server's clock is fixed at
// now), on two goroutines.
func (s *signer) tokens(n int, now time.Time) []string {
	out := make([]string, n)
	var wg sync.WaitGroup
	for w := range 2 {
		wg.Go(func() {
			for i := w; i < n; i += 2 {
				claims, _ := json.Marshal(map[string]any{"iss": iss, "aud": publicURL + "/cds-services/" + serviceID,
					"iat": now.Unix(), "exp": now.Add(5 * time.Minute).Unix(), "jti": "bench-" + strconv.FormatInt(jtiSeq.Add(1), 10)})
				obj, err := s.s.Sign(claims)
				if err != nil {
					log.Fatal(err)
				}
				out[i], _ = obj.CompactSerialize()
			}
		})
	}
	wg.Wait()
	return out
}
