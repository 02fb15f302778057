package main

import (
	"context"
	"fmt"
	"io"

	"renalwatch/ckd"
	"renalwatch/units"
)

const stageExample = `  renalwatch stage --egfr 22 --acr 35mg/mmol
      G4, A3 (35 mg/mmol >= 30 mg/mmol), KDIGO risk "very high"
  renalwatch stage --egfr 52 --pcr 0.6g/g --json
      {"g":"G3a","a":"A3","risk":"very high","a_source":"pcr",...}
  renalwatch stage --acr 3mg/mmol
      A2: the mg/mmol threshold is compared in mg/mmol (3 mg/mmol is A2)
  renalwatch stage --egfr 48 --acr 35mg/mmol --age 1.5
      no G category (KDIGO 2024: from 2 years of age), A3 with the caveat for under 2

eGFR is in mL/min/1.73m2, given as a plain number (42) or with its unit
(42mL/min/1.73m2): it is the one quantity whose unit may be left out,
because an eGFR has only one unit. ACR and PCR carry their unit (mg/g,
mg/mmol or g/g) and are compared with KDIGO's threshold in that unit. Lower
bounds are inclusive: eGFR 60 is G2, ACR 30 mg/g is A2, 300 mg/g is A3. The
risk needs both an eGFR and an ACR or PCR. --age is optional: KDIGO 2024
applies the G categories from 2 years of age, so under 2 there is no G
category and no risk ("g_not_applicable" says why, as in the report), and
an A category carries the report's caveat ("a_note"). Without --age the eGFR
is staged as of a person 2 years or older, and a note says so.`

// stageSource names the rules "renalwatch stage" applies.
const stageSource = "KDIGO 2024 CKD guideline (Kidney Int 2024;105(4S):S117-S314); categories and heat map as KDIGO 2012 Tables 5-7 and Figure 9"

// stageResult is the JSON of "renalwatch stage": {"g","a","risk"} as the
// design's contract fixes them, plus additive fields.
type stageResult struct {
	G       ckd.G           `json:"g,omitzero"`
	A       ckd.A           `json:"a,omitzero"`
	Risk    ckd.Risk        `json:"risk,omitzero"`
	ASource string          `json:"a_source,omitempty"` // "acr" or "pcr"
	EGFR    *float64        `json:"egfr,omitempty"`     // mL/min/1.73m2, as given
	ACR     *units.Quantity `json:"acr,omitempty"`      // as given
	PCR     *units.Quantity `json:"pcr,omitempty"`      // as given
	Age     *float64        `json:"age,omitempty"`      // years, as given
	// GNotApplicable and ANote are the report's fields of the same names
	// (docs/report.md): why an eGFR under 2 years has no G category, and
	// the caveat of an A category under 2 years.
	GNotApplicable string   `json:"g_not_applicable,omitempty"`
	ANote          string   `json:"a_note,omitempty"`
	Notes          []string `json:"notes"`
	Source         string   `json:"source"`
}

const (
	noteNoCKD   = "low risk with G1/G2 and A1 means no CKD unless another marker of kidney damage is present (haematuria, sediment, imaging, histology, transplant)"
	notePCR     = "A category from a PCR uses KDIGO's approximate equivalents (150/500 mg/g, 15/50 mg/mmol); an ACR is preferred"
	notePersist = "CKD needs the abnormality to persist for more than 3 months; one result stages, it does not diagnose"
	noteNoRisk  = "risk needs both an eGFR and an ACR or PCR"
	// noteNoRiskUnder2 is the risk's place under 2 years (trial 9 F-d: no
	// risk line and no reason): the heat map (KDIGO 2012 Figure 9, kept in
	// KDIGO 2024) crosses G with A, and there is no G category.
	noteNoRiskUnder2 = "risk needs a G category, and under 2 years there is none (KDIGO 2024 applies the G categories from 2 years of age)"
	noteOnlyG12      = "G1 and G2 alone are not CKD; albuminuria or another marker of kidney damage is needed"
	noteNoAge        = "no age given: the eGFR is staged as for a person aged 2 years or more, since KDIGO 2024 applies the G categories from 2 years of age; give the age for a child under 2"
)

