package assess

import (
	"strconv"
	"strings"
)

// parseSource is strconv.ParseFloat(strings.TrimSpace(s), 64) for a value
// as a laboratory writes it. A plain decimal (an optional sign, at most 15
// digits, at most 22 of them after the point) is read here, as ParseFloat
// reads it on its exact path (Clinger 1990): the digits are an integer a
// float64 holds exactly, so are the powers of ten up to 1e22, and one
// IEEE division rounds their quotient correctly, which is ParseFloat's
// answer; anything else goes to ParseFloat (TestParseSourceIsParseFloat).
// An assessment reads the source value of every ratio and lab it reports.
func parseSource(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if v, ok := plainDecimal(s); ok {
		return v, nil
	}
	return strconv.ParseFloat(s, 64)
}

// plainDecimal reads s when it is a plain decimal (parseSource).
func plainDecimal(s string) (float64, bool) {
	i, neg := 0, false
	if len(s) > 0 && (s[0] == '-' || s[0] == '+') {
		neg, i = s[0] == '-', 1
	}
	var m uint64
	digits, frac, point := 0, 0, false
	for ; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			m = m*10 + uint64(c-'0')
			digits++
			if point {
				frac++
			}
		case c == '.' && !point:
			point = true
		default:
			return 0, false
		}
	}
	if digits == 0 || digits > 15 || frac > 22 {
		return 0, false
	}
	v := float64(m) / exactPow10[frac]
	if neg {
		v = -v
	}
	return v, true
}

// exactPow10 holds the powers of ten a float64 holds exactly.
var exactPow10 = [23]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}
