package main

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// safeText is the one escaping function of the human (non-JSON) output:
// every text that came from input (ids, codes, displays, file names,
// reasons that quote them) goes through it before it is printed. Control
// characters (C0, DEL, C1), Unicode format characters (bidirectional
// overrides, zero-width) and line or paragraph separators are written as
// Go escapes (\n, \x1b, \u202e), and invalid UTF-8 as \xNN, so that input
// cannot forge rows, move the cursor or change the terminal. Printable
// text, including non-ASCII letters, is unchanged.
func safeText(s string) string {
	clean := true
	for _, r := range s {
		if needsEscape(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case needsEscape(r):
			q := fmt.Sprintf("%+q", string(r)) // "\x1b", "\u202e"
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

func needsEscape(r rune) bool {
	return r == utf8.RuneError || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029'
}
