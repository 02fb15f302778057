package lupus

import (
	"strings"

	"renalwatch/units"
)

// FlareRule names a renal flare definition (ambiguity A8: the definitions
// use different thresholds and are separate named rules).
type FlareRule string

// Renal flare rules (lupus.md §2.5).
const (
	KDIGO2012Flare FlareRule = "kdigo-2012" // KDIGO 2012 GN guideline Table 29: mild, moderate, severe
	MoroniFlare    FlareRule = "moroni"     // Moroni/Ponticelli: nephritic vs proteinuric
	EULAR2012Flare FlareRule = "eular-2012" // EULAR/ERA-EDTA 2012 (Bertsias): nephritic vs proteinuric
	AURORA2Flare   FlareRule = "aurora-2"   // AURORA 2 trial UPCR flare
)

// FlareRules lists the flare rules; the first is the default.
func FlareRules() []FlareRule {
	return []FlareRule{KDIGO2012Flare, MoroniFlare, EULAR2012Flare, AURORA2Flare}
}

// FlareInput is what a renal flare assessment reads. Quantities keep the unit
// the lab reported; a zero Quantity or a nil pointer is "not given".
type FlareInput struct {
	BaselineUPCR       units.Quantity // the last value before the flare (post-response for aurora-2)
	UPCR               units.Quantity
	BaselineCreatinine units.Quantity
	Creatinine         units.Quantity
	BaselineRBC        units.Quantity // urine red cells per high-power field
	RBC                units.Quantity
	Casts              *bool // red or white cell casts at this visit (a recurrence unless CastsCleared says otherwise)
	// CastsCleared, for kdigo-2012, says whether casts were recorded absent
	// after the prior response and before this visit: Table 29 counts the
	// *recurrence* of casts, so casts with no cast-free result since the
	// response are persisting activity, not a recurrence. nil: not known,
	// and Casts is taken as a recurrence (the flare calculator's --casts).
	CastsCleared *bool
	Sediment     string // "active", "inactive" or "" (not given)
	After        string // "complete", "partial" or "": the response the flare follows
}

// FlareResult is a renal flare assessment under one named rule. Severity is
// set by kdigo-2012 only, Type by the rules that distinguish nephritic from
// proteinuric flares.
type FlareResult struct {
	Rule        string  `json:"rule"`
	RuleName    string  `json:"rule_name"`
	Source      string  `json:"source"`
	Flare       bool    `json:"flare"`
	Provisional bool    `json:"provisional"`
	Severity    *string `json:"severity"`
	Type        *string `json:"type"`
	// SeverityAtLeast is true when Severity is only a minimum: a criterion
	// not assessed (or a gap in the source's wording) could make it higher.
	SeverityAtLeast bool `json:"severity_at_least"`
	// Verdict states the result in words, as firmly as the inputs allow
	// ("no flare on the criteria assessed (provisional)", "at least moderate
	// flare (provisional)").
	Verdict string `json:"verdict"`
	// CouldChange lists what could change the flare, its type or its
	// severity: criteria not assessed, or a gap in the source's wording.
	// Non-empty makes the result provisional.
	CouldChange []string          `json:"could_change"`
	Criteria    []CriterionResult `json:"criteria"`
	Warnings    []string          `json:"warnings"`
}

func flareNames() []string {
	var out []string
	for _, f := range FlareRules() {
		out = append(out, string(f))
	}
	return out
}

// flareUses returns the optional inputs rule uses, besides the UPCRs every
// rule uses: "creatinine", "rbc", "casts", "sediment", "after".
func flareUses(rule FlareRule) map[string]bool {
	u := flareInputsOf(rule)
	if u == (flareInputs{}) {
		return nil
	}
	m := map[string]bool{}
	for _, x := range []struct {
		name string
		used bool
	}{{"creatinine", u.creatinine}, {"rbc", u.rbc}, {"casts", u.casts}, {"sediment", u.sediment}, {"after", u.after}} {
		if x.used {
			m[x.name] = true
		}
	}
	return m
}

// flareInputs says which optional inputs a rule uses (flareUses).
type flareInputs struct{ creatinine, rbc, casts, sediment, after bool }

