package cohort

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"renalwatch/internal/labtext"
	"renalwatch/internal/textfmt"
)

// Write prints the summary for people, with its as-of date. With minCell
// K > 0, every count below K, 0 included, is shown as "<K" and a rate
// whose count, complement or total is below K is withheld, so that the
// summary can be shared (small-cell suppression); a count that
// subtraction from shown counts would give back is withheld too
// (complementary suppression: suppress.go), and whether a category or row
// is printed does not tell 0 from 1 to K−1.
//
// Numbers follow the project's rounding policy (docs/report.md, "Numbers
// in human text"): a proportion as a percentage with one decimal and its
// Wilson interval at the same decimals (the row of a risk); a rate per
// 100 patient-years and its interval at one number of decimals, 4
// significant digits for the largest (labtext.SameDecimals, the row of a
// slope and its CI); patient-years whole.
func (s *Summary) Write(w io.Writer, minCell int64) error {
	cnt := func(n int64) string {
		if minCell > 0 && n < minCell { // 0 included (trial 13 F2)
			return fmt.Sprintf("<%d", minCell)
		}
		return fmt.Sprint(n)
	}
	ew := &errWriter{w: w}
	if s.Patients == 0 {
		// Not lines ending in a colon with nothing after them (trial 12
		// F14: every resource rejected, or of patients with no Patient).
		ew.printf("Cohort: 0 patients assessed: no summary.\n")
		return ew.err
	}
	// The as-of date: without it the shared text could not be told from
	// a run of another date (trial 13 F8).
	asOf := ""
	if s.AsOf != "" {
		asOf = ", as of " + s.AsOf
	}
	ew.printf("Cohort: %s%s\n", patients(cnt(s.Patients), s.Patients), asOf)
	stage, c1 := suppressLine(s.Stage, stageCategories, minCell)
	risk, c2 := suppressLine(s.Risk, riskCategories, minCell)
	ew.printf("%s\n", wrap("By KDIGO GFR category: "+joinCells(stage, "no current eGFR"), lineWidth))
	ew.printf("%s\n", wrap("By KDIGO risk: "+joinCells(risk, "not assessable (no current eGFR or ACR/UPCR)"), lineWidth))
	if minCell > 0 {
		note := fmt.Sprintf("Every category is listed; <%d includes 0.", minCell)
		if c1 || c2 {
			note += fmt.Sprintf(" Where the counts below %d on a line could be worked out from the line's total, the next-smallest count is withheld as well (\"withheld\", complementary suppression).", minCell)
		}
		ew.printf("%s\n", wrap(note, lineWidth))
	}
	if s.LupusPatients == 0 {
		// Trial-cli #20: not empty sections ending in a colon.
		ew.printf("No lupus patients: renal response, landmark and flares not computed.\n")
		return ew.err
	}
	ln := s.Flares.Patients
	lupus, lnShown := patients(cnt(s.LupusPatients), s.LupusPatients), cnt(ln)
	if s.lnWithheld(minCell) {
		// The lupus nephritis patients minus the "all" row's judged
		// ones are those not judged (trial 13 F3: 1207 − 1202 = 5 of
		// K = 10); when every lupus patient is judged, the lupus count
		// gives it back in turn.
		lnShown = "withheld"
		if s.LupusPatients == s.Response["all"].Judged {
			lupus = "withheld patients"
		}
	}
	ew.printf("%s\n", wrap(fmt.Sprintf("Lupus: %s with SLE or lupus nephritis, of whom %s with lupus nephritis as the assessment reads it "+
		"(a lupus nephritis diagnosis, a kidney biopsy with an ISN/RPS class, or a renal SLEDAI-2K descriptor present).", lupus, lnShown), lineWidth))
	if ln == 0 {
		ew.printf("No lupus nephritis patients: renal response, landmark and flares not computed.\n")
		return ew.err
	}
	s.writeResponse(ew, cnt, minCell)
	s.writeLandmark(ew, cnt, minCell)
	s.writeFlares(ew, cnt, minCell)
	if minCell > 0 {
		ew.printf("A count or rate shown as \"withheld\" could otherwise be recovered from the counts shown (a row's total, the other\n")
		ew.printf("rows of its table, any response = complete + partial): complementary suppression (docs/cohort.md).\n")
	}
	return ew.err
}

