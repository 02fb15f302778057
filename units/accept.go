package units

// Accepts reports whether a.Normalize accepts q (returns no error): an
// accepted unit and a plausible value. A value well inside the plausible
// range of its unit is answered from a table (acceptTable), without the
// conversion; any other, NaN included, by Normalize itself. Rules that
// check their inputs at every call (the lupus response rules, the KDIGO
// albuminuria categories) ask this before they ask Normalize for the error.
func (a Analyte) Accepts(q Quantity) bool {
	if a > 0 && int(a) < len(acceptTable) {
		t := &acceptTable[a]
		for i := range t.n {
			if r := &t.r[i]; r.unit == q.Unit {
				if q.Value >= r.lo && q.Value <= r.hi {
					return true
				}
				break
			}
		}
	}
	_, err := a.Normalize("", q)
	return err == nil
}

// acceptRange is a range of values of one unit that Normalize accepts:
// in the canonical unit the plausible range itself (Normalize compares the
// value as given), in another unit the plausible range converted to it and
// narrowed by one part in a million at each nonzero end, far more than the
// conversion's rounding (TestAcceptsIsNormalize).
type acceptRange struct {
	unit   Unit
	lo, hi float64
}

// acceptRanges is an analyte's ranges, n of them, in place.
type acceptRanges struct {
	n int
	r [4]acceptRange
}

// acceptTable holds each analyte's ranges, by analyte; filled by
// fillAcceptTable once the conversion tables are (convtable.go).
var acceptTable [len(analyteSpecs)]acceptRanges

func fillAcceptTable() {
	for a := range analyteSpecs {
		s, t := &analyteSpecs[a], &acceptTable[a]
		for j, u := range s.units {
			r := acceptRange{unit: u, lo: s.min, hi: s.max}
			if j > 0 {
				lo, ok1 := s.convert(Quantity{s.min, s.canonical}, u, 0, j)
				hi, ok2 := s.convert(Quantity{s.max, s.canonical}, u, 0, j)
				if !ok1 || !ok2 || lo.Value < 0 || hi.Value <= lo.Value {
					continue // no table range: Normalize answers
				}
				r.lo, r.hi = lo.Value*(1+1e-6), hi.Value*(1-1e-6)
			}
			if t.n < len(t.r) {
				t.r[t.n] = r
				t.n++
			}
		}
	}
}