// flareInputsOf is flareUses as flags, read at every visit judged (a
// map built per call cost more than the rule).
func flareInputsOf(rule FlareRule) flareInputs {
	switch rule {
	case KDIGO2012Flare:
		return flareInputs{creatinine: true, rbc: true, casts: true}
	case MoroniFlare:
		return flareInputs{creatinine: true, sediment: true}
	case EULAR2012Flare:
		return flareInputs{creatinine: true, sediment: true, after: true}
	}
	return flareInputs{}
}

// Flare assesses a renal flare under rule. Inputs the rule needs and were
// not given are InputErrors (ErrMissing); inputs the rule cannot use are
// InputErrors (ErrNotUsed), so a user never believes a value was considered
// when it was not. Criteria that one measurement cannot show (reproducible,
// adjudicated, acanthocytes) are listed as not assessed and make a flare
// provisional. So does any criterion not assessed that could change the
// result — give a flare where none was found, change its type, or raise its
// severity —, listed in CouldChange; the Verdict then says "no flare on the
// criteria assessed" or "at least <severity>" (SeverityAtLeast).
//
// Sources:
//
//   - kdigo-2012: KDIGO 2012 GN guideline Table 29 (adapted from Rovin &
//     Stillman 2011), confirmed word for word with the search tool on
//     PMC4089588 (table tbl29). Mild: glomerular haematuria from < 5 to > 15
//     RBC/hpf with ≥ 2 acanthocytes/hpf, and/or recurrence of ≥ 1 RBC or WBC
//     cast. Moderate: creatinine rise 0.20–1.0 mg/dL [17.7–88.4 µmol/L] if
//     baseline < 2.0 mg/dL [177 µmol/L], 0.40–1.5 mg/dL [35.4–132.6 µmol/L]
//     if ≥ 2.0; and/or UPCR from < 500 mg/g [50 mg/mmol] to ≥ 1000 [100], from
//     500–1000 [50–100] to ≥ 2000 [200], from > 1000 [100] ≥ 2-fold, each with
//     UPCR < 5000 mg/g [500 mg/mmol]. Severe: creatinine rise > 1.0 (> 1.5)
//     mg/dL, and/or "an absolute increase of uPCR > 5000 mg/g [> 500
//     mg/mmol]" (wording re-read on PMC4089588 tbl29 for issue 3): the
//     increase itself (current − baseline) must exceed 5000, so a falling or
//     unchanged UPCR is never a flare. A rise that ends at ≥ 5000 by no more
//     than 5000 is in no band of the table (moderate caps the UPCR at < 5000);
//     RenalWatch reports it as at least moderate when it meets the moderate
//     rise, otherwise no flare, provisional either way, and warns that read
//     as a rise *to* > 5000 it would be severe. The baseline is banded in its
//     own unit against the table's number for that unit, the current value
//     compared in its own unit; the fold change and the increase use the
//     baseline converted exactly to the current value's unit.
//   - moroni: Moroni/Ponticelli definitions as tabulated in Lupus Sci Med
//     2022;9:e000721 Table 1 (confirmed with the search tool, PMC9386217):
//     nephritic = creatinine ≥ 30% above the last value with nephritic
//     sediment; proteinuric = proteinuria up ≥ 2 g/24 h if previously < 3.5,
//     or doubled if ≥ 3.5, without creatinine change. UPCR in g/g stands in
//     for g/24 h.
//   - eular-2012: Bertsias, Ann Rheum Dis 2012;71:1771 as given in lupus.md
//     §2.5 [M] — NOT confirmed word for word with the search tool (the
//     recommendation text was not readable); encoded as documented:
//     proteinuric = reproducible doubling of UPCR to > 500–1000 mg/g after a
//     complete response or > 1000–2000 mg/g after a partial one; nephritic =
//     reproducible ≥ 30% creatinine rise (or ≥ 10% GFR fall) with active
//     sediment. RenalWatch applies the lower end of each range (a flare is
//     flagged for review rather than missed) and warns inside the range. The
//     levels are given in mg/g only: a mg/mmol UPCR is converted exactly
//     (1 mg/mmol = 8.84 mg/g) with a warning, never compared on a ×100
//     pairing the source does not print.
//   - aurora-2: AURORA 2 (Lupus Sci Med 11 Suppl 2 A85, lupus.md §2.5 [V]):
//     after an adequate response, UPCR to > 1 mg/mg from a post-response
//     value < 0.2, or to > 2 mg/mg from 0.2–1.0; adjudicated.
func Flare(rule FlareRule, in FlareInput) (FlareResult, error) {
	return flare(rule, in, false)
}

