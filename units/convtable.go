package units

import "slices"

// unitPair is what Analyte.Convert looks up to convert between two of an
// analyte's accepted units: both units' dimension and scale, and the exact
// integer ratio when the pair has one. It is filled once, at start-up,
// from unitTable and exactRatios, so that a conversion does no map lookup
// (the assessment converts every value it judges; issue 10 §3). The
// arithmetic is unchanged: the same factors in the same order.
type unitPair struct {
	from, to unitInfo
	ratio    [2]float64 // exactRatios[{from, to}], when exact
	exact    bool
}

func init() {
	for a := range analyteSpecs {
		s := &analyteSpecs[a]
		n := len(s.units)
		s.pairs = make([]unitPair, n*n)
		for i, f := range s.units {
			for j, t := range s.units {
				r, ok := exactRatios[[2]Unit{f, t}]
				s.pairs[i*n+j] = unitPair{from: unitTable[f], to: unitTable[t], ratio: r, exact: ok}
			}
		}
	}
	fillAcceptTable() // accept.go: reads the pairs
}

// specRef is the analyte's specification in place, or nil for an unknown
// analyte.
func (a Analyte) specRef() *analyteSpec {
	if a <= 0 || int(a) >= len(analyteSpecs) {
		return nil
	}
	return &analyteSpecs[a]
}

// convert is Convert for a known analyte s, with i and j the indexes of
// q.Unit and u in s.units.
func (s *analyteSpec) convert(q Quantity, u Unit, i, j int) (Quantity, bool) {
	if i == j {
		return q, true
	}
	p := &s.pairs[i*len(s.units)+j]
	if p.from.dim == p.to.dim {
		if p.exact {
			return Quantity{Value: q.Value * p.ratio[0] / p.ratio[1], Unit: u}, true
		}
		return Quantity{Value: q.Value * p.from.scale / p.to.scale, Unit: u}, true
	}
	base := q.Value * p.from.scale // in the base unit of from.dim
	base, ok := s.bridge(base, p.from.dim, p.to.dim)
	if !ok {
		return Quantity{}, false
	}
	return Quantity{Value: base / p.to.scale, Unit: u}, true
}

// unitIndex is the index of u among s's accepted units, or -1.
func (s *analyteSpec) unitIndex(u Unit) int { return slices.Index(s.units, u) }

func init() {
	for a := range analyteSpecs {
		if s := &analyteSpecs[a]; a > 0 && (len(s.units) == 0 || s.units[0] != s.canonical) {
			panic("units: " + s.name + ": the canonical unit must be the first accepted unit")
		}
	}
}
