package cdshooks

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"

	"renalwatch/assess"
	"renalwatch/fhir"
)

// Guideline pages a card's source links to. Only pages whose address was
// confirmed are linked; the others name the guideline without a url
// (source.url is OPTIONAL, § Source).
const (
	urlKDIGOCKD        = "https://kdigo.org/guidelines/ckd-evaluation-and-management/"
	urlKDIGOLN         = "https://kdigo.org/guidelines/lupus-nephritis/"
	urlKDIGOGuidelines = "https://kdigo.org/guidelines/"
)

// cardRule says whether an alert code makes a card and what source it
// shows. The clinician sees a card only for something to act on when the
// chart opens (order a test, refer, review therapy or a result):
//
//   - kidney-replacement (info) makes no card: it restates dialysis or a
//     transplant the chart already shows, and only explains how the eGFR
//     series is read;
//   - investigational-therapy makes no card: it is a caveat on reading a
//     therapy's effect (shown on the dashboard), not a step to take;
//   - monitoring-overdue (info) makes a card: the action is to order the
//     overdue test.
//
// A code not listed here makes no card, so a new alert is shown in the
// EHR only once someone has decided it should be (TestEveryAlertCodeDecided).
type cardRule struct {
	card  bool
	title string // the summary when the message is too long, or when merged
	label string // source.label; empty: the alert's own source, cleaned
	url   string
}

var cardRules = map[string]cardRule{
	assess.AlertCKDG4:                   {true, "eGFR 15-29 mL/min/1.73 m² (CKD G4)", "KDIGO 2024 CKD guideline", urlKDIGOCKD},
	assess.AlertCKDG5:                   {true, "eGFR below 15 mL/min/1.73 m² (CKD G5, kidney failure)", "KDIGO 2024 CKD guideline", urlKDIGOCKD},
	assess.AlertKFRE5yReferral:          {true, "5-year kidney failure risk at or above the nephrology referral threshold", "KDIGO 2024 CKD guideline, practice point 2.2.1", urlKDIGOCKD},
	assess.AlertKFRE2yMultidisciplinary: {true, "2-year kidney failure risk above 10%: KDIGO 2024 threshold for multidisciplinary care", "KDIGO 2024 CKD guideline, practice point 2.2.2", urlKDIGOCKD},
	assess.AlertKFRE2yKRTPlanning:       {true, "2-year kidney failure risk above 40%: KDIGO 2024 threshold for preparing kidney replacement therapy", "KDIGO 2024 CKD guideline, practice point 2.2.3", urlKDIGOCKD},
	assess.AlertRapidProgression:        {true, "Rapid eGFR decline (more than 5 mL/min/1.73 m² per year)", "KDIGO 2012 CKD guideline, recommendation 2.1.3", urlKDIGOCKD},
	assess.AlertEGFRDrop:                {true, "eGFR fall beyond expected variability", "KDIGO 2024 CKD guideline", urlKDIGOCKD},
	assess.AlertAlbuminuriaReferral:     {true, "Significant albuminuria: a criterion for referral to kidney care", "KDIGO 2012 CKD guideline, recommendation 5.1.1", urlKDIGOCKD},
	assess.AlertNephroticProteinuria:    {true, "Nephrotic-range proteinuria", "KDIGO 2024 LN", urlKDIGOLN},
	assess.AlertActiveSediment:          {true, "Active (nephritic) urine sediment", "KDIGO 2012 GN, Table 29; SLEDAI-2K", urlKDIGOGuidelines},
	assess.AlertRenalFlare:              {true, "Lupus nephritis renal flare", "", ""},
	assess.AlertNoResponse6m:            {true, "No renal response 6 months after the start of therapy", "", ""},
	assess.AlertMonitoringOverdue:       {true, "Kidney monitoring overdue", "", ""},
	assess.AlertAnemia:                  {true, "Anaemia", "KDIGO 2012 anemia in CKD guideline, recommendation 1.2.1", urlKDIGOGuidelines},
	assess.AlertBPAboveTarget:           {true, "Systolic blood pressure not below its target (KDIGO 2021: < 120 mmHg, < 130 mmHg after a kidney transplant)", "KDIGO 2021 blood pressure in CKD guideline", urlKDIGOGuidelines},
	assess.AlertHyperkalemia:            {true, "High potassium", "Local protocol (configurable thresholds)", ""},
	assess.AlertLNEvaluation:            {true, "SLE with persistent proteinuria or a fall in eGFR and no known lupus nephritis: KDIGO 2024 suggests considering a kidney biopsy", "KDIGO 2024 LN, practice point 10.1.1", urlKDIGOLN},
	assess.AlertKidneyReplacement:       {card: false},
	assess.AlertInvestigationalTherapy:  {card: false},
}

