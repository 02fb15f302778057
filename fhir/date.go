package fhir

import (
	"time"

	"renalwatch/record"
)

// parseDateFast reads the two forms nearly every FHIR source writes, a
// date (YYYY-MM-DD) and a dateTime to the second with a zone
// (YYYY-MM-DDThh:mm:ssZ, YYYY-MM-DDThh:mm:ss±hh:mm), without time.Parse's
// trial of layouts and its error values. It gives exactly what parseDate's
// layouts give (time.Parse, then UTC: the zone is folded into the instant)
// and says ok false for anything else, which parseDate then reads. The
// ranges are time.Parse's for RFC 3339 (time/format_rfc3339.go
// parseRFC3339): year 0-9999, month 1-12, day 1 to the month's length,
// hour 0-23, minute and second 0-59, zone hour 0-23 and minute 0-59.
func parseDateFast(s string) (time.Time, record.DatePrecision, bool) {
	if len(s) != 10 && len(s) != 20 && len(s) != 25 || s[4] != '-' || s[7] != '-' {
		return time.Time{}, 0, false
	}
	year, ok1 := digits(s, 0, 4)
	month, ok2 := digits(s, 5, 2)
	day, ok3 := digits(s, 8, 2)
	if !ok1 || !ok2 || !ok3 || month < 1 || month > 12 || day < 1 || day > daysIn(month, year) {
		return time.Time{}, 0, false
	}
	if len(s) == 10 {
		return time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC), record.PrecisionDay, true
	}
	hour, ok1 := digits(s, 11, 2)
	minute, ok2 := digits(s, 14, 2)
	sec, ok3 := digits(s, 17, 2)
	if !ok1 || !ok2 || !ok3 || s[10] != 'T' || s[13] != ':' || s[16] != ':' || hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, 0, false
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, 0, time.UTC)
	if len(s) == 20 {
		if s[19] != 'Z' {
			return time.Time{}, 0, false
		}
		return t, record.PrecisionInstant, true
	}
	zh, ok1 := digits(s, 20, 2)
	zm, ok2 := digits(s, 23, 2)
	if !ok1 || !ok2 || s[19] != '+' && s[19] != '-' || s[22] != ':' || zh > 23 || zm > 59 {
		return time.Time{}, 0, false
	}
	off := time.Duration(zh*60+zm) * time.Minute
	if s[19] == '+' {
		off = -off
	}
	return t.Add(off), record.PrecisionInstant, true
}

// digits reads the n decimal digits of s at i.
func digits(s string, i, n int) (int, bool) {
	v := 0
	for _, c := range []byte(s[i : i+n]) {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	return v, true
}

// daysIn is the length of month m (1-12) of year y in the proleptic
// Gregorian calendar, as time.Parse checks it.
func daysIn(m, y int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}