// runStage implements "renalwatch stage [--egfr N] [--acr Q | --pcr Q] [--json]".
func runStage(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("stage", "stage [--egfr N] [--acr Q | --pcr Q] [--age YEARS] [--units conventional|si] [--json]\n       renalwatch stage --in TABLE [--out FILE]", stageExample, stderr)
	var egfr egfrFlag
	var acr, pcr quantityFlag
	fs.Var(&egfr, "egfr", "eGFR `N` in mL/min/1.73m2: a plain number (42) or with its unit (42mL/min/1.73m2)")
	fs.Var(acr.of(units.ACR), "acr", "urine albumin-to-creatinine ratio `Q` with its unit: mg/g, mg/mmol or g/g (e.g. 35mg/mmol)")
	fs.Var(pcr.of(units.PCR), "pcr", "urine protein-to-creatinine ratio `Q` with its unit: mg/g, mg/mmol or g/g (e.g. 0.6g/g)")
	var age numberFlag
	fs.Var(&age, "age", "age in `YEARS` (optional; above 0, at most 120): under 2 years there is no G category (KDIGO 2024)")
	asJSON := fs.Bool("json", false, "print JSON")
	var unitSys unitsFlag
	fs.Var(&unitSys, "units", unitsUsage)
	batch := addBatchFlags(fs, stageBatchHelp)
	pos, err := parseFlags(fs, args, stdout)
	if err != nil {
		return err
	}
	if batch.on() || batch.out != "-" {
		return stageBatch(ctx, fs, batch, stdout, stderr)
	}
	if len(pos) > 0 {
		return badInputf("stage takes no positional arguments, got %q (write --egfr N, --acr Q or --pcr Q)", pos[0])
	}
	if !egfr.set && !acr.set && !pcr.set {
		return badInputf("stage needs at least one of --egfr N, --acr Q, --pcr Q (for example: renalwatch stage --egfr 42 --acr 35mg/mmol)")
	}
	if acr.set && pcr.set {
		return badInputf("stage: --acr %s and --pcr %s were both given; give one of --acr Q or --pcr Q (ACR is preferred)", acr.q.Text(), pcr.q.Text())
	}

	res := stageResult{Notes: []string{}, Source: stageSource}
	if age.set {
		if err := stageAge(age.v); err != nil {
			return badInputf("stage: --age %w", err)
		}
		v := age.v
		res.Age = &v
	}
	if egfr.set {
		if _, err := units.EGFR.Normalize("--egfr", units.Quantity{Value: egfr.v, Unit: units.MLPerMinBSA}); err != nil {
			return badInputf("stage: %w", err)
		}
		g, err := ckd.GCategory(egfr.v)
		if err != nil {
			return badInputf("stage: --egfr: %w", err)
		}
		v := egfr.v
		res.G, res.EGFR = g, &v
		if age.set {
			if res.GNotApplicable = gNotApplicable(age.v); res.GNotApplicable != "" {
				res.G = 0
			}
		}
	}
	switch {
	case acr.set:
		if _, err := acr.normalized("acr", units.ACR); err != nil {
			return badInputf("stage: %w", err)
		}
		a, err := ckd.ACategory(acr.q)
		if err != nil {
			return badInputf("stage: --acr: %w", err)
		}
		q := acr.q
		res.A, res.ASource, res.ACR = a, "acr", &q
	case pcr.set:
		if _, err := pcr.normalized("pcr", units.PCR); err != nil {
			return badInputf("stage: %w", err)
		}
		a, err := ckd.ACategoryFromPCR(pcr.q)
		if err != nil {
			return badInputf("stage: --pcr: %w", err)
		}
		q := pcr.q
		res.A, res.ASource, res.PCR = a, "pcr", &q
		res.Notes = append(res.Notes, notePCR)
	}
	if res.A != 0 && age.set {
		res.ANote = aUnder2Note(age.v)
	}
	if res.G != 0 && res.A != 0 {
		r, err := ckd.HeatMapRisk(res.G, res.A)
		if err != nil {
			return err
		}
		res.Risk = r
		if r == ckd.RiskLow {
			res.Notes = append(res.Notes, noteNoCKD)
		}
	} else if res.GNotApplicable == "" {
		res.Notes = append(res.Notes, noteNoRisk)
		if res.G == ckd.G1 || res.G == ckd.G2 {
			res.Notes = append(res.Notes, noteOnlyG12)
		}
	} else {
		res.Notes = append(res.Notes, noteNoRiskUnder2)
	}
	if egfr.set && !age.set {
		res.Notes = append(res.Notes, noteNoAge)
	}
	res.Notes = append(res.Notes, notePersist)

	if *asJSON {
		return writeJSON(stdout, res)
	}
	return writeStageText(stdout, res, unitSys.system())
}

// stageRatio is a ratio as the stage line echoes it: "35 mg/mmol", or
// under --units conventional "309 mg/g; 35 mg/mmol as given".
func stageRatio(u unitSystem, an units.Analyte, q units.Quantity) string {
	shown, more := u.echoParts(an, q, units.Quantity{})
	if more != "" {
		shown += "; " + more
	}
	return shown
}

var gRanges = map[ckd.G]string{
	ckd.G1: ">= 90", ckd.G2: "60-89", ckd.G3a: "45-59", ckd.G3b: "30-44", ckd.G4: "15-29", ckd.G5: "< 15",
}

// writeStageText prints the categories, the risk and the notes, the ratio
// echoed in the unit given or in the unit system u (--units).
func writeStageText(w io.Writer, res stageResult, u unitSystem) error {
	var err error
	p := func(format string, args ...any) {
		if err == nil {
			_, err = fmt.Fprintf(w, format, args...)
		}
	}
	if res.G != 0 {
		p("GFR category:         %s (eGFR %s %s; %s is %s)\n", res.G, measured(*res.EGFR), units.MLPerMinBSA.Display(), res.G, gRanges[res.G])
	}
	if res.GNotApplicable != "" {
		p("GFR category:         none (eGFR %s %s), %s\n", measured(*res.EGFR), units.MLPerMinBSA.Display(), res.GNotApplicable)
	}
	if res.A != 0 {
		if res.ACR != nil {
			p("Albuminuria category: %s (ACR %s)\n", res.A, stageRatio(u, units.ACR, *res.ACR))
		} else {
			p("Albuminuria category: %s (from PCR %s)\n", res.A, stageRatio(u, units.PCR, *res.PCR))
		}
	}
	if res.ANote != "" {
		p("Albuminuria caveat:   %s\n", res.ANote)
	}
	if res.Risk != 0 {
		p("KDIGO risk:           %s (%s%s)\n", res.Risk, res.G, res.A)
	}
	p("Source: %s\n", stageSource)
	for _, n := range res.Notes {
		p("Note: %s\n", n)
	}
	return err
}

// stageAge checks an age in years given to stage: the range every eGFR
// equation accepts (egfr.Equation.Compute), above 0 and at most 120.
func stageAge(v float64) error {
	if v <= 0 || v > 120 {
		return fmt.Errorf("%s is out of range; accepted: above 0 and at most 120 years", measured(v))
	}
	return nil
}
