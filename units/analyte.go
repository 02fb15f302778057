package units

import (
	"slices"
	"strings"
)

// Analyte is a measured quantity with a canonical unit, the units it may be
// given in, and a plausible range. The set is closed; each has a String name
// in snake_case used in CLI flags, CSV files and JSON.
type Analyte int

// Analytes RenalWatch reads. Serum unless named otherwise.
const (
	Creatinine      Analyte = iota + 1 // serum creatinine, IDMS-traceable
	CystatinC                          // serum cystatin C, IFCC/ERM-DA471 standardised
	ACR                                // urine albumin-to-creatinine ratio
	PCR                                // urine protein-to-creatinine ratio
	UrineProtein24h                    // 24-hour urine protein excretion
	Hemoglobin                         // blood haemoglobin
	Potassium                          //
	Bicarbonate                        // serum bicarbonate (total CO2)
	Calcium                            // total serum calcium
	Phosphate                          // serum phosphate (as phosphorus)
	Albumin                            // serum albumin
	C3                                 // complement C3
	C4                                 // complement C4
	AntiDsDNA                          // anti-double-stranded DNA antibodies
	SystolicBP                         //
	DiastolicBP                        //
	UrineRBC                           // urine red cells per high-power field
	UrineWBC                           // urine white cells per high-power field
	Platelets                          // blood platelet count
	Leukocytes                         // blood white cell count
	Height                             //
	Weight                             //
	EGFR                               // eGFR as reported by a laboratory
)

// creatinineMolarMass makes 1 mg/dL equal 88.4 umol/L exactly, the factor
// every guideline uses (KDIGO 2012; 113.12 g/mol by formula). The same molar
// mass turns mg/g into mg/mmol for creatinine ratios (1 mg/mmol = 8.84 mg/g).
const creatinineMolarMass = 1e-2 / 88.4e-6 // g/mol

type analyteSpec struct {
	name      string
	canonical Unit
	units     []Unit     // accepted units, canonical first; also the order suggestions are tried in
	molar     float64    // g/mol, bridges mass and substance concentration; 0 = no bridge
	valence   float64    // eq/mol, bridges substance and equivalent concentration; 0 = no bridge
	ratio     bool       // a ratio to urine creatinine: mg/g and mg/mmol bridge through creatinine
	min, max  float64    // plausible range in the canonical unit, inclusive
	pairs     []unitPair // by index in units: from*len(units)+to (convtable.go)
}

