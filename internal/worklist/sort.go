package worklist

import (
	"cmp"
	"slices"
	"strings"
)

// SortKey is one sort key; Desc reverses it ("-kfre").
type SortKey struct {
	Name string
	Desc bool
}

// String is the key as written: the name, after "-" when reversed.
func (k SortKey) String() string {
	if k.Desc {
		return "-" + k.Name
	}
	return k.Name
}

// compare compares two rows on one key; aok and bok say whether each has
// a value.
type compare func(a, b *Facts) (c int, aok, bok bool)

// sortKeys are every sort key, each ascending (mildest, lowest or oldest
// first) unless reversed. stage sorts by G, then A, then suffix (G5, then
// G5D); g by the G category alone.
var sortKeys = map[string]compare{
	"stage":     byStage,
	"g":         byValue(stageRank),
	"risk":      byValue(riskRank),
	"kfre":      byValue(kfre5y),
	"egfr":      byValue(egfrValue),
	"last-seen": byValue(lastSeenValue),
	"alerts":    byValue(alertWeight),
	"flare":     byValue(lastFlareValue),
	"id": func(a, b *Facts) (int, bool, bool) {
		return cmp.Compare(a.ID, b.ID), true, true
	},
}

// SortKeyNames are the keys of "renalwatch patients --sort", in the order
// its help lists them. (The dashboard's list sorts by id, egfr, g, risk,
// kfre, alerts and flare.)
func SortKeyNames() []string { return []string{"stage", "risk", "kfre", "egfr", "last-seen"} }

// IsSortKey reports whether name is a sort key.
func IsSortKey(name string) bool {
	_, ok := sortKeys[name]
	return ok
}

// ParseSortKey reads one key as written ("-kfre"); ok is false when its
// name is not among names.
func ParseSortKey(text string, names []string) (k SortKey, ok bool) {
	k = SortKey{Name: strings.TrimPrefix(text, "-"), Desc: strings.HasPrefix(text, "-")}
	return k, slices.Contains(names, k.Name) && IsSortKey(k.Name)
}

func byValue(f value) compare {
	return func(a, b *Facts) (int, bool, bool) {
		av, aok := f(a)
		bv, bok := f(b)
		return cmp.Compare(av, bv), aok, bok
	}
}

func byStage(a, b *Facts) (int, bool, bool) {
	c, aok, bok := byValue(stageRank)(a, b)
	if c != 0 || !aok || !bok {
		return c, aok, bok
	}
	if c := cmp.Compare(orEmpty(a.Stage.A), orEmpty(b.Stage.A)); c != 0 {
		return c, true, true
	}
	return cmp.Compare(a.Stage.Suffix, b.Stage.Suffix), true, true
}

// Sort sorts rows stably by keys in turn, then by patient id; facts
// describes a row. A patient without a key's value comes after every
// patient with one, in either direction. An unknown key sorts nothing.
func Sort[R any](rows []R, keys []SortKey, facts func(*R) Facts) {
	if len(keys) == 0 {
		return
	}
	slices.SortStableFunc(rows, func(a, b R) int {
		fa, fb := facts(&a), facts(&b)
		for _, k := range keys {
			by, ok := sortKeys[k.Name]
			if !ok {
				continue
			}
			c, aok, bok := by(&fa, &fb)
			switch {
			case aok && !bok:
				return -1
			case !aok && bok:
				return 1
			case !aok && !bok:
				continue
			}
			if k.Desc {
				c = -c
			}
			if c != 0 {
				return c
			}
		}
		return cmp.Compare(fa.ID, fb.ID)
	})
}

// orEmpty is *p, or "" when p is nil (no albuminuria category sorts first).
func orEmpty(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
