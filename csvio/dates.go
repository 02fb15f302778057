package csvio

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"renalwatch/record"
)

// wallClock are date-and-time forms without a zone offset, as spreadsheets
// export them ("2024-10-12 08:30").
var wallClock = []string{"2006-01-02 15:04", "2006-01-02 15:04:05", "2006-01-02T15:04", "2006-01-02T15:04:05"}

// dayFirst matches dates written 12.10.2024, 12/10/2024 or 10/12/2024.
var dayFirst = regexp.MustCompile(`^\d{1,2}[./-]\d{1,2}[./-]\d{2,4}`)

// parseDate reads a date with how much of it is given:
//
//	2024-03-01T08:30:00Z, 2024-03-01T08:30:00+02:00  instant
//	2024-03-01, 2024-03-01 08:30, 2024-03-01 08:30:15  day
//	2024-03                                           month (partial allowed)
//	2024                                              year  (partial allowed)
//
// A time of day without a zone offset keeps its date with day precision:
// the zone is not given and is not guessed, and a guessed zone could move
// the date. Year and year-month forms are read only when partial is true
// (birth dates, as FHIR allows them); they stand for the first day of
// their year or month.
func parseDate(col, s string, partial bool) (time.Time, record.DatePrecision, error) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, record.PrecisionDay, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), record.PrecisionInstant, nil
	}
	for _, l := range wallClock {
		if t, err := time.Parse(l, s); err == nil {
			y, m, d := t.Date()
			return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), record.PrecisionDay, nil
		}
	}
	if partial {
		if t, err := time.Parse("2006-01", s); err == nil {
			return t, record.PrecisionMonth, nil
		}
		if len(s) == 4 {
			if t, err := time.Parse("2006", s); err == nil {
				return t, record.PrecisionYear, nil
			}
		}
	}
	want := "a date (2024-03-01), a date and time (2024-03-01 08:30) or an RFC 3339 time (2024-03-01T08:30:00Z)"
	if partial {
		want += "; a year (1980) or year and month (1980-05) are read too"
	}
	if dayFirst.MatchString(s) {
		want += "; " + quoteShort(s) + " is day-first or month-first, which cannot be told apart: write the year first"
	}
	return time.Time{}, 0, fmt.Errorf("%w: %s %q; want %s", ErrBadDate, col, s, want)
}

// dateCol reads column col of a row as a date not after rd.Now.
func (rd *Reader) dateCol(col, s string, partial bool) (time.Time, record.DatePrecision, error) {
	t, prec, err := parseDate(col, s, partial)
	if err != nil {
		return time.Time{}, 0, err
	}
	if t.After(rd.Now) {
		now := rd.Now.UTC().Format(time.RFC3339)
		if prec != record.PrecisionInstant {
			now = rd.Now.UTC().Format(time.DateOnly) // a date after today: "is after 2026-12-07", as the FHIR reader says
		}
		return time.Time{}, 0, fmt.Errorf("%w: %s %s is after %s", ErrFuture, col, s, now)
	}
	return t, prec, nil
}

// number is DecimalNumber, its error an ErrBadValue.
func number(col, s string, semicolon bool) (string, error) {
	v, err := DecimalNumber(col, s, semicolon)
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrBadValue, err)
	}
	return v, nil
}

// DecimalNumber prepares a numeric field for units.ParseNumber: in a
// semicolon-separated file a decimal comma ("1,4") becomes a point; in a
// comma-separated file, or when the value also has a point ("1.234,5"),
// a comma is an error that says what to write. In either file a comma
// followed by exactly three digits ("1,000") is refused naming both
// readings, as the CLI does (units.DecimalCommaHint; docs/caveats.md): it
// is a decimal comma (1.000) or a thousands separator (1000), a thousandfold
// apart (an ACR of 1 mg/g is A1, 1000 mg/g A3). A comma after an integer
// part of zeros ("0,125") can only be a decimal comma. The import and the
// calculators' tables (--in) both read numbers by it.
func DecimalNumber(col, s string, semicolon bool) (string, error) {
	if !strings.Contains(s, ",") {
		return s, nil
	}
	if i := strings.IndexByte(s, ','); strings.Count(s, ",") == 1 && !strings.Contains(s, ".") && threeDigits(s[i+1:]) &&
		strings.Trim(strings.TrimLeft(s[:i], "+-"), "0") != "" {
		return "", fmt.Errorf("%s %q is ambiguous, a thousandfold apart: write %s if the comma is a decimal comma, or %s if it separates thousands (numbers take no thousands separator)",
			col, s, s[:i]+"."+s[i+1:], s[:i]+s[i+1:])
	}
	if !semicolon {
		return "", fmt.Errorf("%s %q has a decimal comma; use a decimal point (1.4), or export the whole file semicolon-separated, where a decimal comma is read", col, s)
	}
	if strings.Count(s, ",") > 1 || strings.Contains(s, ".") {
		return "", fmt.Errorf("%s %q: write the number without thousands separators, with one decimal comma (1234,5) or point (1234.5)", col, s)
	}
	return strings.Replace(s, ",", ".", 1), nil
}

// threeDigits reports whether s is exactly three ASCII digits.
func threeDigits(s string) bool {
	return len(s) == 3 && isASCIIDigit(s[0]) && isASCIIDigit(s[1]) && isASCIIDigit(s[2])
}

func isASCIIDigit(c byte) bool { return '0' <= c && c <= '9' }