// FlareBrief is Flare's decision alone: the same Flare, Severity, Type,
// SeverityAtLeast, Provisional, RuleName and Source, and the same errors, by
// the same rule code with the same inputs, for a caller that judges many
// visits and writes out few of them (assess: most rises are not reported,
// having no prior response). For the kdigo-2012 rule the criteria keep
// their names and met values without details, and the warnings, the texts
// of CouldChange (not their number) and the verdict are left out; the
// other rules give Flare's full result. TestFlareBriefMatches checks it
// against Flare over a grid of inputs.
func FlareBrief(rule FlareRule, in FlareInput) (FlareResult, error) {
	return flare(rule, in, true)
}

// flare is Flare; brief is FlareBrief.
func flare(rule FlareRule, in FlareInput, brief bool) (FlareResult, error) {
	r := FlareResult{Rule: string(rule), Criteria: []CriterionResult{}, Warnings: []string{}, CouldChange: []string{}}
	ruleS := string(rule)
	switch rule {
	case KDIGO2012Flare:
		r.RuleName, r.Source = "KDIGO 2012 lupus nephritis relapse (Table 29)", "KDIGO Clinical Practice Guideline for Glomerulonephritis, Kidney Int Suppl 2012;2:139-274, Table 29"
	case MoroniFlare:
		r.RuleName, r.Source = "Moroni nephritic/proteinuric flare", "Moroni/Ponticelli definitions as in Lupus Sci Med 2022;9:e000721 Table 1"
	case EULAR2012Flare:
		r.RuleName, r.Source = "EULAR/ERA-EDTA 2012 renal flare", "Bertsias et al. Ann Rheum Dis 2012;71:1771-82 (not confirmed word for word; see docs/caveats.md)"
	case AURORA2Flare:
		r.RuleName, r.Source = "AURORA 2 renal flare", "AURORA 2 continuation study, Lupus Sci Med 2024;11(Suppl 2):A85"
	default:
		return FlareResult{}, &InputError{Field: "rule", Value: ruleS, Err: ErrUnknownItem, Reason: "is not a known flare rule",
			Suggestion: nearest(ruleS, flareNames()), Accepted: strings.Join(flareNames(), ", ")}
	}
	u := flareInputsOf(rule)
	usesCreat, usesRBC, usesCasts, usesSediment, usesAfter := u.creatinine, u.rbc, u.casts, u.sediment, u.after
	notUsed := func(field string) error {
		// Only the rules that use the field (trial-cli #14: the list was
		// every rule, the one refusing it included).
		var by []string
		for _, f := range FlareRules() {
			if flareUses(f)[field] {
				by = append(by, string(f))
			}
		}
		return &InputError{Field: field, Err: ErrNotUsed, Reason: "was given, but rule " + ruleS + " cannot use it; leave it out or choose a rule that uses it (" + strings.Join(by, ", ") + ")"}
	}
	switch {
	case !usesCreat && (!in.BaselineCreatinine.IsZero() || !in.Creatinine.IsZero()):
		return FlareResult{}, notUsed("creatinine")
	case !usesRBC && (!in.BaselineRBC.IsZero() || !in.RBC.IsZero()):
		return FlareResult{}, notUsed("rbc")
	case !usesCasts && (in.Casts != nil || in.CastsCleared != nil):
		return FlareResult{}, notUsed("casts")
	case !usesSediment && in.Sediment != "":
		return FlareResult{}, notUsed("sediment")
	case !usesAfter && in.After != "":
		return FlareResult{}, notUsed("after")
	}
	if err := checkUPCR("baseline-upcr", in.BaselineUPCR, true, ruleS); err != nil {
		return FlareResult{}, err
	}
	if err := checkUPCR("upcr", in.UPCR, true, ruleS); err != nil {
		return FlareResult{}, err
	}
	if err := checkPair("baseline-creatinine", "creatinine", in.BaselineCreatinine, in.Creatinine, units.Creatinine); err != nil {
		return FlareResult{}, err
	}
	if err := checkPair("baseline-rbc", "rbc", in.BaselineRBC, in.RBC, units.UrineRBC); err != nil {
		return FlareResult{}, err
	}
	if in.Sediment != "" && in.Sediment != "active" && in.Sediment != "inactive" {
		return FlareResult{}, &InputError{Field: "sediment", Value: in.Sediment, Err: ErrUnknownItem, Reason: "is not a sediment state", Accepted: "active, inactive"}
	}
	if in.After != "" && in.After != "complete" && in.After != "partial" {
		return FlareResult{}, &InputError{Field: "after", Value: in.After, Err: ErrUnknownItem, Reason: "is not a response", Accepted: "complete, partial"}
	}
	if rule == EULAR2012Flare && in.After == "" {
		return FlareResult{}, &InputError{Field: "after", Err: ErrMissing, Reason: "is required by rule eular-2012, whose proteinuric threshold depends on the response the flare follows", Accepted: "complete, partial"}
	}
	r.Criteria = make([]CriterionResult, 0, 8) // room for every rule's criteria: no growing
	warn := func(w string) {
		if w != "" && !brief {
			r.Warnings = append(r.Warnings, w)
		}
	}
	switch rule {
	case KDIGO2012Flare:
		r.SeverityAtLeast = kdigoFlare(&r, in, warn, brief)
	case MoroniFlare, EULAR2012Flare:
		typedFlare(&r, rule, in, warn)
	case AURORA2Flare:
		if err := auroraFlare(&r, in, warn); err != nil {
			return FlareResult{}, err
		}
	}
	confirm := false
	if r.Flare {
		for _, c := range r.Criteria {
			if c.Met == nil && strings.HasPrefix(c.Name, "confirm") {
				confirm = true
			}
		}
	}
	if confirm && !brief {
		r.Warnings = append(r.Warnings, "the flare is provisional: the confirmations listed as not assessed must also hold")
	}
	if len(r.CouldChange) > 0 && !brief {
		r.Warnings = append(r.Warnings, "the result is provisional: "+strings.Join(r.CouldChange, "; "))
	}
	r.Provisional = confirm || len(r.CouldChange) > 0
	if !r.Flare {
		r.Severity, r.Type = nil, nil
	}
	if !brief {
		r.Verdict = flareVerdict(r)
	}
	return r, nil
}

