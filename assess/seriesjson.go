package assess

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"time"

	"renalwatch/units"
)

// AppendJSON appends the point's JSON as encoding/json writes it, compact
// and without HTML escaping (json.Encoder with SetEscapeHTML(false), less
// the newline). Most points are written without an allocation (see
// appendPointJSON), the others by encoding/json.
func (p *EGFRPoint) AppendJSON(b []byte) ([]byte, error) {
	if out, ok := appendPointJSON(b, p); ok {
		return out, nil
	}
	return encodePoint(b, *p) // a copy: p itself does not escape
}

// encodePoint appends p by encoding/json (AppendJSON).
func encodePoint(b []byte, p EGFRPoint) ([]byte, error) {
	buf := bytes.NewBuffer(b)
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(&p); err != nil {
		return b, err
	}
	out := buf.Bytes()
	return out[:len(out)-1], nil // Encode's newline
}

// appendPointJSON appends p as encoding/json writes it (compact), without
// an allocation, and reports false (having appended nothing) when p is not
// of the plain kind it handles: every string printable ASCII without '"',
// '\\', '<', '>' or '&' (so that escaping, HTML or not, changes nothing),
// every number finite and written by encoding/json in 'f' form (0, or a
// magnitude from 1e-6 to 1e21), and the date a UTC time with a four-digit
// year. The caller then uses encoding/json. A report on a million
// creatinines otherwise made about 48 bytes of garbage per point in
// time.Time.MarshalJSON (issue 8 item 4). TestAppendPointJSON holds the
// bytes to encoding/json's.
func appendPointJSON(b []byte, p *EGFRPoint) ([]byte, bool) {
	n := len(b)
	b, ok := appendPoint(b, p)
	if !ok {
		return b[:n], false
	}
	return b, true
}

func appendPoint(b []byte, p *EGFRPoint) ([]byte, bool) {
	ok := true
	str := func(key, s string) {
		b = append(b, key...)
		ok = ok && plain(s)
		b = append(append(append(b, '"'), s...), '"')
	}
	num := func(key string, f float64) {
		b = append(b, key...)
		var good bool
		b, good = appendNumber(b, f)
		ok = ok && good
	}
	quantity := func(key string, q *units.Quantity) {
		b = append(b, key...)
		num(`{"value":`, q.Value)
		str(`,"unit":`, string(q.Unit))
		b = append(b, '}')
	}
	list := func(key string, l []string) {
		b = append(b, key...)
		for i, s := range l {
			if i == 0 {
				str("[", s)
			} else {
				str(",", s)
			}
		}
		b = append(b, ']')
	}
	t := p.Date
	if y := t.Year(); t.Location() != time.UTC || y < 0 || y > 9999 {
		return b, false
	}
	b = append(b, `{"date":"`...)
	b = append(t.AppendFormat(b, time.RFC3339Nano), '"')
	if p.Value == nil {
		b = append(b, `,"value":null`...)
	} else {
		num(`,"value":`, *p.Value)
	}
	if p.Equation != "" {
		str(`,"equation":`, p.Equation)
	}
	quantity(`,"creatinine":`, &p.Creatinine)
	if p.Comparator != "" {
		str(`,"comparator":`, p.Comparator)
	}
	if p.CystatinC != nil {
		quantity(`,"cystatin_c":`, p.CystatinC)
	}
	if p.CystatinObservationID != "" {
		str(`,"cystatin_observation_id":`, p.CystatinObservationID)
	}
	if len(p.Markers) > 0 {
		list(`,"markers":`, p.Markers)
	}
	if p.Height != nil {
		quantity(`,"height":`, p.Height)
	}
	num(`,"age_years":`, p.AgeYears)
	str(`,"observation_id":`, p.ObservationID)
	if p.Reason != "" {
		str(`,"reason":`, p.Reason)
	}
	if len(p.Notes) > 0 {
		list(`,"notes":`, p.Notes)
	}
	if len(p.Warnings) > 0 {
		list(`,"warnings":`, p.Warnings)
	}
	return append(b, '}'), ok
}

// plain reports whether s is written by encoding/json as itself between
// quotes, whether or not it escapes HTML.
func plain(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c < 0x20 || c > 0x7e, c == '"', c == '\\', c == '<', c == '>', c == '&':
			return false
		}
	}
	return true
}

// appendNumber appends f as encoding/json writes a float64 when it uses
// the 'f' form (shortest representation), and false when it would not.
func appendNumber(b []byte, f float64) ([]byte, bool) {
	if a := math.Abs(f); math.IsNaN(f) || (a != 0 && (a < 1e-6 || a >= 1e21)) {
		return b, false
	}
	return strconv.AppendFloat(b, f, 'f', -1, 64), true
}
