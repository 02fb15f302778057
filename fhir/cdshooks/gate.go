package cdshooks

import (
	"context"
	"runtime"
)

// gate bounds the service calls being decoded, assessed and encoded at
// once (Config.MaxAssessing). Past the bound a call waits, in arrival
// order, without using the CPU. Without it every call in the server
// shares the CPU at once: under a burst or a busy machine each takes as
// long as all of them, and the goroutines that hold up everyone (the
// store's one writer committing the audit rows every answer waits for,
// answers already computed being written out) wait behind all of them
// for their turn (bench/README.md, "The tail at 1,000 calls/s").
//
// A service call takes a place for its JWT's signature check (Verify),
// leaves it for the replay cache's write and the reading of the body (a
// slow client holds no place), takes one again to be decoded, assessed and
// encoded, leaves it while it waits on the network (a fetch from the
// fhirServer), and leaves it before the answer is written and the server's
// audit row with it.
type gate chan struct{}

// newGate returns a gate letting n calls through at once; n ≤ 0 is
// GOMAXPROCS.
func newGate(n int) gate {
	if n <= 0 {
		n = runtime.GOMAXPROCS(0)
	}
	return make(gate, n)
}

// pass is one call's place in the gate.
type pass struct {
	g    gate
	held bool
}

// enter takes a place, or returns ctx's error when the caller is gone
// before one is free.
func (p *pass) enter(ctx context.Context) error {
	if p == nil || p.g == nil || p.held {
		return nil
	}
	select {
	case p.g <- struct{}{}:
		p.held = true
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// leave gives the place back, if held.
func (p *pass) leave() {
	if p != nil && p.held {
		p.held = false
		<-p.g
	}
}

// errGone answers a call whose caller left (its context ended) while it
// waited for a place: nothing was assessed.
func errGone() error {
	return fail(ErrUnavailable, "the call was given up while it waited for its turn")
}

// passKey is the context key of a call's pass.
type passKey struct{}

// withPass returns ctx carrying p, for the fetch to leave the gate while
// it waits on the network.
func withPass(ctx context.Context, p *pass) context.Context {
	return context.WithValue(ctx, passKey{}, p)
}

// passOf is the pass ctx carries, or nil.
func passOf(ctx context.Context) *pass {
	p, _ := ctx.Value(passKey{}).(*pass)
	return p
}
