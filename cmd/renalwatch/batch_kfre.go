package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"renalwatch/egfr"
	"renalwatch/kfre"
	"renalwatch/units"
)

const kfreBatchHelp = `  renalwatch kfre --in table.csv --out risks.csv [--region other]

  $ cat table.csv
  id,age,sex,egfr,acr_mg_g
  p1,72,female,28,800
  $ renalwatch kfre --in table.csv
  id,age,sex,egfr,acr_mg_g,kfre_variables,kfre_region,kfre_risk_2y,kfre_risk_5y,warnings,error
  p1,72,female,28,800,4,north-america,0.09997874424449879,0.2802605464095681,,

Input columns (names in any case and order; suffix = unit of every cell):
  age          years, a plain number; required
  sex          female or male; required
  egfr         mL/min/1.73m2, a plain number (also egfr_ml_min_1_73m2, or the
               one egfr_EQUATION_ml_min_1_73m2 column that "egfr --in" writes)
  acr          acr_mg_g, acr_mg_mmol, acr_g_g; required
  calcium      calcium_mg_dl, calcium_mmol_l, calcium_meq_l    (8-variable)
  phosphate    phosphate_mg_dl, phosphate_mmol_l               (8-variable)
  bicarbonate  bicarbonate_mmol_l, bicarbonate_meq_l           (8-variable)
  albumin      albumin_g_dl, albumin_g_l                       (8-variable)
  diabetes, hypertension  true/false                           (6-variable)
Each row selects its model as the single calculator does: all four labs give
the 8-variable model, diabetes and hypertension the 6-variable one, neither
the 4-variable one. Risks are probabilities from 0 to 1, unrounded.`

// kfreBatch implements "renalwatch kfre --in TABLE".
func kfreBatch(ctx context.Context, fs *flag.FlagSet, b *batchFlags, region string, stdout, stderr io.Writer) error {
	if err := b.check(fs, "region"); err != nil {
		return err
	}
	r, err := kfre.ParseRegion(region)
	if err != nil {
		return badInputf("kfre: --region %q is not accepted; want north-america or other", region)
	}
	setup := func(h tableHeader) (*batchCalc, error) { return newKFREBatch(h, r) }
	return runBatch(ctx, "kfre", b, setup, stdout, stderr)
}

// egfrBases are the column names that give an eGFR: egfr itself and the
// columns "egfr --in" writes, so that tables can be chained.
func egfrBases() []string {
	bases := []string{"egfr"}
	for _, e := range egfr.Equations() {
		if e.Unit == units.MLPerMinBSA {
			bases = append(bases, "egfr_"+strings.ReplaceAll(e.Name, "-", "_"))
		}
	}
	return bases
}

type kfreTable struct {
	age, sex, egfr, acr, calcium, phosphate, bicarbonate, albumin, diabetes, hypertension tableColumn
	region                                                                                kfre.Region
}

func newKFREBatch(h tableHeader, r kfre.Region) (*batchCalc, error) {
	t := &kfreTable{region: r}
	var err error
	for _, c := range []struct {
		dst      *tableColumn
		a        units.Analyte
		bases    []string
		required bool
	}{
		{&t.age, 0, []string{"age", "age_years"}, true},
		{&t.sex, 0, []string{"sex"}, true},
		{&t.egfr, units.EGFR, egfrBases(), true},
		{&t.acr, units.ACR, []string{"acr"}, true},
		{&t.calcium, units.Calcium, []string{"calcium"}, false},
		{&t.phosphate, units.Phosphate, []string{"phosphate"}, false},
		{&t.bicarbonate, units.Bicarbonate, []string{"bicarbonate"}, false},
		{&t.albumin, units.Albumin, []string{"albumin"}, false},
		{&t.diabetes, 0, []string{"diabetes"}, false},
		{&t.hypertension, 0, []string{"hypertension"}, false},
	} {
		if *c.dst, err = findColumn(h, c.a, c.bases...); err != nil {
			return nil, badInputf("kfre: %w", err)
		}
		if c.required && !c.dst.present() {
			return nil, missingColumn("kfre", h.names, "every KFRE model needs", c.a, c.bases[0])
		}
	}
	return &batchCalc{cols: []string{"kfre_variables", "kfre_region", "kfre_risk_2y", "kfre_risk_5y", "warnings"}, row: t.row}, nil
}

func (t *kfreTable) row(dst []byte, f [][]byte) ([]byte, error) {
	in := kfre.Input{Region: t.region}
	var err error
	var ok bool
	if in.Age, ok, err = t.age.number(f[t.age.idx], "the age in years"); err != nil || !ok {
		return dst, orEmpty(err, t.age)
	}
	if in.Sex, err = t.sex.sex(f[t.sex.idx]); err != nil || in.Sex == egfr.SexNotGiven {
		return dst, orEmpty(err, t.sex)
	}
	var q units.Quantity
	if _, q, ok, err = t.egfr.quantity(f[t.egfr.idx]); err != nil || !ok {
		return dst, orEmpty(err, t.egfr)
	}
	in.EGFR = q.Value
	if in.ACR, _, ok, err = t.acr.quantity(f[t.acr.idx]); err != nil || !ok {
		return dst, orEmpty(err, t.acr)
	}
	for _, l := range []struct {
		c   *tableColumn
		dst *units.Quantity
	}{{&t.calcium, &in.Calcium}, {&t.phosphate, &in.Phosphate}, {&t.bicarbonate, &in.Bicarbonate}, {&t.albumin, &in.Albumin}} {
		if l.c.present() {
			if *l.dst, _, _, err = l.c.quantity(f[l.c.idx]); err != nil {
				return dst, err
			}
		}
	}
	for _, a := range []struct {
		c   *tableColumn
		dst *kfre.Answer
	}{{&t.diabetes, &in.Diabetes}, {&t.hypertension, &in.Hypertension}} {
		if a.c.present() {
			v, ok, err := a.c.boolean(f[a.c.idx])
			if err != nil {
				return dst, err
			}
			if ok {
				*a.dst = kfre.AnswerOf(v)
			}
		}
	}
	res, err := kfre.Predict(in)
	if err != nil {
		var ie *kfre.InputError
		var me *kfre.MissingError
		switch {
		case errors.As(err, &ie):
			return dst, fmt.Errorf("%s %s is not accepted; want %s", ie.Field, ie.Value, ie.Want)
		case errors.As(err, &me):
			return dst, fmt.Errorf("the %d-variable KFRE needs %s; empty or missing: %s", me.Variables, strings.Join(me.Needs, ", "), strings.Join(me.Missing, ", "))
		}
		return dst, err
	}
	dst = fmt.Appendf(dst, ",%d", res.Variables)
	dst = appendCell(dst, res.Region.String())
	dst = appendFloat(dst, res.Risk2y)
	dst = appendFloat(dst, res.Risk5y)
	return appendCell(dst, strings.Join(res.Warnings.Strings(), "; ")), nil
}

// orEmpty returns err, or an error saying that a required cell is empty.
func orEmpty(err error, c tableColumn) error {
	if err != nil {
		return err
	}
	return fmt.Errorf("%s: empty; it is required", c.header)
}
