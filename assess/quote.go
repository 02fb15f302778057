package assess

import (
	"slices"
	"strconv"
	"strings"

	"renalwatch/internal/labtext"
	"renalwatch/units"
)

// Quote is a quantity quoted inside a human message (an alert's Message,
// the KFRE's ACRNote): the bytes Start to End of the message are its text,
// as the assessment wrote it in the quantity's unit of report. It lets a
// text layer show the message in the unit system it shows the labs in
// (Alert.MessageIn), so that a report in SI units does not quote
// conventional units in its alerts. Quotes are not in JSON: JSON keeps the
// message as written, in the unit of report, as it keeps the values.
type Quote struct {
	Start, End int
	Analyte    units.Analyte
	// Value is the quantity quoted, unrounded, in the unit the message
	// writes it in.
	Value units.Quantity
	// Bounds are the thresholds, in Value's unit, that the message compares
	// a measured value with: shown in another unit, the value keeps 6
	// significant digits when rounding would move it onto or across one
	// (labq).
	Bounds []float64
	// Threshold is true when the quantity is a threshold the message names
	// ("is below 12 g/dL"), not a measured value.
	Threshold bool
	// Estimated is true when the quantity is computed, not measured (an
	// ACR estimated from a PCR, Sumida): it reads at 4 significant digits
	// in any unit, as the estimate itself is shown (estT).
	Estimated bool
	// Cuts are the thresholds the rule behind the message states in each
	// unit when they are paired rather than converted (KDIGO: UPCR 3 g/g
	// with 300 mg/mmol, which is 2.65 g/g). When the value shown in
	// another unit would meet that unit's cut differently from how it met
	// the cut of its own unit (310 mg/mmol, nephrotic range, is 2.74 g/g,
	// below 3 g/g), every quote of the analyte in the message keeps the
	// unit of report: a converted value must not contradict the rule.
	// When they meet alike, the value shown in a unit with a stated cut
	// reads as reported with the conversion after it ("1.80 g/g (204
	// mg/mmol)"), and a threshold as applied with the rule's own number
	// for the other unit ("0.5 g/g (KDIGO: 50 mg/mmol)"), never an exact
	// conversion that contradicts the cited source ("56.6 mg/mmol";
	// trial 3 #11).
	Cuts []units.Quantity
	// Pairing names who pairs the Cuts ("KDIGO"), for the threshold's text.
	Pairing string
}

// text is human text under construction together with the quantities it
// quotes (Quote). Build it with cat of str (plain text) and labT,
// thresholdT (quoted quantities).
type text struct {
	s  string
	qs []Quote
	// one is the quote of a text that quotes a single quantity spanning
	// it (labT, thresholdT) when one is set: it saves an allocation.
	one    Quote
	hasOne bool
}

// str is plain text, quoting nothing.
func str(s string) text { return text{s: s} }

// cat concatenates texts, keeping each quote's place: one allocation for
// the string and one for the quotes, if any.
func cat(parts ...text) text { return catInto(nil, parts...) }

// cat is cat with the quotes kept in the assessment's slab of quotes (one
// allocation for all the messages of an assessment, not one per message).
func (a *assessor) cat(parts ...text) text { return catInto(&a.quotes, parts...) }

// catInto is cat appending the quotes to *slab when slab is not nil; the
// text's quotes are then a full slice of it (cap = len), so later appends
// to the slab never write into them.
func catInto(slab *[]Quote, parts ...text) text {
	n, nq := 0, 0
	for _, p := range parts {
		n, nq = n+len(p.s), nq+len(p.qs)
		if p.hasOne {
			nq++
		}
	}
	var b strings.Builder
	b.Grow(n)
	var qs []Quote
	start := 0
	switch {
	case nq == 0:
	case slab == nil:
		qs = make([]Quote, 0, nq)
	default:
		if cap(*slab) == 0 {
			*slab = make([]Quote, 0, max(16, nq))
		}
		qs, start = *slab, len(*slab)
	}
	for _, p := range parts {
		if p.hasOne {
			q := p.one
			q.Start += b.Len()
			q.End += b.Len()
			qs = append(qs, q)
		}
		for _, q := range p.qs {
			q.Start += b.Len()
			q.End += b.Len()
			qs = append(qs, q)
		}
		b.WriteString(p.s)
	}
	if slab != nil && nq > 0 {
		*slab = qs
		qs = qs[start:len(qs):len(qs)]
	}
	return text{s: b.String(), qs: qs}
}

// quotes returns t's quotes.
func (t text) quotes() []Quote {
	if t.hasOne {
		return cat(t).qs
	}
	return t.qs
}

// withCuts is t with the paired cuts of its rule (Quote.Cuts) on its
// single quote. Every pairing RenalWatch applies is KDIGO's (KDIGO 2012
// CKD rec 5.1.1: ACR 300 mg/g [30 mg/mmol], PCR 500 mg/g [50 mg/mmol];
// KDIGO 2024 LN: UPCR 0.5 g/g [50 mg/mmol], 3 g/g [300 mg/mmol]).
func (t text) withCuts(cuts []units.Quantity) text {
	t.one.Cuts, t.one.Pairing = cuts, "KDIGO"
	return t
}

// labT is labq quoted: a measured quantity at laboratory precision.
func labT(an units.Analyte, q units.Quantity, bounds ...float64) text {
	s := labq(an, q, bounds...)
	return text{s: s, one: Quote{End: len(s), Analyte: an, Value: q, Bounds: bounds}, hasOne: true}
}

