package assess

import (
	"fmt"
	"time"

	"renalwatch/ckd"
	"renalwatch/record"
	"renalwatch/units"
)

// alerts raises the kidney alerts. Thresholds and their sources:
//   - ckd-g4: eGFR < 30 (G4-G5), KDIGO 2012 rec 5.1.1 referral to
//     specialist kidney care (lupus.md §7.5); critical at G5 (< 15).
//   - kfre-5y-referral: 5-year risk > 5%, the upper end of KDIGO 2024
//     PP 2.2.1's 3-5%; kfre-2y-multidisciplinary: 2-year risk > 10% (PP
//     2.2.2); kfre-2y-krt-planning: 2-year risk > 40% (PP 2.2.3).
//   - rapid-progression: ckd.RapidProgression (KDIGO 2012 rec 2.1.3).
//   - egfr-drop: the latest eGFR more than 20% below the one before (KDIGO
//     2024 PP 2.1.3, via ckd.SignificantChange).
//   - nephrotic-proteinuria: UPCR >= 3 g/g or 24-h protein >= 3.5 g in the
//     last 12 months (lupus.md §2, nephrotic range as LN trials use it).
//   - hyperkalemia: potassium in the last 90 days at or above
//     Options.PotassiumHigh (critical at PotassiumCritical): local protocol.
//   - anemia: haemoglobin in the last 12 months below 13.0 g/dL (men) or
//     12.0 g/dL (women) over 15 years; children 11.5 (5-12 y), 12.0 (12-15 y)
//     (KDIGO 2012 Anemia in CKD rec 1.2.1).
//   - bp-above-target: systolic BP in the last 12 months >= 120 mmHg in an
//     adult (KDIGO 2021 BP guideline: SBP < 120 when tolerated).
//   - kidney-replacement: any dialysis or kidney transplant recorded.
func (k *kidney) alerts() {
	a, kd := k.a, &k.a.Kidney
	if e := kd.EGFR; e != nil && e.Value < 30 {
		sev, g := Warning, "G4"
		if e.Value < 15 {
			sev, g = Critical, "G5"
		}
		a.alert("ckd-g4", sev, fmt.Sprintf("eGFR %.0f mL/min/1.73 m2 on %s (%s): specialist kidney care", e.Value, e.Date.Format(time.DateOnly), g),
			"KDIGO 2012 CKD guideline rec 5.1.1 (refer at eGFR < 30)")
	}
	if r := kd.KFRE; r != nil {
		if r.Risk5y > 0.05 {
			a.alert("kfre-5y-referral", Warning, fmt.Sprintf("5-year kidney failure risk %.1f%% (KFRE): nephrology referral", 100*r.Risk5y),
				"KDIGO 2024 practice point 2.2.1 (5-year risk 3-5%; RenalWatch alerts above 5%)")
		}
		if r.Risk2y > 0.10 {
			a.alert("kfre-2y-multidisciplinary", Warning, fmt.Sprintf("2-year kidney failure risk %.1f%% (KFRE): multidisciplinary care", 100*r.Risk2y),
				"KDIGO 2024 practice point 2.2.2 (2-year risk > 10%)")
		}
		if r.Risk2y > 0.40 {
			a.alert("kfre-2y-krt-planning", Critical, fmt.Sprintf("2-year kidney failure risk %.1f%% (KFRE): prepare for kidney replacement therapy", 100*r.Risk2y),
				"KDIGO 2024 practice point 2.2.3 (2-year risk > 40%)")
		}
	}
	if s := kd.Slope; s != nil && ckd.RapidProgression(ckd.Slope{PerYear: s.PerYear, CI95: s.CI95, Points: s.Points}) {
		a.alert("rapid-progression", Warning, fmt.Sprintf("eGFR falling %.1f mL/min/1.73 m2 per year (%d values)", -s.PerYear, s.Points),
			"KDIGO 2012 CKD guideline rec 2.1.3 (sustained decline > 5 mL/min/1.73 m2 per year)")
	}
	if n := len(kd.Series); n >= 2 {
		prev, last := kd.Series[n-2], kd.Series[n-1]
		if last.Value < prev.Value && ckd.SignificantChange(prev.Value, last.Value) {
			a.alert("egfr-drop", Warning, fmt.Sprintf("eGFR %.0f on %s, %.0f%% below %.0f on %s", last.Value, last.Date.Format(time.DateOnly),
				100*(prev.Value-last.Value)/prev.Value, prev.Value, prev.Date.Format(time.DateOnly)),
				"KDIGO 2024 practice point 2.1.3 (a change of more than 20% exceeds expected variability)")
		}
	}
	if o, ok := within(k.tl, units.PCR, k.asOf, year); ok && o.Value.Value >= 3000 {
		a.alert("nephrotic-proteinuria", Warning, fmt.Sprintf("UPCR %.2f g/g on %s: nephrotic range", o.Value.Value/1000, o.Time.Format(time.DateOnly)),
			"docs/lupus.md §2 (nephrotic range UPCR >= 3 g/g, as LN trials define it)")
	} else if o, ok := within(k.tl, units.UrineProtein24h, k.asOf, year); ok && o.Value.Value >= 3.5 {
		a.alert("nephrotic-proteinuria", Warning, fmt.Sprintf("24-hour urine protein %.2f g on %s: nephrotic range", o.Value.Value, o.Time.Format(time.DateOnly)),
			"docs/lupus.md §2 (nephrotic range >= 3.5 g/24 h)")
	}
	if o, ok := within(k.tl, units.Potassium, k.asOf, 90*ckd.Day); ok && o.Value.Value >= k.opt.PotassiumHigh {
		sev := Warning
		if o.Value.Value >= k.opt.PotassiumCritical {
			sev = Critical
		}
		a.alert("hyperkalemia", sev, fmt.Sprintf("potassium %.1f mmol/L on %s", o.Value.Value, o.Time.Format(time.DateOnly)),
			fmt.Sprintf("local protocol: %.1f mmol/L warning, %.1f critical (docs/lupus.md §7.8; no single KDIGO cut-off)", k.opt.PotassiumHigh, k.opt.PotassiumCritical))
	}
	k.anemia()
	if age := a.Patient.Age; age != nil && *age >= 18 {
		if o, ok := within(k.tl, units.SystolicBP, k.asOf, year); ok && o.Value.Value >= 120 {
			a.alert("bp-above-target", Info, fmt.Sprintf("systolic BP %.0f mmHg on %s; target below 120 when tolerated (standardised office BP)", o.Value.Value, o.Time.Format(time.DateOnly)),
				"KDIGO 2021 blood pressure in CKD guideline (SBP < 120 mmHg)")
		}
	}
	k.replacement()
}

