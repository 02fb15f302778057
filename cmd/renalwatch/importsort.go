package main

import (
	"cmp"
	"slices"
)

// sortRejected orders listed rejections by file (in the order the files
// were read), then the items rejected because their patient was rejected
// in this import after the others (the consequences after their cause, the
// Patient's own rejection: trial-cli #16), then line, then bundle entry. The store reports an unknown
// patient only at commit, after the file's other rejections, so without
// this a CSV's line 8 could be listed after its line 12. The --json spool
// of every rejection keeps the order they were found in (it is streamed).
func sortRejected(rs []rejectedItem) []rejectedItem {
	order := map[string]int{}
	for _, r := range rs {
		if _, ok := order[r.File]; !ok {
			order[r.File] = len(order)
		}
	}
	slices.SortStableFunc(rs, func(a, b rejectedItem) int {
		return cmp.Or(cmp.Compare(order[a.File], order[b.File]), cmp.Compare(b2i(a.dependent), b2i(b.dependent)), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Entry, b.Entry))
	})
	return rs
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