// flareVerdict states the result in words, no more firmly than the inputs
// allow: "no flare on the criteria assessed" when a criterion not assessed
// could give a flare, "at least moderate" when one could raise the severity.
func flareVerdict(r FlareResult) string {
	if !r.Flare {
		if r.Provisional {
			return "no flare on the criteria assessed (provisional)"
		}
		return "no flare"
	}
	v := "flare"
	switch {
	case r.Type != nil:
		v = *r.Type + " flare"
	case r.Severity != nil && r.SeverityAtLeast:
		v = "at least " + *r.Severity + " flare"
	case r.Severity != nil:
		v = *r.Severity + " flare"
	}
	if r.Provisional {
		v += " (provisional)"
	}
	return v
}

func checkPair(baseField, field string, base, cur units.Quantity, a units.Analyte) error {
	if base.IsZero() != cur.IsZero() {
		missing := baseField
		if cur.IsZero() {
			missing = field
		}
		return &InputError{Field: missing, Err: ErrMissing, Reason: "is required with " + map[string]string{baseField: field, field: baseField}[missing] + ": a change needs both values"}
	}
	if base.IsZero() {
		return nil
	}
	if _, err := a.Normalize(baseField, base); err != nil {
		return err
	}
	_, err := a.Normalize(field, cur)
	return err
}

func str(s string) *string { return &s }

// signed formats a change with its sign: "+900", "-100", "0".
func signed(v float64) string {
	if v > 0 {
		return "+" + num(v)
	}
	return num(v)
}

// creatinineRise returns the rise in the current value's unit (µmol/L for
// mmol/L input), the baseline in that unit, and whether that unit is µmol/L.
func creatinineRise(base, cur units.Quantity) (rise, b float64, umol bool) {
	if cur.Unit == units.MmolPerL {
		cur, _ = units.Creatinine.Convert(cur, units.UmolPerL)
	}
	bq, _ := units.Creatinine.Convert(base, cur.Unit)
	return cur.Value - bq.Value, bq.Value, cur.Unit == units.UmolPerL
}

