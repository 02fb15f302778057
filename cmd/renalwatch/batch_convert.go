package main

import (
	"context"
	"flag"
	"io"

	"renalwatch/units"
)

const convertBatchHelp = `  renalwatch convert --in table.csv --analyte creatinine --to umol/L

  $ cat table.csv
  id,creatinine_mg_dl
  p1,1.2
  $ renalwatch convert --in table.csv --analyte creatinine --to umol/L
  id,creatinine_mg_dl,creatinine_umol_l,error
  p1,1.2,106.08000000000001,

--analyte names the column to convert: ANALYTE (unit in each cell) or
ANALYTE_SUFFIX (creatinine_mg_dl, acr_mg_mmol, hemoglobin_g_dl, ...). The
result column is ANALYTE_SUFFIX of --to. Each value is checked as the single
command checks it (accepted unit, plausible range); an empty cell stays
empty.`

// convertBatch implements "renalwatch convert --in TABLE --analyte NAME --to UNIT".
func convertBatch(ctx context.Context, fs *flag.FlagSet, b *batchFlags, analyte, to string, stdout, stderr io.Writer) error {
	if err := b.check(fs, "analyte", "to"); err != nil {
		return err
	}
	a, ok := units.ParseAnalyte(analyte)
	if !ok {
		return badInputf("convert: --in needs --analyte NAME, the column to convert; known analytes: %s", analyteNames())
	}
	target, ok := units.LookupUnit(to)
	if !ok {
		return badInputf("convert: --to %q is not a known unit; known units: %s", to, joinUnits(units.KnownUnits()))
	}
	if _, err := a.Convert(units.Quantity{Unit: a.Canonical()}, target); err != nil {
		return badInputf("convert: --to %s: %w", to, err)
	}
	setup := func(h tableHeader) (*batchCalc, error) {
		c, err := findColumn(h, a, a.String())
		if err != nil {
			return nil, badInputf("convert: %w", err)
		}
		if !c.present() {
			return nil, missingColumn("convert", h.names, "--analyte names", a, a.String())
		}
		row := func(dst []byte, f [][]byte) ([]byte, error) {
			q, _, ok, err := c.quantity(f[c.idx])
			if err != nil || !ok {
				return append(dst, ','), err
			}
			out, err := a.Convert(q, target)
			if err != nil {
				return dst, err
			}
			return appendFloat(dst, out.Value), nil
		}
		return &batchCalc{cols: []string{a.String() + "_" + unitSuffix(target)}, row: row}, nil
	}
	return runBatch(ctx, "convert", b, setup, stdout, stderr)
}
