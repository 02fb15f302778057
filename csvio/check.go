package csvio

import (
	"errors"
	"fmt"
	"strconv"
	"unicode"
	"unicode/utf8"
)

// ErrBadText: a field that is not UTF-8, holds a control character, or an
// id that is not printable or is too long.
var ErrBadText = errors.New("bad text")

// MaxIDLength is the longest patient_id or id a CSV row may give, in
// characters; FHIR allows 64 for a resource id, and a CSV id names the
// same patients.
const MaxIDLength = 64

// idColumns are the columns that hold ids.
var idColumns = map[string]bool{"patient_id": true, "id": true}

// checkFields returns an error naming the first field of the row that is
// not UTF-8 (it is never rewritten), holds a control character, or, for an
// id column, is not printable text of at most MaxIDLength characters.
func checkFields(cols, row []string) error {
	for i, c := range cols {
		s := row[i]
		if printableASCII(s) && (len(s) <= MaxIDLength || !idColumns[c]) {
			continue // nothing below refuses it: the common case, without decoding runes
		}
		if !utf8.ValidString(s) {
			j := 0
			for j < len(s) {
				r, n := utf8.DecodeRuneInString(s[j:])
				if r == utf8.RuneError && n == 1 {
					break
				}
				j += n
			}
			return fmt.Errorf("%w: %s holds byte 0x%02X at character %d, which is not UTF-8 (the file must be UTF-8)", ErrBadText, c, s[j], utf8.RuneCountInString(s[:j])+1)
		}
		for _, r := range s {
			if unicode.IsControl(r) {
				return fmt.Errorf("%w: %s %s holds control character %U", ErrBadText, c, quoteShort(s), r)
			}
		}
		if !idColumns[c] {
			continue
		}
		if n := utf8.RuneCountInString(s); n > MaxIDLength {
			return fmt.Errorf("%w: %s %s has %d characters; at most %d", ErrBadText, c, quoteShort(s), n, MaxIDLength)
		}
		for _, r := range s {
			if !unicode.IsPrint(r) {
				return fmt.Errorf("%w: %s %s holds %U, which is not printable", ErrBadText, c, quoteShort(s), r)
			}
		}
	}
	return nil
}

// quoteShort quotes s, cut to its first 64 bytes.
func quoteShort(s string) string {
	if len(s) > 64 {
		return strconv.Quote(s[:64]) + fmt.Sprintf("… (%d bytes)", len(s))
	}
	return strconv.Quote(s)
}

// printableASCII reports whether s is only bytes 0x20-0x7E: valid UTF-8,
// no control character, every character printable, one byte each.
func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e {
			return false
		}
	}
	return true
}