// writeResponse prints the response table.
func (s *Summary) writeResponse(ew *errWriter, cnt func(int64) string, minCell int64) {
	ew.printf("Best renal response of the lupus nephritis patients judged, by therapy class received (Wilson 95%% CI, Wilson 1927).\n")
	ew.printf("Observational, not a comparison of treatments: agents given to patients who did not respond (rescue,\n")
	ew.printf("add-on, investigational) look worse by design (confounding by indication), and \"any response\" is the\n")
	ew.printf("best response reached at any time up to as-of (also after 12 months), not a trial's fixed time point.\n")
	// Trial 13 F6: a best response on one noisy UPCR (seed 7: 73 of 540
	// true non-responders read as partial).
	ew.printf("A best response can rest on a single UPCR, not confirmed at a second visit, so in noisy data it tends to\n")
	ew.printf("overstate response.\n")
	all := s.Response["all"]
	if all == nil {
		ew.printf("  none judged (no lupus nephritis patient's renal response could be judged yet)\n")
		return
	}
	if all.KidneyFailure > 0 || minCell > 0 && all.KidneyFailure < minCell { // under --min-cell, shown or not must not tell 0
		ew.printf("%s\n", wrap(fmt.Sprintf("Judged includes %s on dialysis or with a kidney transplant at as-of after induction, whose response the report "+
			"does not judge: treatment failures, counted as no response (as BLISS-LN and AURORA 1 count treatment failures).", patients(cnt(all.KidneyFailure), all.KidneyFailure)), lineWidth))
	}
	shown := suppressResponse(s.Response, minCell)
	var asAll []string
	for _, k := range slices.Sorted(maps.Keys(s.Response)) {
		rc, sh := s.Response[k], shown[k]
		if k != "all" && minCell > 0 && rc.Judged < minCell {
			// A row is printed only for a class received by a judged
			// patient, so "judged <2" was 1 (trial 13 F1): under
			// --min-cell such rows are not printed, and a class not
			// listed may have 0 or fewer than K.
			continue
		}
		if k != "all" && rc.Judged == all.Judged {
			// Received by every patient judged: the same patients as the
			// "all" row, so the same counts (trial 13 F10d: three rows
			// repeated it). suppressResponse relates the two rows, so
			// they are withheld alike.
			asAll = append(asAll, textfmt.TherapyClass(k))
			continue
		}
		judged := cnt(rc.Judged)
		if !sh.judged && judged == fmt.Sprint(rc.Judged) {
			judged = "withheld"
		}
		ew.printf("  %-*s judged %s: complete %s, any response %s\n", classWidth, rowName(k), judged, rateIf(sh.complete, rc.Complete, rc.Judged), rateIf(sh.any, rc.Any, rc.Judged))
	}
	if len(asAll) > 0 {
		ew.printf("%s\n", wrap("  Received by every patient judged, so as the all row: "+strings.Join(asAll, ", ")+".", lineWidth))
	}
	if minCell > 0 {
		ew.printf("  A class received by fewer than %d patients judged (0 included) is not listed.\n", minCell)
	}
}

// classWidth is the width of the class column: the longest class name
// as the report writes it ("mesenchymal stem cell infusion").
const classWidth = 30

// rowName is a table row's class as the report and page name it
// (textfmt.TherapyClass), "all" as it is.
func rowName(k string) string {
	if k == "all" {
		return k
	}
	return textfmt.TherapyClass(k)
}

