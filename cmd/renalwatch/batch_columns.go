package main

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"renalwatch/csvio"
	"renalwatch/egfr"
	"renalwatch/units"
)

// tableColumn is one input a batch calculator reads from the table.
type tableColumn struct {
	idx     int    // -1 when the table has no such column
	header  string // as written in the table
	base    string // the input's name, such as "creatinine"
	analyte units.Analyte
	unit    units.Unit // from the name's suffix; "" when each cell carries its unit
	nums    *numCache  // one worker's remembered numbers; nil: none
	// semicolon: the table is semicolon-separated, and a decimal comma
	// is read (csvio.DecimalNumber, the import's rule).
	semicolon bool
}

func (c tableColumn) present() bool { return c.idx >= 0 }

// unitSuffix is the spelling of u in column names: "mg/dL" is "mg_dl",
// "mL/min/{1.73_m2}" is "ml_min_1_73m2".
func unitSuffix(u units.Unit) string {
	if u == units.MLPerMinBSA {
		return "ml_min_1_73m2"
	}
	return strings.NewReplacer("/", "_", "[", "", "]", "", "{", "", "}", "", "*", "", ".", "_").Replace(strings.ToLower(string(u)))
}

// columnNames lists the names that give an input: base alone (unit in each
// cell, or a plain number for inputs without a unit) and base_SUFFIX for each
// accepted unit.
func columnNames(base string, a units.Analyte) []string {
	names := []string{base}
	if a != 0 {
		for _, u := range a.Units() {
			names = append(names, base+"_"+unitSuffix(u))
		}
	}
	return names
}

// findColumn finds the column of an input in the header under its name or
// its aliases (bases[0] names it in messages). Two columns for one input are
// an error: the table would be ambiguous.
func findColumn(th tableHeader, a units.Analyte, bases ...string) (tableColumn, error) {
	c := tableColumn{idx: -1, base: bases[0], analyte: a, semicolon: th.semicolon}
	for i, h := range th.names {
		key := strings.ToLower(strings.TrimSpace(h))
		for _, base := range bases {
			for j, name := range columnNames(base, a) {
				if key != name {
					continue
				}
				if c.present() {
					return c, badInputf("--in: the columns %q and %q both give %s; keep one", c.header, h, bases[0])
				}
				c.idx, c.header = i, h
				if j > 0 {
					c.unit = a.Units()[j-1]
				}
			}
		}
	}
	return c, nil
}

// missingColumn is the error for a required input with no column; it lists
// the accepted names and any column that looks like a misspelt one.
func missingColumn(cmd string, header []string, why string, a units.Analyte, bases ...string) error {
	var near []string
	for _, h := range header {
		key := strings.ToLower(strings.TrimSpace(h))
		for _, b := range bases {
			if strings.HasPrefix(key, b+"_") {
				near = append(near, h)
			}
		}
	}
	msg := fmt.Sprintf("%s: --in: no column gives %s, which %s; name a column %s", cmd, bases[0], why, strings.Join(columnNames(bases[0], a), " or "))
	if a != 0 {
		msg += " (without a suffix, each cell carries its unit: " + exampleQuantity(a) + ")"
	}
	if len(near) > 0 {
		msg += fmt.Sprintf("; %s has a unit suffix that is not accepted for %s", strings.Join(near, ", "), bases[0])
	}
	return badInputf("%s", msg)
}

func exampleQuantity(a units.Analyte) string {
	lo, hi := a.Range()
	return strconv.FormatFloat(math.Round((lo.Value+hi.Value)/20*10)/10, 'g', -1, 64) + string(a.Canonical())
}

// quantity reads a quantity cell of column c, validated as c.analyte (unit
// accepted, value plausible). It returns the quantity as given, the same in
// the analyte's canonical unit, and false when the cell is empty.
func (c tableColumn) quantity(cell []byte) (given, canon units.Quantity, ok bool, err error) {
	cell = bytes.TrimSpace(cell)
	if len(cell) == 0 {
		return given, canon, false, nil
	}
	if cell, err = c.decimal(cell); err != nil {
		return given, canon, false, err
	}
	unit := c.unit
	if unit == "" && c.analyte == units.EGFR {
		unit = units.MLPerMinBSA // its only unit: a plain number is accepted, as by --egfr
	}
	if v, isNum := c.nums.parse(cell); isNum && unit != "" && v >= 0 {
		given = units.Quantity{Value: v, Unit: unit}
	} else {
		if isNum && unit != "" {
			return given, canon, false, fmt.Errorf("%s: %s is negative; amounts are zero or more", c.header, cell)
		}
		given, err = units.Parse(string(cell))
		switch {
		case errors.Is(err, units.ErrNoUnit) && c.unit == "":
			return given, canon, false, noUnitError(c, cell, v, isNum)
		case err != nil:
			return given, canon, false, fmt.Errorf("%s: %w", c.header, err)
		case unit != "" && given.Unit != unit:
			return given, canon, false, fmt.Errorf("%s: %s is in %s but the column name says %s; use one unit", c.header, cell, given.Unit, unit)
		}
	}
	canon, err = c.analyte.Normalize(c.header, given)
	return given, canon, err == nil, err
}

