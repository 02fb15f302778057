package units

import (
	"strings"
)

// Unit is a UCUM case-sensitive unit code, such as "mg/dL" or "umol/L".
type Unit string

// The units RenalWatch understands. The set is closed on purpose: no Go
// library implements UCUM, and a short explicit table is easier to verify than
// a general parser.
const (
	MgPerDL       Unit = "mg/dL"
	GPerDL        Unit = "g/dL"
	GPerL         Unit = "g/L"
	MgPerL        Unit = "mg/L"
	UmolPerL      Unit = "umol/L"
	MmolPerL      Unit = "mmol/L"
	NmolPerL      Unit = "nmol/L"
	MeqPerL       Unit = "meq/L"
	MgPerG        Unit = "mg/g"
	GPerG         Unit = "g/g"
	MgPerMmol     Unit = "mg/mmol"
	GPerDay       Unit = "g/d"
	MgPerDay      Unit = "mg/d"
	Cm            Unit = "cm"
	M             Unit = "m"
	Kg            Unit = "kg"
	G             Unit = "g"
	MLPerMin      Unit = "mL/min"
	MLPerMinBSA   Unit = "mL/min/{1.73_m2}"
	MmHg          Unit = "mm[Hg]"
	PerHPF        Unit = "/[HPF]"
	IUPerML       Unit = "[IU]/mL"
	Percent       Unit = "%"
	Year          Unit = "a"
	Thousand9PerL Unit = "10*9/L"
	Inch          Unit = "[in_i]"  // international inch, exactly 2.54 cm; shown as "in"
	Foot          Unit = "[ft_i]"  // international foot, exactly 12 in = 30.48 cm; shown as "ft"
	Pound         Unit = "[lb_av]" // avoirdupois pound, exactly 0.45359237 kg; shown as "lb"
)

// Dimension groups units that convert into each other by a scale factor alone.
type Dimension int

// Dimensions of the units in the table.
const (
	MassConcentration       Dimension = iota + 1 // g/L
	SubstanceConcentration                       // mol/L
	EquivalentConcentration                      // eq/L
	MassRatio                                    // g/g (analyte per creatinine)
	MassPerSubstance                             // g/mol (analyte per creatinine)
	MassRate                                     // g/d
	Length                                       // m
	Mass                                         // kg
	VolumeRate                                   // mL/min
	IndexedVolumeRate                            // mL/min/1.73 m2
	Pressure                                     // mm[Hg]
	CountPerField                                // /[HPF]
	ArbitraryConcentration                       // [IU]/mL
	Fraction                                     // %
	Duration                                     // a
	NumberConcentration                          // 10*9/L
)

var dimensionNames = map[Dimension]string{
	MassConcentration:       "mass concentration",
	SubstanceConcentration:  "substance concentration",
	EquivalentConcentration: "equivalent concentration",
	MassRatio:               "mass ratio",
	MassPerSubstance:        "mass per substance",
	MassRate:                "mass per day",
	Length:                  "length",
	Mass:                    "mass",
	VolumeRate:              "volume rate",
	IndexedVolumeRate:       "volume rate per 1.73 m2",
	Pressure:                "pressure",
	CountPerField:           "count per high-power field",
	ArbitraryConcentration:  "arbitrary concentration",
	Fraction:                "fraction",
	Duration:                "duration",
	NumberConcentration:     "number concentration",
}

// String names the dimension.
func (d Dimension) String() string {
	if s, ok := dimensionNames[d]; ok {
		return s
	}
	return "unknown dimension"
}

// unitInfo says what a unit measures and its size relative to the base unit of
// its dimension (g/L, mol/L, eq/L, g/g, g/mol, g/d, m, kg, mL/min, ...).
type unitInfo struct {
	dim   Dimension
	scale float64
}

var unitTable = map[Unit]unitInfo{
	MgPerDL:       {MassConcentration, 1e-2},
	GPerDL:        {MassConcentration, 10},
	GPerL:         {MassConcentration, 1},
	MgPerL:        {MassConcentration, 1e-3},
	UmolPerL:      {SubstanceConcentration, 1e-6},
	MmolPerL:      {SubstanceConcentration, 1e-3},
	NmolPerL:      {SubstanceConcentration, 1e-9},
	MeqPerL:       {EquivalentConcentration, 1e-3},
	MgPerG:        {MassRatio, 1e-3},
	GPerG:         {MassRatio, 1},
	MgPerMmol:     {MassPerSubstance, 1},
	GPerDay:       {MassRate, 1},
	MgPerDay:      {MassRate, 1e-3},
	Cm:            {Length, 1e-2},
	M:             {Length, 1},
	Kg:            {Mass, 1},
	G:             {Mass, 1e-3},
	MLPerMin:      {VolumeRate, 1},
	MLPerMinBSA:   {IndexedVolumeRate, 1},
	MmHg:          {Pressure, 1},
	PerHPF:        {CountPerField, 1},
	IUPerML:       {ArbitraryConcentration, 1},
	Percent:       {Fraction, 1},
	Year:          {Duration, 1},
	Thousand9PerL: {NumberConcentration, 1},
	Inch:          {Length, 0.0254},
	Foot:          {Length, 0.3048},
	Pound:         {Mass, 0.45359237},
}

