package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"renalwatch/ckd"
	"renalwatch/units"
)

const stageBatchHelp = `  renalwatch stage --in table.csv --out stages.csv
  renalwatch egfr --in labs.csv | renalwatch stage --in -

  $ cat table.csv
  id,egfr,acr_mg_mmol
  p1,22,35
  $ renalwatch stage --in table.csv
  id,egfr,acr_mg_mmol,g_category,a_category,a_source,kdigo_risk,notes,error
  p1,22,35,G4,A3,acr,very high,"CKD needs the abnormality to persist for more than 3 months; one result stages, it does not diagnose",

Input columns (names in any case and order; suffix = unit of every cell):
  egfr  mL/min/1.73m2, a plain number (also egfr_ml_min_1_73m2, or the one
        egfr_EQUATION_ml_min_1_73m2 column that "egfr --in" writes)
  acr   acr_mg_g, acr_mg_mmol, acr_g_g
  pcr   pcr_mg_g, pcr_mg_mmol, pcr_g_g (also upcr)
  age   age in years, a plain number (also age_years); optional: under 2
        years there is no G category and no risk (KDIGO 2024 applies the G
        categories from 2 years of age), the A category carries the
        report's caveat, and notes says both. Without an age column an eGFR
        is staged as of a person 2 years or older and notes says so
At least one of them is needed per row; a row with both an ACR and a PCR is
staged on the ACR (preferred by KDIGO) and says so in notes. Ratios are
compared with KDIGO's thresholds in the unit given.`

// stageBatch implements "renalwatch stage --in TABLE".
func stageBatch(ctx context.Context, fs *flag.FlagSet, b *batchFlags, stdout, stderr io.Writer) error {
	if err := b.check(fs); err != nil {
		return err
	}
	return runBatch(ctx, "stage", b, newStageBatch, stdout, stderr)
}

type stageTable struct{ egfr, acr, pcr, age tableColumn }

func newStageBatch(h tableHeader) (*batchCalc, error) {
	t := &stageTable{}
	var err error
	if t.egfr, err = findColumn(h, units.EGFR, egfrBases()...); err != nil {
		return nil, badInputf("stage: %w", err)
	}
	if t.acr, err = findColumn(h, units.ACR, "acr"); err != nil {
		return nil, badInputf("stage: %w", err)
	}
	if t.pcr, err = findColumn(h, units.PCR, "pcr", "upcr"); err != nil {
		return nil, badInputf("stage: %w", err)
	}
	if t.age, err = findColumn(h, 0, "age", "age_years"); err != nil {
		return nil, badInputf("stage: %w", err)
	}
	if !t.egfr.present() && !t.acr.present() && !t.pcr.present() {
		return nil, badInputf("stage: --in: no column gives egfr, acr or pcr; name columns such as egfr, acr_mg_g, acr_mg_mmol, pcr_mg_g (run 'renalwatch stage --help')")
	}
	return &batchCalc{cols: []string{"g_category", "a_category", "a_source", "kdigo_risk", "notes"}, row: t.row}, nil
}

func (t *stageTable) row(dst []byte, f [][]byte) ([]byte, error) {
	var g ckd.G
	var a ckd.A
	var src string
	var notes []string
	age, hasAge, gNA := 0.0, false, false
	if t.age.present() {
		var err error
		if age, hasAge, err = t.age.number(f[t.age.idx], "the age in years"); err != nil {
			return dst, err
		}
		if hasAge {
			if err := stageAge(age); err != nil {
				return dst, fmt.Errorf("%s: %w", t.age.header, err)
			}
		}
	}
	if t.egfr.present() {
		_, q, ok, err := t.egfr.quantity(f[t.egfr.idx])
		if err != nil {
			return dst, err
		}
		if ok {
			if g, err = ckd.GCategory(q.Value); err != nil {
				return dst, fmt.Errorf("%s: %w", t.egfr.header, err)
			}
			if why := gNotApplicable(age); hasAge && why != "" {
				g, gNA = 0, true
				notes = append(notes, "no KDIGO G category, "+why)
			} else if !hasAge {
				notes = append(notes, noteNoAge)
			}
		}
	}
	var acr, pcr units.Quantity
	var hasACR, hasPCR bool
	var err error
	if t.acr.present() {
		if acr, _, hasACR, err = t.acr.quantity(f[t.acr.idx]); err != nil {
			return dst, err
		}
	}
	if t.pcr.present() {
		if pcr, _, hasPCR, err = t.pcr.quantity(f[t.pcr.idx]); err != nil {
			return dst, err
		}
	}
	switch {
	case hasACR:
		if a, err = ckd.ACategory(acr); err != nil {
			return dst, fmt.Errorf("%s: %w", t.acr.header, err)
		}
		src = "acr"
		if hasPCR {
			notes = append(notes, "both an ACR and a PCR were given; the A category is from the ACR (preferred by KDIGO)")
		}
	case hasPCR:
		if a, err = ckd.ACategoryFromPCR(pcr); err != nil {
			return dst, fmt.Errorf("%s: %w", t.pcr.header, err)
		}
		src = "pcr"
		notes = append(notes, notePCR)
	}
	if a != 0 && hasAge {
		if n := aUnder2Note(age); n != "" {
			notes = append(notes, n)
		}
	}
	if g == 0 && a == 0 && len(notes) == 0 {
		return dst, fmt.Errorf("no eGFR, ACR or PCR in this row; at least one is needed")
	}
	var risk ckd.Risk
	if g != 0 && a != 0 {
		if risk, err = ckd.HeatMapRisk(g, a); err != nil {
			return dst, err
		}
		if risk == ckd.RiskLow {
			notes = append(notes, noteNoCKD)
		}
	} else if !gNA {
		notes = append(notes, noteNoRisk)
		if g == ckd.G1 || g == ckd.G2 {
			notes = append(notes, noteOnlyG12)
		}
	} else {
		notes = append(notes, noteNoRiskUnder2)
	}
	notes = append(notes, notePersist)
	for _, s := range []string{cat(g != 0, g.String()), cat(a != 0, a.String()), src, cat(risk != 0, risk.String())} {
		dst = appendCell(dst, s)
	}
	return appendCell(dst, strings.Join(notes, "; ")), nil
}

// cat returns s when ok, else the empty string.
func cat(ok bool, s string) string {
	if ok {
		return s
	}
	return ""
}
