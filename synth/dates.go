package synth

// Days are counted from 1970-01-01 (UTC). These conversions are the civil
// calendar algorithms of Howard Hinnant ("chrono-compatible low-level date
// algorithms"), used instead of time.Time so that formatting a date costs
// no allocation.

// dayOf returns the day number of y-m-d.
func dayOf(y, m, d int) int {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era = (y - 399) / 400
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// civil returns the year, month and day of day number z.
func civil(z int) (y, m, d int) {
	z += 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era = (z - 146096) / 146097
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = doy - (153*mp+2)/5 + 1
	m = mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return y, m, d
}

// appendDate appends day z as YYYY-MM-DD.
func appendDate(b []byte, z int) []byte {
	y, m, d := civil(z)
	return append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+m/10), byte('0'+m%10), '-', byte('0'+d/10), byte('0'+d%10))
}

// Date formats day z as YYYY-MM-DD.
func Date(z int) string { return string(appendDate(nil, z)) }

// ParseDate reads YYYY-MM-DD into a day number; ok is false for anything else.
func ParseDate(s string) (int, bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, false
	}
	n := func(t string) (int, bool) {
		v := 0
		for _, c := range []byte(t) {
			if c < '0' || c > '9' {
				return 0, false
			}
			v = v*10 + int(c-'0')
		}
		return v, true
	}
	y, ok1 := n(s[:4])
	m, ok2 := n(s[5:7])
	d, ok3 := n(s[8:])
	if !ok1 || !ok2 || !ok3 || m < 1 || m > 12 || d < 1 || d > 31 {
		return 0, false
	}
	z := dayOf(y, m, d)
	if yy, mm, dd := civil(z); yy != y || mm != m || dd != d {
		return 0, false
	}
	return z, true
}
