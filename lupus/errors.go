package lupus

import (
	"errors"
	"slices"
	"strings"
)

// Sentinel errors; every InputError unwraps to one of them.
var (
	// ErrUnknownItem: an item, key, class or rule name that is not defined.
	ErrUnknownItem = errors.New("unknown name")
	// ErrDuplicateItem: the same item given twice.
	ErrDuplicateItem = errors.New("duplicated item")
	// ErrOutOfRange: a number outside the range the definition allows.
	ErrOutOfRange = errors.New("out of range")
	// ErrMissing: an input the chosen rule needs was not given.
	ErrMissing = errors.New("missing input")
	// ErrNotUsed: an input the chosen rule cannot use was given.
	ErrNotUsed = errors.New("input not used by this rule")
	// ErrWrongMeasure: a value of the wrong kind, such as an albumin ratio
	// where a protein ratio is required.
	ErrWrongMeasure = errors.New("wrong measure")
)

// InputError reports a rejected input in the manner of strconv.NumError: it
// names the input, the value, the problem and what is accepted.
type InputError struct {
	Field      string // the input's name, such as "baseline-upcr" or "ITEM"
	Value      string // the value as given; may be empty for a missing input
	Err        error  // one of the sentinels
	Reason     string // what is wrong, in words
	Suggestion string // the nearest accepted value, if any
	Accepted   string // what is accepted
}

// Error formats the input, the value, the problem, a suggestion and what is
// accepted.
func (e *InputError) Error() string {
	var b strings.Builder
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	if e.Value != "" {
		b.WriteString("\"" + e.Value + "\" ")
	}
	if e.Reason != "" {
		b.WriteString(e.Reason)
	} else {
		b.WriteString(e.Err.Error())
	}
	if e.Suggestion != "" {
		b.WriteString(" (did you mean " + e.Suggestion + "?)")
	}
	if e.Accepted != "" {
		b.WriteString("; accepted: " + e.Accepted)
	}
	return b.String()
}

// Unwrap returns the sentinel error.
func (e *InputError) Unwrap() error { return e.Err }

// nearest returns the candidate closest to s by edit distance, or "" when
// none is close enough to be a plausible typo (distance greater than half
// the length of s, or more than 4).
func nearest(s string, candidates []string) string {
	best, bestD := "", 1<<30
	for _, c := range candidates {
		if d := editDistance(s, c); d < bestD {
			best, bestD = c, d
		}
	}
	limit := min(4, max(2, len(s)/2))
	if bestD > limit {
		return ""
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, by bytes (all
// names here are ASCII).
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// normName lower-cases a name and turns dashes and spaces into underscores,
// so "Urinary-Casts" and "urinary_casts" are the same item.
func normName(s string) string {
	return nameSeparators.Replace(strings.ToLower(strings.TrimSpace(s)))
}

// nameSeparators is normName's replacer, built once (a Replacer is safe
// for concurrent use).
var nameSeparators = strings.NewReplacer("-", "_", " ", "_")

// pickItems checks a list of item names against the accepted names: unknown
// names are errors with the nearest suggestion, repeats are errors. It
// returns the normalised names in the order given.
func pickItems(field string, given, accepted []string) ([]string, error) {
	known := make(map[string]bool, len(accepted))
	for _, a := range accepted {
		known[a] = true
	}
	return pickKnown(field, given, accepted, known)
}

// pickKnown is pickItems with the accepted names also given as a set
// (known), for a list checked at every call (SLEDAI2K).
func pickKnown(field string, given, accepted []string, known map[string]bool) ([]string, error) {
	out := make([]string, 0, len(given))
	for _, g := range given {
		n := normName(g)
		if !known[n] {
			return nil, &InputError{Field: field, Value: g, Err: ErrUnknownItem, Reason: "is not a known item",
				Suggestion: nearest(n, accepted), Accepted: strings.Join(accepted, " ")}
		}
		if slices.Contains(out, n) { // out holds the names seen so far
			return nil, &InputError{Field: field, Value: g, Err: ErrDuplicateItem, Reason: "is given more than once; give each item once"}
		}
		out = append(out, n)
	}
	return out, nil
}
