package record

import "strings"

func lower(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func enumName(names []string, i int) string {
	if i <= 0 || i >= len(names) || names[i] == "" {
		return "unknown"
	}
	return names[i]
}

func parseEnum(names []string, s string) (int, bool) {
	s = strings.ReplaceAll(lower(s), "-", "_")
	for i, n := range names {
		if i > 0 && n == s {
			return i, true
		}
	}
	return 0, false
}