// upcrScale returns the factor that turns Table 29's mg/g numbers into the
// table's own number for unit u: g/g divides by 1000, and mg/mmol uses the
// table's bracketed pairing 500 mg/g [50 mg/mmol], 1000 [100], 2000 [200],
// 5000 [500].
func upcrScale(u units.Unit) float64 {
	switch u {
	case units.GPerG:
		return 1e-3
	case units.MgPerMmol:
		return 0.1
	}
	return 1
}

// kdigoFlare applies Table 29 (the kdigo-2012 rule) to in. With brief
// (FlareBrief) it leaves out the criteria's details and the texts of the
// warnings and of CouldChange; what it decides is the same.
func kdigoFlare(r *FlareResult, in FlareInput, warn func(string), brief bool) (atLeast bool) {
	// text returns the detail f writes, or "" when brief.
	text := func(f func() string) string {
		if brief {
			return ""
		}
		return f()
	}
	// severity is what the assessed criteria establish (1 mild, 2 moderate,
	// 3 severe); possible is the highest severity the criteria not assessed
	// (or an ambiguity of the table) could still give.
	var severity, possible int
	hematuriaOnly := false
	// Mild: haematuria.
	if in.RBC.IsZero() {
		r.Criteria = append(r.Criteria, notAssessed("mild: glomerular haematuria from < 5 to > 15 RBC/hpf", "no urine RBC at both visits"))
		possible = max(possible, 1)
	} else {
		met := in.BaselineRBC.Value < 5 && in.RBC.Value > 15
		r.Criteria = append(r.Criteria, criterion("mild: glomerular haematuria from < 5 to > 15 RBC/hpf", met,
			text(func() string { return "RBC " + numIn(in.BaselineRBC.Value) + " → " + numIn(in.RBC.Value) + "/hpf" })))
		if met {
			severity = 1
			hematuriaOnly = true
		}
	}
	const castsName = "mild: recurrence of ≥ 1 RBC or WBC cast (no infection)"
	switch {
	case in.Casts == nil:
		r.Criteria = append(r.Criteria, notAssessed(castsName, "no cast result at the flare visit"))
		possible = max(possible, 1)
	case !*in.Casts:
		r.Criteria = append(r.Criteria, criterion(castsName, false, "no casts at the flare visit"))
	case in.CastsCleared != nil && !*in.CastsCleared:
		r.Criteria = append(r.Criteria, criterion(castsName, false,
			"casts at the flare visit, but none recorded absent since the prior response: persisting activity, not a recurrence"))
	case in.CastsCleared != nil:
		r.Criteria = append(r.Criteria, criterion(castsName, true, "casts at the flare visit after a cast-free result since the prior response"))
		severity = max(severity, 1)
	default:
		r.Criteria = append(r.Criteria, criterion(castsName, true, "casts reported"))
		severity = max(severity, 1)
	}
	// Creatinine.
	if in.Creatinine.IsZero() {
		r.Criteria = append(r.Criteria, notAssessed("moderate/severe: creatinine rise", "no creatinine at both visits"))
		possible = 3
	} else {
		rise, b, umol := creatinineRise(in.BaselineCreatinine, in.Creatinine)
		// Table 29's own numbers in each unit (A3).
		hiBase, modLo, modHi, unit := 2.0, 0.20, 1.0, "mg/dL"
		if umol {
			hiBase, modLo, modHi, unit = 177, 17.7, 88.4, "umol/L"
		}
		if ge(b, hiBase) {
			modLo, modHi = 0.40, 1.5
			if umol {
				modLo, modHi = 35.4, 132.6
			}
		}
		sev := 0
		switch {
		case gt(rise, modHi):
			sev = 3
		case ge(rise, modLo):
			sev = 2
		}
		d := text(func() string {
			return "creatinine " + num(b) + " → " + num(b+rise) + " " + unit + " (rise " + num(rise) + "); baseline " +
				map[bool]string{true: "≥ ", false: "< "}[ge(b, hiBase)] + num(hiBase) + " " + unit + ": moderate " + num(modLo) + "–" + num(modHi) + ", severe > " + num(modHi)
		})
		r.Criteria = append(r.Criteria, criterion("moderate: creatinine rise", sev == 2, d), criterion("severe: creatinine rise", sev == 3, d))
		severity = max(severity, sev)
	}
	// UPCR. The baseline is banded in its own unit against the table's own
	// number for that unit, and the current value is compared in its own
	// unit (A3); the fold change and the increase compare like with like, so
	// they use the baseline converted exactly to the current value's unit.
	kB, kC := upcrScale(in.BaselineUPCR.Unit), upcrScale(in.UPCR.Unit)
	bu, cu := string(in.BaselineUPCR.Unit), string(in.UPCR.Unit)
	bv, cur := in.BaselineUPCR.Value, in.UPCR.Value
	bc, w := sameUnit(in.BaselineUPCR, in.UPCR, "baseline UPCR")
	warn(w)
	var need float64
	var band func() string // the baseline's band, for the detail
	switch {
	case lt(bv, 500*kB):
		need, band = 1000*kC, func() string { return "< " + num(500*kB) + " " + bu }
	case le(bv, 1000*kB):
		need, band = 2000*kC, func() string { return num(500*kB) + "–" + num(1000*kB) + " " + bu }
	default:
		need, band = 2*bc.Value, func() string { return "> " + num(1000*kB) + " " + bu + " (≥ 2-fold)" }
	}
	increase := cur - bc.Value
	rose := gt(cur, bc.Value)
	cap5000 := 5000 * kC
	severe := rose && gt(increase, cap5000)
	reachesNeed := rose && ge(cur, need)
	moderate := !severe && reachesNeed && lt(cur, cap5000)
	d := text(func() string {
		return "UPCR " + numIn(bv) + " " + bu + " → " + numIn(cur) + " " + cu + " (change " + signed(increase) + " " + cu + "); baseline " + band() +
			": moderate needs ≥ " + num(need) + " " + cu + " with UPCR < " + num(cap5000) + " " + cu + "; severe needs an increase > " + num(cap5000) + " " + cu
	})
	r.Criteria = append(r.Criteria, criterion("moderate: UPCR rise", moderate, d),
		criterion("severe: absolute increase of UPCR > 5000 mg/g (500 mg/mmol)", severe, d))
	switch {
	case severe:
		severity = 3
	case moderate:
		severity = max(severity, 2)
	}
	if rose && !severe && ge(cur, cap5000) {
		// Table 29 leaves this in no band: the moderate rows cap the UPCR
		// at < 5000 mg/g and the severe row needs an increase > 5000.
		// Read as a rise *to* > 5000 it would be severe.
		if reachesNeed {
			severity = max(severity, 2)
		}
		possible = 3
		r.CouldChange = append(r.CouldChange, text(func() string {
			return "Table 29 wording: a UPCR rise to ≥ " + num(cap5000) + " " + cu + " by no more than " + num(cap5000)
		}))
		warn(text(func() string {
			return "UPCR rose to " + num(cur) + " " + cu + " (≥ " + num(cap5000) + ") by " + num(increase) + " (not more than " + num(cap5000) + "): Table 29 puts this in neither the moderate band (UPCR < " + num(cap5000) + ") nor the severe band (absolute increase > " + num(cap5000) + "); read as a rise to > " + num(cap5000) + " it would be severe"
		}))
	}
	if hematuriaOnly {
		// The haematuria criterion needs acanthocytes too. When it is the only
		// criterion met, the flare rests on it: the acanthocytes are a
		// confirmation; otherwise they are only not assessed.
		name := "mild: with ≥ 2 acanthocytes/hpf"
		others := false
		for _, c := range r.Criteria {
			if c.Met != nil && *c.Met && !strings.Contains(c.Name, "haematuria") {
				others = true
			}
		}
		if !others {
			name = "confirm: haematuria with ≥ 2 acanthocytes/hpf"
		}
		r.Criteria = append(r.Criteria, notAssessed(name, "urine microscopy for acanthocytes not given to RenalWatch"))
	}
	r.Flare = severity > 0
	if severity > 0 {
		r.Severity = str([]string{"", "mild", "moderate", "severe"}[severity])
	}
	// A criterion not assessed decides the result when it could give a
	// flare where none was found (the mild ones), or a higher severity (the
	// creatinine rise, up to severe).
	for _, c := range r.Criteria {
		if c.Met != nil || strings.HasPrefix(c.Name, "confirm") {
			continue
		}
		switch {
		case strings.HasPrefix(c.Name, "mild: glomerular") || strings.HasPrefix(c.Name, "mild: recurrence"):
			if severity == 0 {
				r.CouldChange = append(r.CouldChange, c.Name+" (not assessed) could make it a mild flare")
			}
		case strings.HasPrefix(c.Name, "moderate/severe"):
			if severity < 3 {
				r.CouldChange = append(r.CouldChange, c.Name+" (not assessed) could make it "+map[bool]string{true: "a moderate or severe flare", false: "severe"}[severity < 2])
			}
		}
	}
	return severity > 0 && max(possible, severity) > severity
}

