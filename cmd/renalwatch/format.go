package main

import (
	"math"
	"strconv"
)

// human formats a number for people: at most sig significant digits, no
// exponent, no trailing zeros (106.08000000000001 -> "106.08").
func human(v float64, sig int) string {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', sig, 64), 64)
	return strconv.FormatFloat(r, 'f', -1, 64)
}