// Card codes that are not alert codes: the code a card is issued under
// (IssuedCard.AlertCode, the feedback counts) and its UUID's name.
const (
	// CardKidneyReferral is the one card for every criterion of referral
	// to specialist kidney care that is met (referralCodes).
	CardKidneyReferral = "kidney-referral"
	// CardNotAssessed is the information card that says what could not
	// be assessed, given only when no other card is.
	CardNotAssessed = "not-assessed"
)

// referralCodes are the alerts that are each a criterion of referral to
// specialist kidney care (KDIGO 2012 recommendation 5.1.1, kept in KDIGO
// 2024: eGFR < 30 and significant albuminuria; KDIGO 2024 practice points
// 2.2.1-2.2.2: a 5-year kidney failure risk at or above the threshold and
// a 2-year risk above 10% for multidisciplinary care). One patient often
// meets several at once (trial-web #16: an LN patient got three "refer"
// cards), so they share one card, CardKidneyReferral, that names every
// criterion met with its numbers. The 2-year risk above 40% (plan kidney
// replacement therapy) and rapid progression keep their own cards: each
// asks for a different step.
var referralCodes = map[string]string{
	assess.AlertCKDG5:                   "eGFR < 15 (G5)",
	assess.AlertCKDG4:                   "eGFR < 30 (G4)",
	assess.AlertKFRE5yReferral:          "5-year KFRE ≥ threshold",
	assess.AlertKFRE2yMultidisciplinary: "2-year KFRE > 10%",
	assess.AlertAlbuminuriaReferral:     "significant albuminuria",
}

// referralTitle is the summary of a referral card meeting several
// criteria.
const referralTitle = "Specialist kidney care criteria met"

// cardCode is the card an alert code goes to: its own, or the merged
// referral card.
func cardCode(alertCode string) string {
	if _, ok := referralCodes[alertCode]; ok {
		return CardKidneyReferral
	}
	return alertCode
}

// cardOrder is the order of cards of one severity (indicator), which
// decides what a clinician sees first and which cards the limit
// (Config.MaxCards) leaves out: the cards that ask for a step come before
// the findings that explain them, because a clinician opening a chart
// acts on the first cards and may never expand the rest (issue 12, Cards
// item 3: "No card for information the clinician can't act on; at most a
// configurable number of cards, most severe first"). Across severities
// the more severe card still comes first (critical > warning > info).
// Each card code is listed once (TestEveryAlertCodeDecided), so the order
// is total and deterministic. A renal flare followed by a new induction
// therapy is information and comes after every code (treatedRank).
var cardOrder = []string{
	// Danger today: act on the potassium now.
	assess.AlertHyperkalemia,
	// The treatment is failing or the disease is active: change it.
	assess.AlertNoResponse6m,
	assess.AlertRenalFlare,
	// SLE with kidney findings and no known lupus nephritis: consider the
	// kidney biopsy that would find it (KDIGO 2024 LN practice point
	// 10.1.1) before the referral criteria the same proteinuria meets.
	assess.AlertLNEvaluation,
	// Refer, or plan care: KDIGO 2012 recommendation 5.1.1 refers for
	// eGFR < 30, significant albuminuria and rapid progression; KDIGO
	// 2024 practice points 2.2.1-2.2.3 by KFRE risk. The referral
	// criteria share one card (referralCodes).
	CardKidneyReferral,
	assess.AlertKFRE2yKRTPlanning,
	assess.AlertRapidProgression,
	// Order the overdue test.
	assess.AlertMonitoringOverdue,
	// A treatment target is missed: review the treatment.
	assess.AlertBPAboveTarget,
	assess.AlertAnemia,
	// Findings that inform the cards above more than they ask for a step
	// of their own.
	assess.AlertEGFRDrop,
	assess.AlertNephroticProteinuria,
	assess.AlertActiveSediment,
}

// cardRank is a code's place in cardOrder.
var cardRank = func() map[string]int {
	m := make(map[string]int, len(cardOrder))
	for i, c := range cardOrder {
		m[c] = i
	}
	return m
}()

