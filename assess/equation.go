package assess

import (
	"sync"

	"renalwatch/egfr"
)

// equation is the name of the equation behind an eGFR point, held in one
// byte rather than a 16-byte string: a patient may have a million points
// (issue 8 item 4). The zero equation is the empty name.
type equation uint8

// knownEquations numbers every egfr equation and "reported" (fixed at
// start, read without a lock); extraEquations numbers any other name
// after them when first seen (none is expected: a point's equation has
// been looked up in package egfr).
var (
	knownEquations, knownEquationIDs = numberEquations()
	extraEquations                   struct {
		sync.Mutex
		names []string
	}
	eqReported = equationOf("reported") // a laboratory-reported eGFR
)

func numberEquations() ([]string, map[string]equation) {
	names := append([]string{""}, append(egfr.Names(), "reported")...)
	ids := make(map[string]equation, len(names))
	for i, n := range names {
		ids[n] = equation(i)
	}
	return names, ids
}

// equationOf returns the equation named name.
func equationOf(name string) equation {
	if e, ok := knownEquationIDs[name]; ok {
		return e
	}
	extraEquations.Lock()
	defer extraEquations.Unlock()
	for i, n := range extraEquations.names {
		if n == name {
			return equation(len(knownEquations) + i)
		}
	}
	if len(knownEquations)+len(extraEquations.names) > 255 {
		panic("assess: more than 255 eGFR equation names") // package egfr has 13
	}
	extraEquations.names = append(extraEquations.names, name)
	return equation(len(knownEquations) + len(extraEquations.names) - 1)
}

// equationLists holds, for each known equation, a list of its name alone,
// shared: its capacity is its length, so an append copies, and callers
// must not modify its element.
var equationLists = func() [][]string {
	out := make([][]string, len(knownEquations))
	for i, n := range knownEquations {
		out[i] = []string{n}[:1:1]
	}
	return out
}()

// list returns []string{e.String()}, shared for a known equation (see
// equationLists).
func (e equation) list() []string {
	if int(e) < len(equationLists) {
		return equationLists[e]
	}
	return []string{e.String()}
}

// String returns the equation's name.
func (e equation) String() string {
	if int(e) < len(knownEquations) {
		return knownEquations[e]
	}
	extraEquations.Lock()
	defer extraEquations.Unlock()
	return extraEquations.names[int(e)-len(knownEquations)]
}
