package server

import (
	"math"
	"regexp"
	"strconv"
	"testing"
)

// TestTextContrast (trial-web #17): the coloured text of the dashboard
// (severity labels, errors, sources) has a contrast ratio of at least
// 4.5:1 on white, WCAG 2.2 success criterion 1.4.3 (AA) for text that is
// not large (15px bold is not large text: 14pt bold, about 18.7px, is).
// The ratio is (L1 + 0.05) / (L2 + 0.05) of the relative luminances, WCAG
// 2.2 definitions "contrast ratio" and "relative luminance".
func TestTextContrast(t *testing.T) {
	css, err := assets.ReadFile("static/style.css")
	if err != nil {
		t.Fatal(err)
	}
	for _, sel := range []string{`.sev-critical strong`, `.sev-warning strong`, `.source`, `.error`, `.unit, small`} {
		m := regexp.MustCompile(regexp.QuoteMeta(sel) + ` \{[^}]*?color: #([0-9a-f]{6}|[0-9a-f]{3})\b`).FindSubmatch(css)
		if m == nil {
			t.Errorf("%s: no colour found in style.css", sel)
			continue
		}
		if r := contrast(string(m[1]), "ffffff"); r < 4.5 {
			t.Errorf("%s #%s on white: %.2f:1, below 4.5:1", sel, m[1], r)
		}
	}
	// the check itself: the old warning colour fails, black on white is 21:1
	if r := contrast("e65100", "ffffff"); r >= 4.5 {
		t.Errorf("#e65100 %.2f:1, the trial measured about 3.8:1", r)
	}
	if r := contrast("000000", "ffffff"); math.Abs(r-21) > 1e-9 {
		t.Errorf("black on white %.4f:1, want 21:1", r)
	}
}

func contrast(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	return (math.Max(la, lb) + 0.05) / (math.Min(la, lb) + 0.05)
}

func luminance(hex string) float64 {
	if len(hex) == 3 { // #555 is #555555
		hex = string([]byte{hex[0], hex[0], hex[1], hex[1], hex[2], hex[2]})
	}
	var c [3]float64
	for i := range c {
		v, _ := strconv.ParseUint(hex[2*i:2*i+2], 16, 8)
		s := float64(v) / 255
		if s <= 0.04045 {
			c[i] = s / 12.92
		} else {
			c[i] = math.Pow((s+0.055)/1.055, 2.4)
		}
	}
	return 0.2126*c[0] + 0.7152*c[1] + 0.0722*c[2]
}
