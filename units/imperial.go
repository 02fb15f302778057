package units

import "strings"

// Imperial lengths and masses, for heights and weights as people in the
// United States and the United Kingdom give them (5ft7in, 154lb). The UCUM
// codes are [in_i], [ft_i] and [lb_av] (UCUM Table 12, "international
// customary units", and Table 15, avoirdupois); the factors are exact by
// definition of the international yard and pound (1959): 1 in = 2.54 cm,
// 1 ft = 12 in = 30.48 cm, 1 lb = 0.45359237 kg.

// exactRatios holds the conversions between an imperial unit and a metric
// one as integer ratios, so that v·num/den is computed with the product
// exact for ordinary values (whole and half inches, whole pounds) and one
// correctly rounded division: 67 in is 170.18 cm, not 170.17999999999998,
// and 154 lb is 69.85322498 kg.
var exactRatios = func() map[[2]Unit][2]float64 {
	m := map[[2]Unit][2]float64{
		{Inch, Cm}:   {254, 100},
		{Inch, M}:    {254, 10000},
		{Foot, Cm}:   {3048, 100},
		{Foot, M}:    {3048, 10000},
		{Foot, Inch}: {12, 1},
		{Pound, Kg}:  {45359237, 1e8},
		{Pound, G}:   {45359237, 1e5},
	}
	for k, r := range m {
		m[[2]Unit{k[1], k[0]}] = [2]float64{r[1], r[0]}
	}
	return m
}()

// scaleValue converts v between two units of the same dimension.
func scaleValue(v float64, from, to Unit) float64 {
	if r, ok := exactRatios[[2]Unit{from, to}]; ok {
		return v * r[0] / r[1]
	}
	return v * unitTable[from].scale / unitTable[to].scale
}

// feetInches reads the rest of a height written in feet and inches after its
// feet number: "ft7in", "ft 7.5in", `'7"`. It returns false when rest is not
// of that form (then it is read as an ordinary unit), and an error when it
// is but does not make a height: feet that are not a whole number, inches of
// 12 or more.
func feetInches(in string, feet float64, rest string) (Quantity, bool, error) {
	var sep, end string
	switch {
	case len(rest) > 2 && (rest[:2] == "ft" || rest[:2] == "FT"):
		sep, end = rest[:2], "in"
	case len(rest) > 1 && rest[0] == '\'':
		sep, end = rest[:1], `"`
	default:
		return Quantity{}, false, nil
	}
	tail := strings.TrimSpace(rest[len(sep):])
	if tail == "" || !isDigit(tail[0]) {
		return Quantity{}, false, nil
	}
	// A number after "ft" or "'": feet and inches, or a mistake in them.
	n := numberPrefix(tail)
	inches, err := ParseNumber(tail[:n])
	u := strings.TrimSpace(tail[n:])
	if err != nil || (u != end && !strings.EqualFold(u, end)) || feet != float64(int64(feet)) || inches >= 12 {
		return Quantity{}, true, &ParseError{Input: in, Err: ErrSyntax, Hint: feetInchesHint}
	}
	return Quantity{Value: feet*12 + inches, Unit: Inch}, true, nil
}

const feetInchesHint = "write a height in feet and inches as whole feet then inches below 12, for example 5ft7in or 5ft7.5in (or 67in, or 170cm)"
