package units

// displayNames maps a UCUM code to the spelling people read in text
// reports and messages. UCUM codes are the machine form (JSON keeps them:
// "mm[Hg]", "mL/min/{1.73_m2}"); text shows the conventional clinical
// spelling. This table is the one place that spelling is decided: callers
// never edit unit strings themselves (docs/report.md, "Units in human text").
var displayNames = map[Unit]string{
	UmolPerL:      "µmol/L",
	MeqPerL:       "mEq/L",
	GPerDay:       "g/day",
	MgPerDay:      "mg/day",
	MLPerMinBSA:   "mL/min/1.73 m²",
	MmHg:          "mmHg",
	PerHPF:        "/hpf",
	IUPerML:       "IU/mL",
	Year:          "years",
	Thousand9PerL: "×10⁹/L",
	Inch:          "in",
	Foot:          "ft",
	Pound:         "lb",
}

// Display returns the spelling of u for human text: "mmHg" for mm[Hg],
// "mL/min/1.73 m²" for mL/min/{1.73_m2}, "µmol/L" for umol/L; a unit
// whose UCUM code reads well as it is ("mg/dL", "g/L") is returned
// unchanged.
func (u Unit) Display() string {
	if s, ok := displayNames[u]; ok {
		return s
	}
	return string(u)
}

// Symbol returns the unit as people type it on a command line or in a
// file, for error messages that say what to write: the UCUM code, except
// the bracketed imperial codes [in_i], [ft_i] and [lb_av], which read "in",
// "ft" and "lb" (spelled in displayNames). Parse reads every symbol back.
func (u Unit) Symbol() string {
	switch u {
	case Inch, Foot, Pound:
		return u.Display()
	}
	return string(u)
}
