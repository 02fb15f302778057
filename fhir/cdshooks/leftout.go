package cdshooks

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"renalwatch/assess"
	"renalwatch/fhir"
	"renalwatch/internal/labtext"
	"renalwatch/internal/textfmt"
	"renalwatch/units"
)

// What the cards say of the resources the fhir reader left out (trial 5
// #4: a creatinine of 106 "mg/dL" was left out as implausible, and the
// cards said only "1 resource could not be read and was left out", while
// the monitoring card read "creatinine last measured 2026-07-16" of a
// test the EHR showed done on 2026-09-17). Every wording about left-out
// resources is in this file.

// maxLeftOut is how many left-out resources a card names; the others are
// counted ("and 3 more").
const maxLeftOut = 5

// maxQuoted is the most runes of one text from the request (an id, a
// value and unit, a reason quoting a unit) a card quotes.
const maxQuoted = 120

// quoted is s, which comes from the request, as a card's Markdown may
// show it: control characters (line breaks among them, which would end
// the list item) made spaces, cut to maxQuoted runes, and escaped
// (mdEscape), so that it shows as written and never as markup or HTML.
func quoted(s string) string {
	if len(s) > 4*maxQuoted { // a unit may be megabytes long: cut before the work
		s = strings.ToValidUTF8(s[:4*maxQuoted], "")
	}
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	if utf8.RuneCountInString(s) > maxQuoted {
		s = string([]rune(s)[:maxQuoted]) + "…"
	}
	return mdEscape(s)
}

// testName is an analyte as the cards name a test, in running text:
// "creatinine", "UPCR", "eGFR", "cystatin C" (textfmt.LabName, with the
// capital of a common word lowered).
func testName(an units.Analyte) string {
	s := textfmt.LabName(an.String())
	r, n := utf8.DecodeRuneInString(s)
	if r2, _ := utf8.DecodeRuneInString(s[n:]); unicode.IsUpper(r) && unicode.IsLower(r2) {
		return string(unicode.ToLower(r)) + s[n:]
	}
	return s
}

// day is a date as the cards write it.
func day(t time.Time) string { return t.UTC().Format(time.DateOnly) }

// leftOutName names a left-out resource by type and id, in Markdown:
// "Observation/cr-35".
func leftOutName(rj fhir.Rejection) string {
	rt := rj.ResourceType
	if rt == "" {
		rt = "resource"
	}
	if rj.ID == "" {
		return quoted(rt) + " without an id"
	}
	return quoted(rt + "/" + rj.ID)
}

// leftOutWhy is why the reader left rj out, in its own words, in
// Markdown. An implausible value is the units.RangeError's sentence,
// which names the value, its unit and the expected range ("creatinine 106
// mg/dL is implausible; expected 0.1 to 30 mg/dL (did you mean 106
// umol/L?)").
func leftOutWhy(rj fhir.Rejection) string {
	if re, ok := errors.AsType[*units.RangeError](rj.Err); ok {
		return quoted(re.Error())
	}
	return quoted(rj.Err.Error())
}

// leftOutLine is one left-out resource: what it was (type and id, the
// test its code maps to, its value and unit as sent, its date, as far as
// the reader read it) and why it was left out, in Markdown:
// "Observation/cr-35 (creatinine 106 mg/dL, 2026-09-17): creatinine 106
// mg/dL is implausible; expected 0.1 to 30 mg/dL (did you mean 106
// umol/L?)".
func leftOutLine(rj fhir.Rejection) string {
	var what []string
	if rj.Analyte != 0 {
		what = append(what, testName(rj.Analyte))
	}
	if v := strings.TrimSpace(rj.Value + " " + rj.Unit); v != "" {
		what = append(what, quoted(v))
	}
	s := leftOutName(rj)
	if len(what) > 0 {
		s += " (" + strings.Join(what, " ")
		if !rj.Time.IsZero() {
			s += ", " + day(rj.Time)
		}
		s += ")"
	}
	return s + ": " + leftOutWhy(rj)
}

// leftOutNote is the paragraph every card closes with when the reader
// left resources out: how many, and each with what it was and why (at
// most maxLeftOut, the newest first, then "and N more"), so the clinician
// can find them in the EHR. "" when none was.
func leftOutNote(rejected []fhir.Rejection) string {
	n := len(rejected)
	if n == 0 {
		return ""
	}
	rs := slices.Clone(rejected)
	slices.SortStableFunc(rs, func(x, y fhir.Rejection) int { return y.Time.Compare(x.Time) })
	var b strings.Builder
	// A result read but not used (readNotUsed) is not said to be unreadable.
	were := labtext.CountAs(n, "resource", "resources") + " " + labtext.Noun(n, "was", "were")
	head := labtext.CountAs(n, "resource", "resources") + " could not be read and " + labtext.Noun(n, "was", "were") + " left out:\n"
	switch u := len(slices.DeleteFunc(slices.Clone(rs), func(rj fhir.Rejection) bool { return !readNotUsed(rj) })); {
	case u == n:
		head = were + " sent but not used:\n"
	case u > 0:
		head = were + " left out (could not be read, or not used):\n"
	}
	b.WriteString(head)
	for _, rj := range rs[:min(n, maxLeftOut)] {
		b.WriteString("\n- " + leftOutLine(rj))
	}
	if n > maxLeftOut {
		b.WriteString("\n- and " + strconv.Itoa(n-maxLeftOut) + " more")
	}
	return b.String()
}

