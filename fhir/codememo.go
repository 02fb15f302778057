package fhir

import "renalwatch/units"

// codeMemo remembers what the code tables say of the codes a file's
// observations carry (loincAnalytes, bpPanels, findingCodes): a few dozen
// codes repeat from observation to observation, and a look-up in the three
// maps hashes the code each time. A direct-mapped table of the answers,
// each entry checked on its code, so the answer is the maps' own.
type codeMemo struct {
	slot [256]codeFacts
}

type codeFacts struct {
	code     string
	set      bool
	analyte  units.Analyte // loincAnalytes[code]
	analyteK bool          // code is in loincAnalytes
	panel    bool          // bpPanels[code]
	finding  bool          // findingCodes[code]
}

// facts returns what the code tables say of code.
func (m *codeMemo) facts(code string) *codeFacts {
	h := uint(len(code))
	for i := 0; i < len(code); i++ {
		h = h*31 + uint(code[i])
	}
	e := &m.slot[h%uint(len(m.slot))]
	if e.set && e.code == code {
		return e
	}
	a, ok := loincAnalytes[code]
	*e = codeFacts{code: code, set: true, analyte: a, analyteK: ok, panel: bpPanels[code], finding: findingCodes[code]}
	return e
}
