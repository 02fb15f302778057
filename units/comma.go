package units

import "strings"

// DecimalCommaHint reports whether s, a number or a quantity as typed, has
// a comma between digits, and if so what to write instead. Such a comma is
// a decimal comma (European spreadsheets: "1,4mg/dL") or a thousands
// separator ("1,000mg/g"); RenalWatch reads neither, since reading the wrong
// one would change the value a thousandfold. The hint is "use a decimal
// point: 1.4mg/dL" when the comma can only be a decimal comma (not followed
// by exactly three digits), and names both readings otherwise.
func DecimalCommaHint(s string) (string, bool) {
	s = strings.TrimSpace(s)
	i := strings.IndexByte(s, ',')
	if i <= 0 || i+1 >= len(s) || !isDigit(s[i-1]) || !isDigit(s[i+1]) {
		return "", false
	}
	digits := 0
	for j := i + 1; j < len(s) && isDigit(s[j]); j++ {
		digits++
	}
	point := s[:i] + "." + s[i+1:]
	if digits == 3 && !strings.Contains(s[:i], ".") {
		return "write a decimal point, not a comma: " + point + " if the comma is a decimal comma, or " +
			s[:i] + s[i+1:] + " if it separates thousands (numbers take no thousands separator)", true
	}
	return "use a decimal point: " + point, true
}