// lnWithheld reports whether the count of lupus nephritis patients is
// withheld: with the "all" row's judged count it gives the patients not
// judged, a count below minCell (0 included).
func (s *Summary) lnWithheld(minCell int64) bool {
	all := s.Response["all"]
	return minCell > 0 && all != nil && s.Flares.Patients >= minCell && s.Flares.Patients-all.Judged < minCell
}

// writeLandmark prints the landmark comparison.
func (s *Summary) writeLandmark(ew *errWriter, cnt func(int64) string, minCell int64) {
	ew.printf("Landmark %d months after the first induction course. Compared: lupus nephritis patients with no renal response\n", LandmarkMonths)
	ew.printf("at the landmark (the first induction course's response judged at %d months), not on dialysis and without a kidney\n", LandmarkMonths)
	ew.printf("transplant by then, followed a year past it. Outcome: kidney failure after the landmark by as-of (dialysis or a\n")
	ew.printf("transplant started after it, or G5 at the latest eGFR), counted whatever response is judged later. By therapy\n")
	ew.printf("class started after the landmark or not (Wilson 95%% CI; observational):\n")
	rows := 0
	shown := suppressLandmark(s.Landmark, minCell)
	for _, k := range slices.Sorted(maps.Keys(s.Landmark)) {
		lc := s.Landmark[k]
		if lc.Treated == 0 || lc.Treated < minCell {
			// As in the response table: under --min-cell a class started by
			// fewer than K (0 included) is not listed, so that a row
			// printed does not say "at least 1".
			continue
		}
		rows++
		sh := shown[k]
		ew.printf("  %-*s started: %s of %s; not started: %s of %s\n", classWidth, rowName(k), rateIf(sh.treatedF, lc.TreatedFailure, lc.Treated), sh.treated,
			rateIf(sh.untreatedF, lc.UntreatedFailure, lc.Untreated), sh.untreated)
	}
	switch {
	case minCell > 0:
		ew.printf("  A class started after the landmark by fewer than %d patients (0 included) is not listed.\n", minCell)
	case rows == 0:
		ew.printf("  none (no patient started an add-on or rescue class after the landmark)\n")
	}
	if rows > 0 {
		// Suissa S. Am J Epidemiol 2008;167:492-9 (immortal time bias).
		ew.printf("A class started after the landmark was started by patients still free of kidney failure then (immortal time\n")
		ew.printf("from the landmark to the start), which favours it; a failure before a start counts under \"not started\".\n")
	}
	if s.LandmarkUnknown > 0 || minCell > 0 && s.LandmarkUnknown < minCell { // under --min-cell, shown or not must not tell 0
		ew.printf("Left out: %s whose response at the landmark was not judged (no UPCR near it).\n", patients(cnt(s.LandmarkUnknown), s.LandmarkUnknown))
	}
}

// writeFlares prints the renal flare rate (FlareCount). With minCell K
// the rate is withheld when the confirmed count is below K, 0 included, as
// every rate built on a small count is: the rate times the printed
// patient-years gives the count back (trial-cli #6; trial 13 F2).
func (s *Summary) writeFlares(ew *errWriter, cnt func(int64) string, minCell int64) {
	f := &s.Flares
	ew.printf("%s\n", wrap(fmt.Sprintf("Renal flares: %s confirmed in %.0f patient-years of lupus nephritis (from the first record of nephritis): %s.",
		cnt(f.Confirmed), f.PatientYears, flareRate(f, minCell)), lineWidth))
	ew.printf("Confirmed: the rise was seen again at the next measured UPCR, as EULAR/ERA-EDTA 2012 asks for a reproducible change.\n")
	// Trial 13 F7: the confirmed rate's CI excluded the truth (seed 7:
	// 2.4, truth 3.1 per 100 patient-years; docs/cohort.md).
	ew.printf("The confirmed rate tends to understate the true flare rate: a true flare's UPCR often falls by the next visit.\n")
	ew.printf("Not in the rate: %s seen at one visit only (a spot UPCR varies from sample to sample; a flare on haematuria or\n", plainFlares(cnt(f.Unconfirmed), f.Unconfirmed))
	ew.printf("casts alone has no UPCR rise to repeat). Provisional in the report (a criterion not assessed), confirmed or not: %s.\n", cnt(f.Provisional))
}

