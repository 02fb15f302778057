package cdshooks

import (
	"strings"
	"testing"
)

// TestReadBody: the body is read whole whatever Content-Length claims,
// into a reused buffer, and a claim reserves at most maxPresize.
func TestReadBody(t *testing.T) {
	big := strings.Repeat("x", 3<<20)
	for _, r := range []struct {
		name string
		body string
		size int64
		dst  []byte
	}{
		{"size known", "hello", 5, nil},
		{"size unknown", "hello", -1, nil},
		{"size claimed larger", "hello", 1 << 30, nil},
		{"size claimed smaller", "hello world", 3, nil},
		{"larger than the presize", big, int64(len(big)), nil},
		{"reused buffer, stale bytes", "abc", 3, []byte("zzzzzzzz")},
	} {
		got, err := readBody(r.dst, strings.NewReader(r.body), r.size, 64<<20)
		if err != nil || string(got) != r.body {
			t.Errorf("%s: %d bytes, %v", r.name, len(got), err)
		}
		if r.size > maxPresize && int64(len(r.body)) < maxPresize && cap(got) > maxPresize+1 {
			t.Errorf("%s: reserved %d bytes", r.name, cap(got))
		}
	}
	putBody([]byte("leftover"))
	if b := getBody(); len(b) != 0 {
		t.Errorf("a pooled buffer comes back with %q", b)
	}
}
