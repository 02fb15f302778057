package main

import (
	"context"
	"regexp"
	"testing"
	"time"
)

// serveStarted matches serve's start message: its listen address.
var serveStarted = regexp.MustCompile(`RenalWatch serving .* on (127\.0\.0\.1:\d+) \(`)

// startServe runs "serve args..." (listening on 127.0.0.1:0) until it
// prints its start message, and returns its stdout, its address and a
// stop function that cancels it and returns what serve returned. A serve
// that returns before starting fails the test.
func startServe(t *testing.T, args ...string) (out *lockedBuffer, addr string, stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out = &lockedBuffer{}
	var logs lockedBuffer
	done := make(chan error, 1)
	go func() { done <- runServe(ctx, append(args, "--addr", "127.0.0.1:0"), out, &logs) }()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); {
		if m := serveStarted.FindStringSubmatch(out.String()); m != nil {
			addr = m[1]
			break
		}
		select {
		case err := <-done:
			cancel()
			t.Fatalf("serve %q returned before starting: %v; stdout %q stderr %q", args, err, out.String(), logs.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	if addr == "" {
		cancel()
		t.Fatalf("serve %q: no start message; stdout %q stderr %q", args, out.String(), logs.String())
	}
	var err error
	stopped := false
	stop = func() error {
		if !stopped {
			cancel()
			err, stopped = <-done, true
		}
		return err
	}
	t.Cleanup(func() { stop() })
	return out, addr, stop
}