// anemiaThreshold returns the KDIGO 2012 haemoglobin threshold (g/dL) for a
// sex and age, and false where none applies (sex unknown; under 5 years is
// left out: its 11.0 threshold holds from 0.5 years and ages are whole here).
func anemiaThreshold(sex record.Sex, age int) (float64, bool) {
	switch {
	case age < 5:
		return 0, false
	case age < 12:
		return 11.5, true
	case age < 15:
		return 12.0, true
	case sex == record.Male:
		return 13.0, true
	case sex == record.Female:
		return 12.0, true
	}
	return 0, false
}

func (k *kidney) anemia() {
	age := k.a.Patient.Age
	if age == nil {
		return
	}
	lim, ok := anemiaThreshold(k.tl.Patient.Sex, *age)
	if !ok {
		return
	}
	if o, ok := within(k.tl, units.Hemoglobin, k.asOf, year); ok && o.Value.Value < lim {
		k.a.alert("anemia", Info, fmt.Sprintf("haemoglobin %.1f g/dL on %s, below %.1f", o.Value.Value, o.Time.Format(time.DateOnly), lim),
			"KDIGO 2012 Anemia in CKD guideline rec 1.2.1 (in SLE, consider haemolysis before calling it CKD anaemia)")
	}
}

func (k *kidney) replacement() {
	var (
		sessions      int
		first, lastTx time.Time
	)
	for _, r := range k.tl.Replacements {
		switch {
		case r.Kind.IsDialysis():
			if sessions == 0 {
				first = r.Start
			}
			sessions++
		case r.Kind == record.KidneyTransplant:
			lastTx = r.Start
		}
	}
	if !lastTx.IsZero() {
		k.a.alert("kidney-replacement", Info, fmt.Sprintf("kidney transplant on %s", lastTx.Format(time.DateOnly)), "record: Procedure (SNOMED CT 70536003)")
	}
	if sessions > 0 {
		k.a.alert("kidney-replacement", Info, fmt.Sprintf("dialysis recorded since %s (sessions: %d)", first.Format(time.DateOnly), sessions), "record: dialysis procedures")
	}
}