// treatedRank is the place of a renal-flare card whose every flare was
// followed by a new induction therapy: after every other card of its
// severity (info).
var treatedRank = len(cardOrder)

// compareCards orders cards: more severe first, then by rank (cardOrder).
func compareCards(xSev assess.Severity, xRank int, ySev assess.Severity, yRank int) int {
	if d := indicatorRank[xSev] - indicatorRank[ySev]; d != 0 {
		return d
	}
	return xRank - yRank
}

// maxSummary is the summary limit: "<140-character" (§ Card Attributes),
// counted in runes.
const maxSummary = 140

// mdEscape escapes the characters GitHub Flavored Markdown would read as
// markup, so a message such as "UPCR >= 3 g/g" shows as written.
func mdEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune("\\`*_[]<>#|~", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// capitalize upper-cases the first letter of a sentence, except in a
// word written in mixed case that starts lower case, such as eGFR or
// mTOR: its case is its spelling (trial 10 F7: "EGFR fall…").
func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	if r2, _ := utf8.DecodeRuneInString(s[n:]); unicode.IsLower(r) && unicode.IsUpper(r2) {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// cardNamespace is the name space of card UUIDs:
// uuid5(NAMESPACE_URL, "urn:renalwatch:cds-hooks:card").
var cardNamespace = uuid.NewSHA1(uuid.NameSpaceURL, []byte("urn:renalwatch:cds-hooks:card"))

// cardUUID is the name-based (version 5) UUID of a card: the same hook
// call and alert code give the same card UUID, so feedback (which names
// the card, § Feedback) can be traced to its alert code and tests are
// stable, while different calls give different UUIDs.
func cardUUID(hookInstance, code string) string {
	return uuid.NewSHA1(cardNamespace, []byte(hookInstance+"\x00"+code)).String()
}

var indicatorRank = map[assess.Severity]int{assess.Critical: 0, assess.Warning: 1, assess.Info: 2}

// cardInput is what cards need besides the assessment.
type cardInput struct {
	hookInstance string
	// link is the dashboard page of the patient, empty when the card
	// must not link (no public URL, the store does not hold the patient,
	// or the stored patient's identity does not agree: dashboardLink).
	link    string
	max     int
	leftOut []fhir.Rejection // resources the fhir reader refused (leftout.go)
	// leftOutNote names them (leftOutNote), set by buildCards.
	leftOutNote string
	// notAssessed says what could not be assessed and why, and
	// notAssessedSummary in a line (notAssessed); empty when nothing the
	// cards rest on was missing.
	notAssessed, notAssessedSummary string
	// lupusNephritis: the record shows lupus nephritis (a diagnosis or a
	// biopsy), so the patient is normally under specialist kidney care.
	lupusNephritis bool
}

// issued is a card with the code it is issued under: an alert code, or
// CardKidneyReferral or CardNotAssessed.
type issued struct {
	card Card
	code string
}

// group is the alerts of one card.
type group struct {
	code    string
	sev     assess.Severity
	rank    int
	alerts  []assess.Alert
	treated []string // per alert of a renal-flare card: the new therapy that followed it, or ""
	// newer is, per alert, the left-out results of the test an alert
	// raised by the absence or age of a result waits for, newer than the
	// last one used (newerLeftOut); nil when no alert has any.
	newer [][]fhir.Rejection
}

// buildCards turns the assessment's alerts into cards: one card per card
// code (alerts of one code, such as several overdue tests, are listed in
// one card; the referral criteria share one, cardCode), in the order of
// compareCards, at most in.max; the last card names the ones left out.
// When something could not be assessed (in.notAssessed) every card's
// detail says so, and one information card does in its summary, which
// the EHR always shows (§ Card Attributes: for non-urgent cards the
// client "MAY hide these details until the user clicks"): a partial set
// of cards must not read as complete (trial-web #4). That card keeps a
// place within the limit whenever the limit is 2 or more.
func buildCards(a assess.Assessment, in cardInput) []issued {
	in.leftOutNote = leftOutNote(in.leftOut)
	var groups []*group
	byCode := map[string]*group{}
	for _, al := range a.Alerts {
		if !cardRules[al.Code].card {
			continue
		}
		code := cardCode(al.Code)
		g := byCode[code]
		if g == nil {
			g = &group{code: code, sev: al.Severity, rank: cardRank[code]}
			byCode[code] = g
			groups = append(groups, g)
		}
		if indicatorRank[al.Severity] < indicatorRank[g.sev] {
			g.sev = al.Severity
		}
		g.alerts = append(g.alerts, al)
	}
	if g := byCode[assess.AlertRenalFlare]; g != nil {
		treatedFlares(a, g)
	}
	for _, g := range groups {
		for i, al := range g.alerts {
			if al.Due == nil {
				continue
			}
			if n := newerLeftOut(al.Due, in.leftOut); len(n) > 0 {
				if g.newer == nil {
					g.newer = make([][]fhir.Rejection, len(g.alerts))
				}
				g.newer[i] = n
			}
		}
	}
	slices.SortFunc(groups, func(x, y *group) int { return compareCards(x.sev, x.rank, y.sev, y.rank) })
	var dropped []string
	limit := in.max
	if in.notAssessed != "" && limit >= 2 {
		limit--
	}
	if limit > 0 && len(groups) > limit {
		for _, g := range groups[limit:] {
			dropped = append(dropped, groupTitle(g))
		}
		groups = groups[:limit]
	}
	out := make([]issued, 0, max(len(groups), 1))
	for _, g := range groups {
		c := Card{
			UUID:      cardUUID(in.hookInstance, g.code),
			Summary:   groupSummary(g),
			Detail:    detail(a, g, in),
			Indicator: string(g.sev),
		}
		c.Source.Label, c.Source.URL = groupSource(g)
		out = append(out, issued{card: c, code: g.code})
	}
	if in.notAssessed != "" && (in.max <= 0 || len(out) < in.max) {
		out = append(out, issued{code: CardNotAssessed, card: Card{
			UUID:      cardUUID(in.hookInstance, CardNotAssessed),
			Summary:   in.notAssessedSummary,
			Detail:    "**Not assessed:** " + mdEscape(in.notAssessed) + "\n\n" + assessedBy(a, in),
			Indicator: string(assess.Info),
			Source:    Source{Label: "KDIGO 2024 CKD guideline (eGFR by age and sex)", URL: urlKDIGOCKD},
		}})
	}
	if len(out) == 0 {
		out = notUsedCard(a, in) // nil, or the one card naming results sent but not used
	}
	addLink(out, in.link)
	if len(dropped) > 0 {
		// The limit must not hide findings silently: the last card names
		// the ones left out.
		last := &out[len(out)-1].card
		last.Detail += "\n\nAlso found, not shown as cards (at most " + strconv.Itoa(in.max) + "): " + mdEscape(strings.Join(dropped, "; ")) + "."
	}
	return out
}

// addLink gives every card the link to the patient's dashboard page
// (dashboardLink), when there is one.
func addLink(out []issued, link string) {
	if link == "" {
		return
	}
	for i := range out {
		out[i].card.Links = []Link{{Label: "Open this patient's RenalWatch dashboard (same id, birth date and sex)", URL: link, Type: "absolute"}}
	}
}

// groupTitle is the card's title (the summary when the message does not
// fit).
func groupTitle(g *group) string {
	if g.code == CardKidneyReferral {
		if len(g.alerts) == 1 {
			return cardRules[g.alerts[0].Code].title
		}
		return referralTitle
	}
	if g.rank == treatedRank {
		return cardRules[g.code].title + ", followed by new therapy"
	}
	return cardRules[g.code].title
}

// groupSummary is the one message when it fits (with the therapy that
// followed a treated flare), else the title; the referral card names the
// criteria met.
func groupSummary(g *group) string {
	if g.code == CardKidneyReferral && len(g.alerts) > 1 {
		var names []string
		for _, al := range referralOrder(g.alerts) {
			names = append(names, referralCodes[al.Code])
		}
		s := referralTitle + ": " + strings.Join(names, "; ")
		if utf8.RuneCountInString(s) < maxSummary {
			return s
		}
		return referralTitle + " (" + strconv.Itoa(len(g.alerts)) + ")"
	}
	if len(g.alerts) == 1 && g.treated != nil && g.treated[0] != "" {
		if s := capitalize(g.alerts[0].Message) + "; " + g.treated[0]; utf8.RuneCountInString(s) < maxSummary {
			return s
		}
		return groupTitle(g)
	}
	if g.newer != nil {
		return dueLeftOutSummary(g)
	}
	return summary(groupTitle(g), g.alerts)
}

// referralOrder is the referral alerts in the order of the criteria
// (G5, G4, 5-year, 2-year, albuminuria), so the card reads the same
// whatever the alerts' order.
func referralOrder(alerts []assess.Alert) []assess.Alert {
	rank := map[string]int{assess.AlertCKDG5: 0, assess.AlertCKDG4: 1, assess.AlertKFRE5yReferral: 2, assess.AlertKFRE2yMultidisciplinary: 3, assess.AlertAlbuminuriaReferral: 4}
	out := slices.Clone(alerts)
	slices.SortStableFunc(out, func(x, y assess.Alert) int { return rank[x.Code] - rank[y.Code] })
	return out
}

// groupSource is the card's source.label and source.url: the rule's
// label, the referral card's guideline, or short labels of the card's
// alerts' own sources (shortSource), so a card names only the sources its
// alerts rest on for this patient (trial 10 F8: "ACR 2024 LN" on the
// monitoring card of a patient without lupus); the full citations are in
// the detail.
func groupSource(g *group) (label, url string) {
	if g.code == CardKidneyReferral && len(g.alerts) > 1 {
		return "KDIGO 2024 CKD guideline (referral criteria)", urlKDIGOCKD
	}
	r := cardRules[g.alerts[0].Code]
	if r.label != "" {
		return r.label, r.url
	}
	var srcs []string
	for _, al := range g.alerts {
		if s := publicSource(al.Source); !slices.Contains(srcs, s) {
			srcs = append(srcs, s)
		}
	}
	return shortSource(strings.Join(srcs, "; "))
}

// summary is the one message when it fits, else the rule's title (with
// the count when several alerts share the card).
func summary(title string, alerts []assess.Alert) string {
	if len(alerts) == 1 {
		if s := capitalize(alerts[0].Message); utf8.RuneCountInString(s) < maxSummary {
			return s
		}
		return title
	}
	return title + " (" + strconv.Itoa(len(alerts)) + ")"
}

// detail is the card's Markdown: every alert with its numbers and date
// (once) and, for a treated flare, the therapy that followed; for the
// referral card the lupus nephritis note; what could not be assessed;
// the source; the date of the assessment and what was left out.
func detail(a assess.Assessment, g *group, in cardInput) string {
	var b strings.Builder
	var sources []string
	alerts := g.alerts
	if g.code == CardKidneyReferral {
		alerts = referralOrder(alerts)
	}
	for i, al := range alerts {
		line := mdEscape(capitalize(al.Message))
		if g.newer != nil && len(g.newer[i]) > 0 {
			line = dueLeftOut(al.Due, g.newer[i])
		}
		b.WriteString("- ")
		b.WriteString(line)
		if al.Date != nil { // the result's date, unless the line already gives it
			if d := al.Date.UTC().Format(time.DateOnly); !strings.Contains(line, d) {
				b.WriteString(" (result of " + d + ")")
			}
		}
		if g.treated != nil && g.treated[i] != "" {
			b.WriteString("; followed by a new induction therapy: " + mdEscape(g.treated[i]) + " (whether it works is judged by the renal response rules)")
		}
		b.WriteString("\n")
		if s := publicSource(al.Source); !slices.Contains(sources, s) {
			sources = append(sources, s)
		}
	}
	if g.code == CardKidneyReferral && in.lupusNephritis && slices.ContainsFunc(alerts, func(al assess.Alert) bool { return al.Code != assess.AlertAlbuminuriaReferral }) {
		// The albuminuria message carries the same note itself.
		b.WriteString("\nWith lupus nephritis the patient is normally under specialist kidney care already: these criteria call for a referral only if not.\n")
	}
	if in.notAssessed != "" {
		b.WriteString("\n**Not assessed:** " + mdEscape(in.notAssessed) + "\n")
	}
	b.WriteString("\n")
	for _, s := range sources {
		b.WriteString("Source: " + mdEscape(s) + "\n\n")
	}
	b.WriteString(assessedBy(a, in))
	return b.String()
}

// assessedBy is the closing line of every card.
func assessedBy(a assess.Assessment, in cardInput) string {
	s := "Assessed by RenalWatch as of " + a.AsOf.UTC().Format(time.DateOnly) + " from the data the EHR provided. RenalWatch informs; it does not prescribe."
	if in.leftOutNote != "" {
		s += "\n\n" + in.leftOutNote
	}
	return s
}
