package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"renalwatch/ckd"
	"renalwatch/egfr"
	"renalwatch/units"
)

const egfrBatchHelp = `  renalwatch egfr --in table.csv --out results.csv
  renalwatch egfr --in table.csv --equation all        (every applicable equation)
  cat table.csv | renalwatch egfr --in - --equation ekfc > results.csv

  $ cat table.csv
  id,creatinine_umol_l,age,sex
  p1,106,54,female
  $ renalwatch egfr --in table.csv
  id,creatinine_umol_l,age,sex,egfr_ckd_epi_2021_ml_min_1_73m2,egfr_category,warnings,error
  p1,106,54,female,53.840337636539445,G3a,,

Input columns (names in any case and order; suffix = unit of every cell):
  creatinine  creatinine_mg_dl, creatinine_umol_l, creatinine_mmol_l
  cystatin_c  cystatin_c_mg_l, cystatin_c_nmol_l (also cystatin, cystatin_mg_l, ...)
  height      height_cm, height_m
  weight      weight_kg, weight_g
  age         age in years, a plain number (also age_years); required
  sex         female or male (administrative sex as recorded)
  black       true/false; read only by the legacy ckd-epi-2009, mdrd, mdrd-186
An equation reads only the columns it uses; the others are kept and ignored.
Output columns: egfr_EQUATION_ml_min_1_73m2 (crcl_cockcroft_gault_ml_min for
Cockcroft-Gault, which is creatinine clearance in mL/min), egfr_category (the
KDIGO G category of the unrounded value; one equation only; empty under 2
years, as in the report: KDIGO 2024 applies the categories from 2 years of
age, and warnings says so), warnings (the
single calculator's warnings, "; " between them) and error. Without
--equation the column is ckd-epi-2021's, validated from 18 years: a row
under 18 gets an error naming the paediatric equations instead of a value,
and a row's cystatin C is left out with a warning saying so (name
--equation ckd-epi-2021-cys to use both markers).
--equation all adds one column per equation whose input columns the table
has; a cell is empty when the row lacks an input that equation needs or the
age is outside its validated population, and warnings says which.`

// egfrBatch implements "renalwatch egfr --in TABLE".
func egfrBatch(ctx context.Context, fs *flag.FlagSet, b *batchFlags, name string, explicit bool, stdout, stderr io.Writer) error {
	if err := b.check(fs, "equation"); err != nil {
		return err
	}
	eqs := egfrEquations(name)
	if eqs == nil {
		return badInputf("egfr: --equation %q is not known; known equations: all, %s", name, strings.Join(egfr.Names(), ", "))
	}
	setup := func(h tableHeader) (*batchCalc, error) {
		return newEGFRBatchFor(h, eqs, name == "all", !explicit)
	}
	return runBatch(ctx, "egfr", b, setup, stdout, stderr)
}

// egfrEquations returns the equation named, or every equation for "all";
// nil when the name is not known.
func egfrEquations(name string) []egfr.Equation {
	if name == "all" {
		return egfr.Equations()
	}
	if eq, ok := egfr.Lookup(name); ok {
		return []egfr.Equation{eq}
	}
	return nil
}

// egfrTable holds the columns of an eGFR table.
type egfrTable struct {
	creat, cys, height, weight, age, sex, black tableColumn
	eqs                                         []egfr.Equation
	all                                         bool
	byDefault                                   bool // no --equation: rows under 18 are refused
}

// egfrColumn names the output column of an equation.
func egfrColumn(e egfr.Equation) string {
	n := strings.ReplaceAll(e.Name, "-", "_")
	if e.Unit == units.MLPerMin {
		return "crcl_" + n + "_ml_min"
	}
	return "egfr_" + n + "_ml_min_1_73m2"
}

func newEGFRBatch(header []string, eqs []egfr.Equation, all bool) (*batchCalc, error) {
	return newEGFRBatchFor(tableHeader{names: header}, eqs, all, false)
}