var analyteSpecs = [...]analyteSpec{
	Creatinine:      {name: "creatinine", canonical: MgPerDL, units: []Unit{MgPerDL, UmolPerL, MmolPerL}, molar: creatinineMolarMass, min: 0.1, max: 30},
	CystatinC:       {name: "cystatin_c", canonical: MgPerL, units: []Unit{MgPerL, NmolPerL}, molar: 1e-3 / 74.9e-9, min: 0.2, max: 10},
	ACR:             {name: "acr", canonical: MgPerG, units: []Unit{MgPerG, MgPerMmol, GPerG}, ratio: true, min: 0, max: 30000},
	PCR:             {name: "pcr", canonical: MgPerG, units: []Unit{MgPerG, MgPerMmol, GPerG}, ratio: true, min: 0, max: 50000},
	UrineProtein24h: {name: "urine_protein_24h", canonical: GPerDay, units: []Unit{GPerDay, MgPerDay}, min: 0, max: 50},
	Hemoglobin:      {name: "hemoglobin", canonical: GPerDL, units: []Unit{GPerDL, GPerL}, min: 2, max: 25},
	Potassium:       {name: "potassium", canonical: MmolPerL, units: []Unit{MmolPerL, MeqPerL}, valence: 1, min: 1, max: 12},
	Bicarbonate:     {name: "bicarbonate", canonical: MmolPerL, units: []Unit{MmolPerL, MeqPerL}, valence: 1, min: 2, max: 60},
	Calcium:         {name: "calcium", canonical: MgPerDL, units: []Unit{MgPerDL, MmolPerL, MeqPerL}, molar: 40.0, valence: 2, min: 3.5, max: 25},
	Phosphate:       {name: "phosphate", canonical: MgPerDL, units: []Unit{MgPerDL, MmolPerL}, molar: 31.0, min: 0.3, max: 25},
	Albumin:         {name: "albumin", canonical: GPerDL, units: []Unit{GPerDL, GPerL}, min: 0.5, max: 7},
	C3:              {name: "c3", canonical: GPerL, units: []Unit{GPerL, MgPerDL}, min: 0, max: 5},
	C4:              {name: "c4", canonical: GPerL, units: []Unit{GPerL, MgPerDL}, min: 0, max: 2},
	AntiDsDNA:       {name: "anti_dsdna", canonical: IUPerML, units: []Unit{IUPerML}, min: 0, max: 100000},
	SystolicBP:      {name: "systolic_bp", canonical: MmHg, units: []Unit{MmHg}, min: 40, max: 300},
	DiastolicBP:     {name: "diastolic_bp", canonical: MmHg, units: []Unit{MmHg}, min: 10, max: 200},
	UrineRBC:        {name: "urine_rbc", canonical: PerHPF, units: []Unit{PerHPF}, min: 0, max: 1000},
	UrineWBC:        {name: "urine_wbc", canonical: PerHPF, units: []Unit{PerHPF}, min: 0, max: 1000},
	Platelets:       {name: "platelets", canonical: Thousand9PerL, units: []Unit{Thousand9PerL}, min: 0, max: 2000},
	Leukocytes:      {name: "leukocytes", canonical: Thousand9PerL, units: []Unit{Thousand9PerL}, min: 0, max: 500},
	Height:          {name: "height", canonical: Cm, units: []Unit{Cm, M, Inch, Foot}, min: 20, max: 260},
	Weight:          {name: "weight", canonical: Kg, units: []Unit{Kg, G, Pound}, min: 0.3, max: 500},
	EGFR:            {name: "egfr", canonical: MLPerMinBSA, units: []Unit{MLPerMinBSA}, min: 0, max: 300},
}

func (a Analyte) spec() (analyteSpec, bool) {
	if a <= 0 || int(a) >= len(analyteSpecs) {
		return analyteSpec{}, false
	}
	return analyteSpecs[a], true
}

// String returns the analyte's snake_case name.
func (a Analyte) String() string {
	if s, ok := a.spec(); ok {
		return s.name
	}
	return "unknown analyte"
}

// Analytes lists every analyte in declaration order.
func Analytes() []Analyte {
	out := make([]Analyte, 0, len(analyteSpecs)-1)
	for a := Creatinine; int(a) < len(analyteSpecs); a++ {
		out = append(out, a)
	}
	return out
}

// ParseAnalyte returns the analyte named s ("creatinine", "cystatin-c" and
// "cystatin_c" are the same), or false.
func ParseAnalyte(s string) (Analyte, bool) {
	s = strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s)), "-", "_")
	for _, a := range Analytes() {
		if a.String() == s {
			return a, true
		}
	}
	return 0, false
}

// Canonical returns the unit RenalWatch stores and computes the analyte in.
func (a Analyte) Canonical() Unit { s, _ := a.spec(); return s.canonical }

// Units returns the units the analyte is accepted in, canonical first.
func (a Analyte) Units() []Unit { s, _ := a.spec(); return slices.Clone(s.units) }

// Range returns the plausible range in the canonical unit, bounds inclusive.
func (a Analyte) Range() (lo, hi Quantity) {
	s, _ := a.spec()
	return Quantity{s.min, s.canonical}, Quantity{s.max, s.canonical}
}

// Convert converts q, a measurement of a, to unit u. Both units must be
// accepted for a; conversions across dimensions use the analyte's molar mass
// or valence (see the package documentation for the factors).
func (a Analyte) Convert(q Quantity, u Unit) (Quantity, error) {
	s := a.specRef()
	if s != nil {
		if i, j := s.unitIndex(q.Unit), s.unitIndex(u); i >= 0 && j >= 0 {
			if c, ok := s.convert(q, u, i, j); ok {
				return c, nil
			}
		}
	}
	return Quantity{}, &UnitError{Analyte: a, From: q.Unit, To: u, Accepted: a.Units()}
}

