package asof

import (
	"strings"
	"testing"
	"time"
)

func TestFutureWarning(t *testing.T) {
	now := time.Date(2026, 12, 7, 15, 4, 0, 0, time.UTC)
	for _, tc := range []struct {
		day  string
		warn bool
	}{{"2026-12-07", false}, {"2024-06-01", false}, {"2026-12-08", true}, {"2099-01-01", true}} {
		d, _ := time.Parse(time.DateOnly, tc.day)
		got := FutureWarning(d, now)
		if (got != "") != tc.warn {
			t.Errorf("%s: %q", tc.day, got)
		}
		if tc.warn && !strings.HasPrefix(got, tc.day+" is in the future (today is 2026-12-07, UTC): ") {
			t.Errorf("%s: %q", tc.day, got)
		}
	}
}