// newEGFRBatchFor is newEGFRBatch; byDefault says the equation is the
// default one (no --equation), whose rows under 18 years are refused.
func newEGFRBatchFor(h tableHeader, eqs []egfr.Equation, all, byDefault bool) (*batchCalc, error) {
	t := &egfrTable{all: all, byDefault: byDefault}
	var err error
	for _, c := range []struct {
		dst   *tableColumn
		a     units.Analyte
		bases []string
	}{
		{&t.creat, units.Creatinine, []string{"creatinine"}},
		{&t.cys, units.CystatinC, []string{"cystatin_c", "cystatin"}},
		{&t.height, units.Height, []string{"height"}},
		{&t.weight, units.Weight, []string{"weight"}},
		{&t.age, 0, []string{"age", "age_years"}},
		{&t.sex, 0, []string{"sex"}},
		{&t.black, 0, []string{"black"}},
	} {
		if *c.dst, err = findColumn(h, c.a, c.bases...); err != nil {
			return nil, badInputf("egfr: %w", err)
		}
	}
	if !t.age.present() {
		return nil, missingColumn("egfr", h.names, "every equation needs", 0, "age", "age_years")
	}
	has := map[egfr.Fields]tableColumn{egfr.FieldCreatinine: t.creat, egfr.FieldCystatinC: t.cys, egfr.FieldHeight: t.height, egfr.FieldWeight: t.weight, egfr.FieldSex: t.sex}
	analytes := map[egfr.Fields]units.Analyte{egfr.FieldCreatinine: units.Creatinine, egfr.FieldCystatinC: units.CystatinC, egfr.FieldHeight: units.Height, egfr.FieldWeight: units.Weight}
	for _, e := range eqs {
		var missing egfr.Fields
		for f, c := range has {
			if e.Needs.Has(f) && !c.present() {
				missing |= f
			}
		}
		if missing == 0 {
			t.eqs = append(t.eqs, e)
			continue
		}
		if !all {
			for f := egfr.FieldCreatinine; f <= egfr.FieldSex; f <<= 1 {
				if missing.Has(f) {
					base := strings.Split(missing.String(), ", ")[0]
					if f == egfr.FieldCystatinC {
						base = "cystatin_c"
					}
					return nil, missingColumn("egfr", h.names, e.Name+" needs", analytes[f], base)
				}
			}
		}
	}
	if len(t.eqs) == 0 {
		return nil, badInputf("egfr: --in: the table has no columns for any equation; give at least creatinine or cystatin_c, with age and sex (run 'renalwatch egfr --help')")
	}
	calc := &batchCalc{row: t.row}
	for _, e := range t.eqs {
		calc.cols = append(calc.cols, egfrColumn(e))
	}
	if !all {
		calc.cols = append(calc.cols, "egfr_category")
	}
	calc.cols = append(calc.cols, "warnings")
	calc.perWorker = func() *batchCalc {
		w := t.withNumbers(new(numCache))
		return &batchCalc{cols: calc.cols, row: w.row}
	}
	return calc, nil
}

// withNumbers returns a copy of t whose columns remember parsed numbers in
// nums (one worker's cache).
func (t *egfrTable) withNumbers(nums *numCache) *egfrTable {
	w := *t
	for _, c := range []*tableColumn{&w.creat, &w.cys, &w.height, &w.weight, &w.age, &w.sex, &w.black} {
		c.nums = nums
	}
	return &w
}

// row computes one row: the inputs are read and validated once, then each
// equation gets exactly the inputs it uses, through Equation.Compute, the
// single calculator's own validation and arithmetic.
func (t *egfrTable) row(dst []byte, f [][]byte) ([]byte, error) {
	var in egfr.Input
	var given egfr.Fields
	for _, q := range []struct {
		c   *tableColumn
		fld egfr.Fields
		dst *units.Quantity
	}{
		{&t.creat, egfr.FieldCreatinine, &in.Creatinine},
		{&t.cys, egfr.FieldCystatinC, &in.CystatinC},
		{&t.height, egfr.FieldHeight, &in.Height},
		{&t.weight, egfr.FieldWeight, &in.Weight},
	} {
		if !q.c.present() {
			continue
		}
		_, v, ok, err := q.c.quantity(f[q.c.idx])
		if err != nil {
			return dst, err
		}
		if ok {
			*q.dst = v
			given |= q.fld
		}
	}
	age, ok, err := t.age.number(f[t.age.idx], "the age in years")
	if err != nil {
		return dst, err
	}
	if !ok {
		return dst, fmt.Errorf("%s: empty; every equation needs the age in years", t.age.header)
	}
	in.Age = age
	if t.sex.present() {
		if in.Sex, err = t.sex.sex(f[t.sex.idx]); err != nil {
			return dst, err
		}
		if in.Sex != egfr.SexNotGiven {
			given |= egfr.FieldSex
		}
	}
	if t.black.present() {
		if in.Black, _, err = t.black.boolean(f[t.black.idx]); err != nil {
			return dst, err
		}
	}
	if t.byDefault {
		if err := childRow(t.age.header, in.Age, given); err != nil {
			return dst, err
		}
	}
	if !t.all {
		return t.one(dst, t.eqs[0], in, given)
	}
	return t.every(dst, in, given)
}

// cystatinUnusedWarning is a default table row's warning when its cystatin C
// is left out: KDIGO 2024 CKD guideline Recommendation 1.1.2.1 estimates the
// GFR from both markers where cystatin C is measured, as "renalwatch egfr"
// does for one value, but the table's one column is ckd-epi-2021's.
const cystatinUnusedWarning = "cystatin C not used: without --equation the table's column is ckd-epi-2021 (creatinine only); --equation ckd-epi-2021-cys uses both markers, as the single calculator and the report do (KDIGO 2024 Recommendation 1.1.2.1)"