// estT is an estimated quantity quoted (an ACR estimated from a PCR by
// Sumida's equation): computed, not measured, so at 4 significant digits
// in whichever unit it is shown (docs/report.md, "Numbers in human text"),
// as the report, the dashboard and kfre --pcr show the estimate itself
// (labtext.Estimated, trailing zeros kept): "805.1 mg/g", "91.10 mg/mmol", never one at lab
// precision next to the other at 4 digits.
func estT(an units.Analyte, q units.Quantity) text {
	s := labtext.Estimated(q.Value) + " " + q.Unit.Display()
	return text{s: s, one: Quote{End: len(s), Analyte: an, Value: q, Estimated: true}, hasOne: true}
}

// thresholdT is a threshold quoted: at most 4 significant digits (num),
// with its unit.
func thresholdT(an units.Analyte, q units.Quantity) text {
	var buf [48]byte
	s := string(append(append(strconv.AppendFloat(buf[:0], roundSig(q.Value, 4), 'f', -1, 64), ' '), q.Unit.Display()...))
	return text{s: s, one: Quote{End: len(s), Analyte: an, Value: q, Threshold: true}, hasOne: true}
}

// MessageIn is the alert's message with each quoted quantity shown in the
// unit show gives it (show returns the quantity converted to the unit to
// display, or unchanged): the text layer's --units. A quantity shown in its
// own unit reads as in Message.
func (al Alert) MessageIn(show func(units.Analyte, units.Quantity) units.Quantity) string {
	return RenderQuotes(al.Message, al.Quotes, show)
}

// RenderQuotes is s, a message with the quotes qs, with each quoted
// quantity shown in the unit show gives it. A measured value converted to
// another unit reads at that unit's laboratory precision with at most 3
// significant digits (labtext.Converted, as the labs table shows it), or
// with 6 when rounding would move it onto or across a bound it is compared
// with, either as computed or as shown; a threshold converted reads with 3
// significant digits, followed by the threshold as applied when that
// rounded it ("56.6 mg/mmol (0.5 g/g)"). Quotes that do not fit s (a
// message edited after it was built) leave s as it is.
func RenderQuotes(s string, qs []Quote, show func(units.Analyte, units.Quantity) units.Quantity) string {
	if len(qs) == 0 || show == nil {
		return s
	}
	var keep []units.Analyte
	for _, q := range qs {
		if q.Threshold {
			continue // a threshold meets itself: it shows its pairing (quoteIn)
		}
		if c := show(q.Analyte, q.Value); c.Unit != q.Value.Unit && !meetsAlike(q, c) {
			keep = append(keep, q.Analyte)
		}
	}
	var b []byte
	at := 0
	for _, q := range qs {
		if q.Start < at || q.End > len(s) || q.Start > q.End {
			return s
		}
		c := show(q.Analyte, q.Value)
		if c.Unit == q.Value.Unit || slices.Contains(keep, q.Analyte) {
			continue
		}
		b = append(b, s[at:q.Start]...)
		if own, other := pairedCuts(q, c.Unit); own != nil && other != nil {
			// as applied, with the other unit after it (Quote.Cuts)
			b = append(b, s[q.Start:q.End]...)
			if q.Threshold {
				b = append(b, " ("+q.Pairing+": "+num(other.Value)+" "+other.Unit.Display()+")"...)
			} else {
				b = append(b, " ("+quoteIn(q, c)+")"...)
			}
		} else {
			b = append(b, quoteIn(q, c)...)
		}
		at = q.End
	}
	if b == nil {
		return s
	}
	return string(append(b, s[at:]...))
}

// meetsAlike reports whether q's value, shown as c in another unit, meets
// the cut q.Cuts states for c's unit as it meets the cut of its own unit
// (true when either unit has no stated cut).
func meetsAlike(q Quote, c units.Quantity) bool {
	own, other := pairedCuts(q, c.Unit)
	return own == nil || other == nil || (q.Value.Value >= own.Value) == (c.Value >= other.Value)
}

// pairedCuts are the cuts q.Cuts states for q's own unit and for unit u,
// nil where it states none.
func pairedCuts(q Quote, u units.Unit) (own, other *units.Quantity) {
	for i := range q.Cuts {
		switch q.Cuts[i].Unit {
		case q.Value.Unit:
			own = &q.Cuts[i]
		case u:
			other = &q.Cuts[i]
		}
	}
	return own, other
}

// quoteIn formats q shown as c, q.Value converted to another unit.
func quoteIn(q Quote, c units.Quantity) string {
	if q.Estimated {
		return labtext.Estimated(c.Value) + " " + c.Unit.Display()
	}
	if q.Threshold {
		s := labtext.Sig(c.Value, 3)
		if s != labtext.Sig(c.Value, 6) {
			s += " " + c.Unit.Display() + " (" + num(q.Value.Value) + " " + q.Value.Unit.Display() + ")"
			return s
		}
		return s + " " + c.Unit.Display()
	}
	s := labtext.Converted(q.Analyte, c.Value, c.Unit)
	for _, b := range q.Bounds {
		bc, err := q.Analyte.Convert(units.Q(b, q.Value.Unit), c.Unit)
		if err != nil || !labtext.KeepsSide(c.Value, s, bc.Value, roundSig(bc.Value, 3)) {
			return qtext(c)
		}
	}
	if _, err := strconv.ParseFloat(s, 64); err != nil {
		return qtext(c)
	}
	return s + " " + c.Unit.Display()
}