// aliases maps the spellings people and systems use to UCUM codes. Keys are
// matched exactly first, then case-insensitively (UCUM is case-sensitive, but
// "MG/DL" is unambiguous for every unit in the table).
var aliases = map[string]Unit{
	"µmol/L":          UmolPerL, // micro sign U+00B5
	"μmol/L":          UmolPerL, // Greek small mu U+03BC
	"umol/l":          UmolPerL,
	"mEq/L":           MeqPerL,
	"mg/mg":           GPerG, // AURORA's and many US reports' spelling of a protein ratio
	"g/24h":           GPerDay,
	"g/(24.h)":        GPerDay,
	"g/day":           GPerDay,
	"mg/24h":          MgPerDay,
	"mg/(24.h)":       MgPerDay,
	"mg/day":          MgPerDay,
	"mL/min/1.73m2":   MLPerMinBSA,
	"mL/min/1.73 m2":  MLPerMinBSA,
	"mL/min/1.73m^2":  MLPerMinBSA,
	"mL/min/{1.73m2}": MLPerMinBSA,
	"mL/min/1.73_m2":  MLPerMinBSA,
	"mL/min/1.73 m²":  MLPerMinBSA, // the spelling text reports print (Unit.Display)
	"mL/min/1.73m²":   MLPerMinBSA,
	"mmHg":            MmHg,
	"mm Hg":           MmHg,
	"/hpf":            PerHPF,
	"/HPF":            PerHPF,
	"/[hpf]":          PerHPF,
	"IU/mL":           IUPerML,
	"[iU]/mL":         IUPerML,
	"y":               Year,
	"yr":              Year,
	"years":           Year,
	"10^9/L":          Thousand9PerL,
	"x10^9/L":         Thousand9PerL,
	"10*3/uL":         Thousand9PerL,
	"in":              Inch,
	"inch":            Inch,
	"inches":          Inch,
	"ft":              Foot,
	"foot":            Foot,
	"feet":            Foot,
	"lb":              Pound,
	"lbs":             Pound,
}

// foldedUnits indexes every known spelling by its lower-case form.
var foldedUnits = func() map[string]Unit {
	m := make(map[string]Unit, len(unitTable)+len(aliases))
	for u := range unitTable {
		m[strings.ToLower(string(u))] = u
	}
	for s, u := range aliases {
		m[strings.ToLower(s)] = u
	}
	return m
}()

// LookupUnit returns the UCUM unit for a spelling, or false when the spelling
// is not one RenalWatch knows.
//
// A spelling not known as written but with UCUM annotations, such as the
// "mg/mmol{creat}" and "mg/g{creat}" many laboratories send for urine
// ratios, is read without them: the UCUM specification (version 2.1, §6,
// "curly braces") defines an annotation as a comment that is semantically
// equivalent to the unity 1, so "mg/mmol{creat}" is exactly "mg/mmol". A
// spelling the table holds with its braces ("mL/min/{1.73_m2}", the eGFR
// unit) is matched as written first; what is left without the annotations
// must itself be a known spelling ("{ratio}" alone, or "mL/min/{x}", is
// not), so nothing is guessed.
func LookupUnit(s string) (Unit, bool) {
	s = strings.TrimSpace(s)
	if u, ok := lookupSpelling(s); ok {
		return u, true
	}
	if bare, ok := withoutAnnotations(s); ok {
		return lookupSpelling(bare)
	}
	return "", false
}

func lookupSpelling(s string) (Unit, bool) {
	if _, ok := unitTable[Unit(s)]; ok {
		return Unit(s), true
	}
	if u, ok := aliases[s]; ok {
		return u, true
	}
	u, ok := foldedUnits[strings.ToLower(s)]
	return u, ok
}

// withoutAnnotations returns s without its UCUM annotations ("{…}", no
// nesting, UCUM §6), and false when s has none, an unbalanced brace or
// nothing but annotations.
func withoutAnnotations(s string) (string, bool) {
	if !strings.Contains(s, "{") {
		return "", false
	}
	var b strings.Builder
	for {
		i := strings.IndexAny(s, "{}")
		if i < 0 {
			b.WriteString(s)
			break
		}
		if s[i] == '}' {
			return "", false
		}
		j := strings.IndexAny(s[i+1:], "{}")
		if j < 0 || s[i+1+j] == '{' {
			return "", false
		}
		b.WriteString(s[:i])
		s = s[i+1+j+1:]
	}
	bare := strings.TrimSpace(b.String())
	return bare, bare != ""
}

// Dimension reports what the unit measures; zero for an unknown unit.
func (u Unit) Dimension() Dimension { return unitTable[u].dim }

// Known reports whether u is in the unit table.
func (u Unit) Known() bool { _, ok := unitTable[u]; return ok }

// String returns the UCUM code.
func (u Unit) String() string { return string(u) }

// KnownUnits lists every UCUM code in the table, in a stable order.
func KnownUnits() []Unit {
	out := make([]Unit, 0, len(unitTable))
	for u := range unitTable {
		out = append(out, u)
	}
	sortUnits(out)
	return out
}