// only returns in with just the inputs e uses.
func only(e egfr.Equation, in egfr.Input) egfr.Input {
	out := egfr.Input{Age: in.Age}
	if e.Needs.Has(egfr.FieldCreatinine) {
		out.Creatinine = in.Creatinine
	}
	if e.Needs.Has(egfr.FieldCystatinC) {
		out.CystatinC = in.CystatinC
	}
	if e.Needs.Has(egfr.FieldHeight) {
		out.Height = in.Height
	}
	if e.Needs.Has(egfr.FieldWeight) {
		out.Weight = in.Weight
	}
	if e.Needs.Has(egfr.FieldSex) {
		out.Sex = in.Sex
	}
	out.Black = e.Legacy && in.Black
	return out
}

func (t *egfrTable) one(dst []byte, e egfr.Equation, in egfr.Input, given egfr.Fields) ([]byte, error) {
	if miss := e.Needs &^ given; miss != 0 {
		return dst, t.emptyError(e, miss)
	}
	res, err := e.Compute(only(e, in))
	if err != nil {
		return dst, t.computeError(err)
	}
	if t.byDefault && given.Has(egfr.FieldCystatinC) && !e.Needs.Has(egfr.FieldCystatinC) {
		// The single calculator would use both markers here; a table's
		// one column is the default equation's, so say the cystatin C
		// was left out rather than leave it unused in silence.
		res.Warnings = append([]string{cystatinUnusedWarning}, res.Warnings...)
	}
	dst = appendFloat(dst, res.Value)
	if why := gNotApplicable(in.Age); res.Unit == units.MLPerMinBSA && why != "" {
		// No category under 2 years, as in the report; warnings says why.
		dst = append(dst, ',')
		res.Warnings = append([]string{"no KDIGO G category, " + why}, res.Warnings...)
	} else if res.Unit == units.MLPerMinBSA {
		g, err := ckd.GCategory(res.Value)
		if err != nil {
			return dst, err
		}
		dst = appendCell(dst, g.String())
	} else {
		dst = append(dst, ',')
	}
	if len(res.Warnings) == 0 {
		return append(dst, ','), nil
	}
	return appendCell(dst, strings.Join(res.Warnings, "; ")), nil
}

func (t *egfrTable) every(dst []byte, in egfr.Input, given egfr.Fields) ([]byte, error) {
	var warn []string
	var lacking, outside []string
	computed := 0
	for _, e := range t.eqs {
		if miss := e.Needs &^ given; miss != 0 {
			lacking = append(lacking, e.Name+" (no "+miss.String()+")")
			dst = append(dst, ',')
			continue
		}
		if in.Age < e.MinAge || (e.MaxAge > 0 && in.Age >= e.MaxAge) {
			outside = append(outside, e.Name)
			dst = append(dst, ',')
			continue
		}
		res, err := e.Compute(only(e, in))
		if err != nil {
			return dst, t.computeError(err)
		}
		dst = appendFloat(dst, res.Value)
		for _, w := range res.Warnings {
			if !strings.HasPrefix(w, e.Name+" ") {
				w = e.Name + ": " + w // say which equation it is about
			}
			warn = append(warn, w)
		}
		computed++
	}
	if len(outside) > 0 {
		warn = append(warn, fmt.Sprintf("not computed at age %s (outside the validated population): %s", strconv.FormatFloat(in.Age, 'g', -1, 64), strings.Join(outside, ", ")))
	}
	if len(lacking) > 0 {
		warn = append(warn, "not computed, an input is empty: "+strings.Join(lacking, ", "))
	}
	if computed == 0 {
		return dst, errors.New("no equation could be computed: " + strings.Join(warn, "; "))
	}
	return appendCell(dst, strings.Join(warn, "; ")), nil
}

// emptyError names the columns of the inputs e needs that are empty in a row.
func (t *egfrTable) emptyError(e egfr.Equation, miss egfr.Fields) error {
	var cols []string
	for f, c := range map[egfr.Fields]tableColumn{egfr.FieldCreatinine: t.creat, egfr.FieldCystatinC: t.cys, egfr.FieldHeight: t.height, egfr.FieldWeight: t.weight, egfr.FieldSex: t.sex} {
		if miss.Has(f) {
			cols = append(cols, c.header)
		}
	}
	slices.Sort(cols)
	return fmt.Errorf("%s: empty; %s needs it", strings.Join(cols, ", "), e.Name)
}

// computeError rewrites an equation's input error to name the column.
func (t *egfrTable) computeError(err error) error {
	var ie *egfr.InputError
	if errors.As(err, &ie) {
		col := ie.Field
		switch ie.Field {
		case "age":
			col = t.age.header
		case "sex":
			col = t.sex.header
		case "black":
			col = t.black.header
		}
		return fmt.Errorf("%s: %s", col, ie.Reason)
	}
	return err
}