// readNotUsed reports whether rj was read but is not used: a result sent
// in versions with different values (oneVersion), one whose status is
// not final (fhir.Result.NotFinal), or an entry sent under a prefetch key
// whose search cannot return it (outsideSearch).
func readNotUsed(rj fhir.Rejection) bool {
	return errors.Is(rj.Err, errVersions) || errors.Is(rj.Err, fhir.ErrNotFinal) || errors.Is(rj.Err, errOutsideSearch)
}

// newerLeftOut is the left-out results of the test an alert waits for
// (d.Analytes) taken on a day after the last result the assessment used
// (any day when it had none), the newest first.
func newerLeftOut(d *assess.Due, rejected []fhir.Rejection) []fhir.Rejection {
	var out []fhir.Rejection
	for _, rj := range rejected {
		if !rj.Time.IsZero() && slices.Contains(d.Analytes, rj.Analyte) && (d.Last.IsZero() || day(rj.Time) > day(d.Last)) {
			out = append(out, rj)
		}
	}
	slices.SortStableFunc(out, func(x, y fhir.Rejection) int { return y.Time.Compare(x.Time) })
	return out
}

// dueLeftOut is the line of an alert raised by the absence or the age of
// a result (assess.Due) when a newer result of the test was sent but
// left out (newer, newest first, not empty): the test was done, so the
// card says which result was left out and why, and which was the last
// that could be used, instead of the alert's "last measured" or "no …
// in the record". Markdown.
func dueLeftOut(d *assess.Due, newer []fhir.Rejection) string {
	rj := newer[0]
	s := "The " + testName(rj.Analyte) + " of " + day(rj.Time) + " (" + leftOutName(rj) + ") was sent but left out: " + leftOutWhy(rj)
	after := "a later result could be used"
	if !d.Last.IsZero() {
		after = "the last usable one"
	}
	if len(newer) > 1 {
		s += "; " + labtext.CountAs(len(newer)-1, "older result", "older results") + " after " + after + " " + labtext.Noun(len(newer)-1, "was", "were") + " left out too"
	}
	if d.Last.IsZero() {
		s += "; no " + mdEscape(d.What) + " in the record could be used"
	} else {
		s += "; the last " + mdEscape(d.What) + " that could be used is of " + day(d.Last)
	}
	return s + "; " + mdEscape(d.Interval)
}

// dueLeftOutSummary is the summary of a card one of whose alerts is such
// an alert (newer: the left-out results per alert, as in group.newer):
// one alert says which result was left out and the last usable date;
// several give the title and the count, and name the newest result left
// out.
func dueLeftOutSummary(g *group) string {
	var rj fhir.Rejection
	var d *assess.Due
	for i, n := range g.newer {
		if len(n) > 0 && (d == nil || n[0].Time.After(rj.Time)) {
			rj, d = n[0], g.alerts[i].Due
		}
	}
	if len(g.alerts) == 1 {
		head := capitalize(testName(rj.Analyte)) + " of " + day(rj.Time) + " sent but left out"
		r := rj.Reason()
		if errors.Is(rj.Err, errVersions) { // not a reader's reason (oneVersion)
			r = errVersions.Error()
		}
		if r != "" {
			head += " (" + r + ")"
		}
		s := head + "; no usable " + d.What + " in the record"
		if !d.Last.IsZero() {
			s = head + "; last usable " + d.What + ": " + day(d.Last)
		}
		if utf8.RuneCountInString(s) < maxSummary {
			return s
		}
		return head
	}
	return groupTitle(g) + " (" + strconv.Itoa(len(g.alerts)) + "); the " + testName(rj.Analyte) + " of " + day(rj.Time) + " was sent but left out"
}

// CardNotUsed is the information card given when no other card is and
// the call sent results that were read but not used (readNotUsed): a
// preliminary potassium of 6.5 mmol/L, or a creatinine sent twice with
// different values, must not go unmentioned because nothing else made a
// card (trial 10 F6, F16); every other card names them in its left-out
// list.
const CardNotUsed = "not-used"

// urlObservationStatus is the FHIR R4 observation-status code system.
const urlObservationStatus = "https://hl7.org/fhir/R4/codesystem-observation-status.html"

// notUsedCard is the CardNotUsed card, in a slice; nil when no result
// was read but not used.
func notUsedCard(a assess.Assessment, in cardInput) []issued {
	var newest *fhir.Rejection
	n := 0
	for i := range in.leftOut {
		rj := &in.leftOut[i]
		if !readNotUsed(*rj) || rj.Analyte == 0 {
			continue
		}
		n++
		if newest == nil || rj.Time.After(newest.Time) {
			newest = rj
		}
	}
	if newest == nil {
		return nil
	}
	why, _, _ := strings.Cut(newest.Err.Error(), ":")
	what := testName(newest.Analyte)
	if !newest.Time.IsZero() {
		what += " of " + day(newest.Time)
	}
	summary := capitalize(what) + " sent but not used: " + why
	if n > 1 {
		summary = labtext.CountAs(n, "result", "results") + " sent but not used; the newest: " + what + " (" + why + ")"
	}
	if utf8.RuneCountInString(summary) >= maxSummary {
		summary = labtext.CountAs(n, "result", "results") + " sent but not used"
	}
	return []issued{{code: CardNotUsed, card: Card{
		UUID:    cardUUID(in.hookInstance, CardNotUsed),
		Summary: summary,
		Detail: "None of RenalWatch's rules made a card from the results it could use. " +
			"The results below were sent but not used, so they were not assessed: check them in the EHR.\n\n" + assessedBy(a, in),
		Indicator: string(assess.Info),
		Source:    Source{Label: "FHIR R4 Observation status", URL: urlObservationStatus},
	}}}
}