// decimal reads a number cell's decimal comma in a semicolon-separated
// table by the import's rule (csvio.DecimalNumber): "1,2" is 1.2, and a
// comma before three digits ("1,000") is refused as ambiguous. Only the
// leading number is rewritten, so "1,2mg/dL" is 1.2 mg/dL and "1,000mg/g"
// is refused as 1,000 is. In a comma-separated table (where a cell holds a
// comma only when quoted) the cell is left to the units parser, which
// refuses a comma as the command line does ("use a decimal point: 1.2mg/dL").
func (c tableColumn) decimal(cell []byte) ([]byte, error) {
	if !c.semicolon || bytes.IndexByte(cell, ',') < 0 {
		return cell, nil
	}
	n := 0
	for n < len(cell) && strings.IndexByte("0123456789+-.,", cell[n]) >= 0 {
		n++
	}
	num, err := csvio.DecimalNumber(c.header, string(cell[:n]), c.semicolon)
	if err != nil {
		return nil, err
	}
	return append([]byte(num), cell[n:]...), nil
}

// plainNumber parses a cell made only of a decimal number (no unit, no
// "NaN", "Inf" or hexadecimal), without allocating.
func plainNumber(cell []byte) (float64, bool) {
	if len(cell) == 0 || len(cell) > 32 {
		return 0, false
	}
	for _, b := range cell {
		if !('0' <= b && b <= '9' || b == '.' || b == 'e' || b == 'E' || b == '+' || b == '-') {
			return 0, false
		}
	}
	v, err := strconv.ParseFloat(string(cell), 64)
	if err != nil || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}

// number reads a plain-number cell (age in years, eGFR); false when empty.
func (c tableColumn) number(cell []byte, what string) (float64, bool, error) {
	cell = bytes.TrimSpace(cell)
	if len(cell) == 0 {
		return 0, false, nil
	}
	cell, err := c.decimal(cell)
	if err != nil {
		return 0, false, err
	}
	v, ok := c.nums.parse(cell)
	if !ok {
		return 0, false, fmt.Errorf("%s: %q is not a number; give %s", c.header, cell, what)
	}
	return v, true, nil
}

// sex reads a sex cell with the spellings every input takes (female, male,
// f, m in any letter case: parseSex, record.ParseSex); empty is not given.
// female and male are matched without allocating, the common case.
func (c tableColumn) sex(cell []byte) (egfr.Sex, error) {
	cell = bytes.TrimSpace(cell)
	switch {
	case len(cell) == 0:
		return egfr.SexNotGiven, nil
	case bytes.EqualFold(cell, []byte("female")):
		return egfr.Female, nil
	case bytes.EqualFold(cell, []byte("male")):
		return egfr.Male, nil
	}
	return parseSex(c.header, string(cell), "")
}

// boolean reads a yes/no cell: true, false, yes, no, 1 or 0; empty is not given.
func (c tableColumn) boolean(cell []byte) (v, ok bool, err error) {
	switch strings.ToLower(string(bytes.TrimSpace(cell))) {
	case "":
		return false, false, nil
	case "true", "yes", "1":
		return true, true, nil
	case "false", "no", "0":
		return false, true, nil
	}
	return false, false, fmt.Errorf("%s: %q is not accepted; give true or false (yes/no, 1/0)", c.header, cell)
}

// appendFloat appends a comma and v unrounded: the shortest decimal that
// reads back to the same float64.
func appendFloat(dst []byte, v float64) []byte {
	return strconv.AppendFloat(append(dst, ','), v, 'g', -1, 64)
}

// noUnitError explains a cell without a unit in a column whose name gives
// none. It suggests only the units in which the number is plausible (the
// rule of units.RangeError's suggestion): creatinine 106 is suggested as
// 106umol/L, never as 106mg/dL, which would itself be refused.
func noUnitError(c tableColumn, cell []byte, v float64, isNum bool) error {
	names := strings.Join(columnNames(c.base, c.analyte)[1:], " or ")
	var fits []units.Unit
	if isNum {
		fits = c.analyte.PlausibleUnits(v)
	}
	if isNum && len(fits) == 0 {
		lo, hi := c.analyte.Range()
		return fmt.Errorf("%s: %s has no unit and the column name gives none, and it is implausible in every accepted unit (%s; expected %s to %s in %s); check the value, then write it with its unit or name the column %s",
			c.header, cell, unitSymbols(c.analyte.Units()), numText(lo.Value), numText(hi.Value), lo.Unit.Symbol(), names)
	}
	if len(fits) == 0 {
		fits = []units.Unit{c.analyte.Canonical()}
	}
	ex := make([]string, len(fits))
	for i, u := range fits {
		ex[i] = string(cell) + string(u)
	}
	return fmt.Errorf("%s: %s has no unit and the column name gives none; write it with its unit (%s) or name the column %s",
		c.header, cell, strings.Join(ex, " or "), names)
}

func unitSymbols(us []units.Unit) string {
	s := make([]string, len(us))
	for i, u := range us {
		s[i] = u.Symbol()
	}
	return strings.Join(s, ", ")
}

func numText(v float64) string { return strconv.FormatFloat(v, 'g', 6, 64) }