// bridge converts v from the base unit of one dimension to the base unit of
// another using the analyte's own constants.
func (s analyteSpec) bridge(v float64, from, to Dimension) (float64, bool) {
	if from == to {
		return v, true
	}
	// Route through substance concentration (mol/L) when a molar mass or a
	// valence is known.
	switch {
	case from == MassConcentration && s.molar > 0:
		return s.bridge(v/s.molar, SubstanceConcentration, to)
	case from == EquivalentConcentration && s.valence > 0:
		return s.bridge(v/s.valence, SubstanceConcentration, to)
	case from == SubstanceConcentration && to == MassConcentration && s.molar > 0:
		return v * s.molar, true
	case from == SubstanceConcentration && to == EquivalentConcentration && s.valence > 0:
		return v * s.valence, true
	case from == MassRatio && to == MassPerSubstance && s.ratio:
		return v * creatinineMolarMass, true // g per g creatinine -> g per mol creatinine
	case from == MassPerSubstance && to == MassRatio && s.ratio:
		return v / creatinineMolarMass, true
	}
	return 0, false
}

// Normalize checks that q is a plausible measurement of a, in an accepted unit,
// and returns it in the canonical unit. field names the input in errors
// ("--creatinine", "creatinine"); it may be empty.
func (a Analyte) Normalize(field string, q Quantity) (Quantity, error) {
	// The usual case, a plausible value in an accepted unit, returns here;
	// every other goes to normalizeErr, which takes the same steps and
	// builds the error (the error paths made each call pay for their frame).
	if s := a.specRef(); s != nil {
		if i := s.unitIndex(q.Unit); i >= 0 {
			if c, ok := s.convert(q, s.canonical, i, 0); ok && s.plausible(c.Value) {
				return c, nil
			}
		}
	}
	return a.normalizeErr(field, q)
}

// normalizeErr is Normalize for a quantity that is not a plausible value
// in an accepted unit.
//
//go:noinline
func (a Analyte) normalizeErr(field string, q Quantity) (Quantity, error) {
	s := a.specRef()
	if s == nil {
		return Quantity{}, &UnitError{Field: field, Analyte: a, From: q.Unit}
	}
	i := s.unitIndex(q.Unit)
	if i < 0 {
		return Quantity{}, &UnitError{Field: field, Analyte: a, From: q.Unit, Accepted: a.Units()}
	}
	c, ok := s.convert(q, s.canonical, i, 0) // the canonical unit is units[0]
	if !ok {
		return Quantity{}, &UnitError{Analyte: a, From: q.Unit, To: s.canonical, Accepted: a.Units()}
	}
	if s.plausible(c.Value) {
		return c, nil
	}
	lo, _ := a.Convert(Quantity{s.min, s.canonical}, q.Unit)
	hi, _ := a.Convert(Quantity{s.max, s.canonical}, q.Unit)
	e := &RangeError{Field: field, Analyte: a, Value: q, Min: lo, Max: hi}
	for _, u := range a.PlausibleUnits(q.Value) {
		if u != q.Unit {
			e.Suggestion = &Quantity{q.Value, u}
			break
		}
	}
	return Quantity{}, e
}

// PlausibleUnits returns the accepted units of a (canonical first) in which
// the number v would be a plausible value: creatinine 106 gives umol/L only
// (106 mg/dL and 106 mmol/L are not plausible). It is the rule of
// RangeError's suggestion, for callers that have a number without a unit.
func (a Analyte) PlausibleUnits(v float64) []Unit {
	s := a.specRef()
	if s == nil {
		return nil
	}
	var out []Unit
	for _, u := range s.units {
		c, err := a.Convert(Quantity{v, u}, s.canonical)
		if err == nil && s.plausible(c.Value) {
			out = append(out, u)
		}
	}
	return out
}

func (s *analyteSpec) plausible(v float64) bool { return v >= s.min && v <= s.max }