func typedFlare(r *FlareResult, rule FlareRule, in FlareInput, warn func(string)) {
	ruleS := string(rule)
	// Nephritic: creatinine ≥ 30% above the last value with active sediment.
	var creatRise30 *bool
	if !in.Creatinine.IsZero() {
		rise, b, _ := creatinineRise(in.BaselineCreatinine, in.Creatinine)
		v := ge(rise, 0.3*b)
		creatRise30 = &v
		change := "creatinine rise " + num(rise/b*100) + "%"
		if rise < 0 { // a fall, worded as one (trial 3 #6)
			change = "creatinine fall " + num(-rise/b*100) + "%"
		}
		r.Criteria = append(r.Criteria, criterion("nephritic: creatinine ≥ 30% above the last value", v, change))
	} else {
		r.Criteria = append(r.Criteria, notAssessed("nephritic: creatinine ≥ 30% above the last value", "no creatinine at both visits"))
	}
	if in.Sediment == "" {
		r.Criteria = append(r.Criteria, notAssessed("nephritic: active (nephritic) urinary sediment", "no urine sediment result at the flare visit"))
	} else {
		r.Criteria = append(r.Criteria, criterion("nephritic: active (nephritic) urinary sediment", in.Sediment == "active", "sediment "+in.Sediment))
	}
	nephritic := creatRise30 != nil && *creatRise30 && in.Sediment == "active"
	// Proteinuric.
	b, w := sameUnit(in.BaselineUPCR, in.UPCR, "baseline UPCR")
	warn(w)
	var proteinuric bool
	if rule == MoroniFlare {
		bg, _ := units.PCR.Convert(b, units.GPerG)
		cg, _ := units.PCR.Convert(in.UPCR, units.GPerG)
		var d string
		if lt(bg.Value, 3.5) {
			proteinuric = ge(cg.Value-bg.Value, 2)
			d = "UPCR " + num(bg.Value) + " → " + num(cg.Value) + " g/g; previous < 3.5 needs a rise ≥ 2"
		} else {
			proteinuric = ge(cg.Value, 2*bg.Value)
			d = "UPCR " + num(bg.Value) + " → " + num(cg.Value) + " g/g; previous ≥ 3.5 needs doubling"
		}
		if proteinuric && creatRise30 != nil && *creatRise30 {
			proteinuric = false
			d += "; not proteinuric: creatinine rose ≥ 30% (the definition requires no creatinine change)"
		}
		r.Criteria = append(r.Criteria, criterion("proteinuric: proteinuria rise ≥ 2 g (previous < 3.5) or doubling (previous ≥ 3.5)", proteinuric, d))
		warn("moroni defines proteinuria in g/24 h; the UPCR in g/g stands in for it")
		if in.UPCR.Unit == units.MgPerMmol {
			warn("moroni states g/24 h only; the mg/mmol values were converted exactly (1 mg/mmol = 8.84 mg/g)")
		}
	} else {
		// The source gives these levels in mg/g only (no mg/mmol numbers):
		// a mg/mmol value is converted exactly and a warning says so. The
		// doubling compares like with like (baseline converted exactly).
		lo, hi := upcrCut{gPerG: 0.5}, upcrCut{gPerG: 1}
		if in.After == "partial" {
			lo, hi = upcrCut{gPerG: 1}, upcrCut{gPerG: 2}
		}
		v, loV, unit, w := lo.inUnit(in.UPCR, ruleS)
		warn(w)
		hiV := hi.cutFor(in.UPCR)
		if in.UPCR.Unit == units.MgPerMmol { // compared in g/g; shown in mg/g like the source
			v, loV, hiV, unit = v*1000, loV*1000, hiV*1000, "mg/g"
		}
		doubled := ge(in.UPCR.Value, 2*b.Value)
		bs := num(b.Value) // converted to the current UPCR's unit: 4 digits
		if in.BaselineUPCR.Unit == in.UPCR.Unit {
			bs = numIn(b.Value) // as given (trial 3 #12)
		}
		proteinuric = doubled && gt(v, loV)
		r.Criteria = append(r.Criteria, criterion("proteinuric: UPCR doubled to > "+num(loV)+" "+unit+" after a "+in.After+" response", proteinuric,
			"UPCR "+bs+" → "+numIn(in.UPCR.Value)+" "+string(in.UPCR.Unit)+" ("+map[bool]string{true: "doubled", false: "not doubled"}[doubled]+"); level "+num(v)+" "+unit+"; the source's range is > "+num(loV)+"–"+num(hiV)+" "+unit+", RenalWatch applies the lower end"))
		if proteinuric && le(v, hiV) {
			warn("UPCR is inside EULAR 2012's range " + num(loV) + "–" + num(hiV) + " " + unit + ": a flare at the lower end, not at the upper end")
		}
	}
	if rule == EULAR2012Flare {
		r.Criteria = append(r.Criteria, notAssessed("nephritic (alternative): GFR fall ≥ 10% with active sediment", "no eGFR among the inputs of this rule"))
		if nephritic || proteinuric {
			r.Criteria = append(r.Criteria, notAssessed("confirm: the change is reproducible", "one pair of values given; "+ruleS+" requires a reproducible change"))
		}
	}
	if rule == MoroniFlare && proteinuric && !nephritic {
		if creatRise30 == nil {
			r.Criteria = append(r.Criteria, notAssessed("confirm: no creatinine change", "no creatinine at both visits"))
		}
	}
	r.Flare = nephritic || proteinuric
	switch {
	case nephritic:
		r.Type = str("nephritic")
	case proteinuric:
		r.Type = str("proteinuric")
	}
	// Nephritic is settled when it was found, or when an assessed input rules
	// it out: inactive sediment, or (moroni) a creatinine rise < 30%. Under
	// eular-2012 the "≥ 10% GFR fall" alternative is never assessed, so only
	// inactive sediment rules it out. Otherwise the criteria not assessed
	// could turn "no flare" into a nephritic flare, or a proteinuric flare
	// into a nephritic one (nephritic takes precedence).
	excluded := in.Sediment == "inactive" || (rule == MoroniFlare && creatRise30 != nil && !*creatRise30)
	if !nephritic && !excluded {
		var missing []string
		for _, c := range r.Criteria {
			if c.Met == nil && strings.HasPrefix(c.Name, "nephritic") {
				missing = append(missing, c.Name)
			}
		}
		what := "a nephritic flare"
		if proteinuric {
			what = "a nephritic rather than a proteinuric flare"
		}
		r.CouldChange = append(r.CouldChange, strings.Join(missing, "; ")+" (not assessed) could make it "+what)
	}
}