// flareRate is the confirmed flares per 100 patient-years, as registries
// quote them (trial 13 F10e), with the Poisson 95% interval (PoissonCI),
// or why it is not shown. The JSON keeps the count and the patient-years.
func flareRate(f *FlareCount, minCell int64) string {
	switch {
	case f.PatientYears <= 0:
		return "rate not computed (no follow-up time)"
	case minCell > 0 && f.Confirmed < minCell: // a count shown as "<K", 0 included
		return fmt.Sprintf("rate withheld (count < %d)", minCell)
	}
	lo, hi := PoissonCI(f.Confirmed)
	per := 100 / f.PatientYears
	v := labtext.SameDecimals(4, float64(f.Confirmed)*per, lo*per, hi*per)
	return fmt.Sprintf("%s per 100 patient-years (95%% CI %s-%s, Poisson)", v[0], v[1], v[2])
}

// plainFlares is "1 flare" or "n flares" with the count as shown.
func plainFlares(shown string, n int64) string {
	if shown == "1" {
		return labtext.CountAs(n, "flare", "flares")
	}
	return shown + " flares"
}

// rateIf is rate x of n when shown, else "withheld".
func rateIf(shown bool, x, n int64) string {
	if !shown {
		return "withheld"
	}
	return rate(x, n)
}

// rate is "x (p%, lo-hi%)" with the Wilson interval, or "-" without
// patients.
func rate(x, n int64) string {
	if n == 0 {
		return "-"
	}
	lo, hi := Wilson(x, n)
	return fmt.Sprintf("%d (%.1f%%, %.1f-%.1f%%)", x, 100*float64(x)/float64(n), 100*lo, 100*hi)
}

// patients is "1 patient" or "n patients" with the count as shown.
func patients(shown string, n int64) string { return shown + " " + plural(n, shown) }

// plural is "patient" for a count shown as 1, else "patients"
// (labtext.Noun; a count shown otherwise, such as "<5", is plural).
func plural(n int64, shown string) string {
	if shown != "1" {
		return "patients"
	}
	return labtext.Noun(n, "patient", "patients")
}

// joinCells prints a line's cells as "key count; key count" in key order,
// the "none" cell last but one under the label none (trial #22: "none 19"
// read as "no risk"), then "no_data" (no data by the as-of date), then
// "deceased".
func joinCells(shown map[string]string, none string) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(shown)) {
		if k != "none" && k != "deceased" && k != "no_data" {
			parts = append(parts, k+" "+shown[k])
		}
	}
	if v, ok := shown["none"]; ok {
		parts = append(parts, none+" "+v)
	}
	if v, ok := shown["no_data"]; ok {
		parts = append(parts, "no data by the as-of date "+v)
	}
	if v, ok := shown["deceased"]; ok {
		parts = append(parts, "deceased "+v)
	}
	return strings.Join(parts, "; ")
}

// lineWidth is the width the summary's lines keep to, as its fixed lines
// do (trial 13 F10a: the flare line was 166 characters long).
const lineWidth = 115

// wrap breaks s at spaces into lines of at most width characters (a word
// longer than width stays whole on its own line).
func wrap(s string, width int) string {
	var b strings.Builder
	n := 0
	for i, w := range strings.Split(s, " ") {
		switch {
		case i == 0:
		case n+1+len(w) > width:
			b.WriteByte('\n')
			n = 0
		default:
			b.WriteByte(' ')
			n++
		}
		b.WriteString(w)
		n += len(w)
	}
	return b.String()
}
