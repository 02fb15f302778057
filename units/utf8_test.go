package units

import (
	"errors"
	"strings"
	"testing"
)

// TestParseUnitNotUTF8: a unit holding bytes that are not UTF-8 text is
// said to be so, not reported as an unknown unit (trial 10 F4 on the
// command line: "1.2mg/dL\xff" read as "has an unknown unit").
func TestParseUnitNotUTF8(t *testing.T) {
	for _, in := range []string{"1.2mg/dL\xff", "106 \xc3umol/L", "1.2\xfe"} {
		_, err := Parse(in)
		if !errors.Is(err, ErrSyntax) || errors.Is(err, ErrUnknownUnit) {
			t.Errorf("Parse(%q) = %v, want ErrSyntax, not ErrUnknownUnit", in, err)
			continue
		}
		if !strings.Contains(err.Error(), "not valid UTF-8") {
			t.Errorf("Parse(%q) = %q, want it to say the unit is not valid UTF-8", in, err)
		}
	}
	// Valid non-ASCII units are still read.
	if q, err := Parse("106µmol/L"); err != nil || q.Value != 106 {
		t.Errorf("Parse(106µmol/L) = %v, %v", q, err)
	}
}