func auroraFlare(r *FlareResult, in FlareInput, warn func(string)) error {
	b, _ := units.PCR.Convert(in.BaselineUPCR, units.GPerG)
	c, _ := units.PCR.Convert(in.UPCR, units.GPerG)
	if in.BaselineUPCR.Unit == units.MgPerMmol || in.UPCR.Unit == units.MgPerMmol {
		warn("aurora-2 states its UPCR cut-offs in mg/mg only; the mg/mmol values were converted exactly (1 mg/mmol = 8.84 mg/g)")
	}
	var need float64
	var band string
	switch {
	case lt(b.Value, 0.2):
		need, band = 1, "< 0.2"
	case le(b.Value, 1.0):
		need, band = 2, "0.2–1.0"
	default:
		return &InputError{Field: "baseline-upcr", Value: in.BaselineUPCR.Text(), Err: ErrOutOfRange,
			Reason: "is above 1.0 mg/mg; aurora-2 defines a flare only from a post-response UPCR of at most 1.0 mg/mg", Accepted: "a post-response UPCR ≤ 1.0 g/g (1000 mg/g)"}
	}
	met := gt(c.Value, need)
	r.Criteria = append(r.Criteria, criterion("UPCR > "+num(need)+" mg/mg from a post-response value "+band, met,
		"UPCR "+num(b.Value)+" → "+num(c.Value)+" mg/mg"))
	r.Flare = met
	if met {
		r.Type = str("proteinuric")
		r.Criteria = append(r.Criteria, notAssessed("confirm: adjudicated as a renal flare", "AURORA 2 flares were adjudicated"))
	}
	return nil
}
