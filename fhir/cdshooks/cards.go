package cdshooks

import (
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"

	"renalwatch/assess"
)

// Guideline pages a card's source links to. Only pages whose address was
// confirmed are linked; the others name the guideline without a url
// (source.url is OPTIONAL, § Source).
const (
	urlKDIGOCKD        = "https://kdigo.org/guidelines/ckd-evaluation-and-management/"
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
	assess.AlertKFRE2yMultidisciplinary: {true, "2-year kidney failure risk above 10%: multidisciplinary care", "KDIGO 2024 CKD guideline, practice point 2.2.2", urlKDIGOCKD},
	assess.AlertKFRE2yKRTPlanning:       {true, "2-year kidney failure risk above 40%: plan kidney replacement therapy", "KDIGO 2024 CKD guideline, practice point 2.2.3", urlKDIGOCKD},
	assess.AlertRapidProgression:        {true, "Rapid eGFR decline (more than 5 mL/min/1.73 m² per year)", "KDIGO 2012 CKD guideline, recommendation 2.1.3", urlKDIGOCKD},
	assess.AlertEGFRDrop:                {true, "eGFR fall beyond expected variability", "KDIGO 2024 CKD guideline", urlKDIGOCKD},
	assess.AlertAlbuminuriaReferral:     {true, "Significant albuminuria: a criterion for referral to kidney care", "KDIGO 2012 CKD guideline, recommendation 5.1.1", urlKDIGOCKD},
	assess.AlertNephroticProteinuria:    {true, "Nephrotic-range proteinuria", "KDIGO 2024 lupus nephritis guideline", urlKDIGOGuidelines},
	assess.AlertActiveSediment:          {true, "Active (nephritic) urine sediment", "KDIGO 2012 glomerulonephritis guideline, Table 29; SLEDAI-2K", urlKDIGOGuidelines},
	assess.AlertRenalFlare:              {true, "Lupus nephritis renal flare", "", ""},
	assess.AlertNoResponse6m:            {true, "No renal response 6 months after the start of therapy", "", ""},
	assess.AlertMonitoringOverdue:       {true, "Kidney monitoring overdue", "KDIGO 2024 CKD guideline, practice point 2.1.1; ACR (American College of Rheumatology) 2024 lupus nephritis guideline", urlKDIGOCKD},
	assess.AlertAnemia:                  {true, "Anaemia", "KDIGO 2012 anemia in CKD guideline, recommendation 1.2.1", urlKDIGOGuidelines},
	assess.AlertBPAboveTarget:           {true, "Systolic blood pressure not below its target (KDIGO 2021: < 120 mmHg, < 130 mmHg after a kidney transplant)", "KDIGO 2021 blood pressure in CKD guideline", urlKDIGOGuidelines},
	assess.AlertHyperkalemia:            {true, "High potassium", "Local protocol (configurable thresholds)", ""},
	assess.AlertKidneyReplacement:       {card: false},
	assess.AlertInvestigationalTherapy:  {card: false},
}

// cardOrder is the order of cards of one severity (indicator), which
// decides what a clinician sees first and which cards the limit
// (Config.MaxCards) leaves out: the cards that ask for a step come before
// the findings that explain them, because a clinician opening a chart
// acts on the first cards and may never expand the rest (issue 12, Cards
// item 3: "No card for information the clinician can't act on; at most a
// configurable number of cards, most severe first"). Across severities
// the more severe card still comes first (critical > warning > info).
// Each card-making code is listed once (TestEveryAlertCodeDecided), so
// the order is total and deterministic.
var cardOrder = []string{
	// Danger today: act on the potassium now.
	assess.AlertHyperkalemia,
	// The treatment is failing or the disease is active: change it.
	assess.AlertNoResponse6m,
	assess.AlertRenalFlare,
	// Refer, or plan care (G5 is kidney failure, KDIGO 2012 Table 5: its
	// card comes first): KDIGO 2012 recommendation 5.1.1 refers for
	// eGFR < 30, significant albuminuria and rapid progression; KDIGO
	// 2024 practice points 2.2.1-2.2.3 by KFRE risk.
	assess.AlertCKDG5,
	assess.AlertKFRE2yKRTPlanning,
	assess.AlertCKDG4,
	assess.AlertKFRE5yReferral,
	assess.AlertAlbuminuriaReferral,
	assess.AlertRapidProgression,
	assess.AlertKFRE2yMultidisciplinary,
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

// compareCards orders cards: more severe first, then by cardOrder.
func compareCards(xSev assess.Severity, xCode string, ySev assess.Severity, yCode string) int {
	if d := indicatorRank[xSev] - indicatorRank[ySev]; d != 0 {
		return d
	}
	return cardRank[xCode] - cardRank[yCode]
}

// maxSummary is the summary limit: "<140-character" (§ Card Attributes),
// counted in runes.
const maxSummary = 140

var (
	internalRef = regexp.MustCompile(`[;,]?\s*(?:see )?(?:lupus|kidney)\.md §[0-9.]+(?:,\s*ambiguity [A-Z][0-9]+(?::[^)]*)?)?|[;,]?\s*see docs/[a-z]+\.md`)
	emptyParens = regexp.MustCompile(`\s*\(\s*\)`)
)

// publicSource removes references to RenalWatch's internal notes from an
// alert's source: what users see cites the guideline or paper itself.
// Alert sources are a small set of constant texts: each is cleaned once
// and remembered (publicSources), not by two regular expressions per card.
func publicSource(s string) string {
	if v, ok := publicSources.Load(s); ok {
		return v.(string)
	}
	v := cleanSource(s)
	if publicSourcesN.Add(1) <= maxPublicSources {
		publicSources.Store(s, v)
	}
	return v
}

var (
	publicSources  sync.Map // alert source -> publicSource of it
	publicSourcesN atomic.Int64
)

// maxPublicSources bounds publicSources, should sources ever carry
// per-patient text.
const maxPublicSources = 1024

func cleanSource(s string) string {
	s = internalRef.ReplaceAllString(s, "")
	s = emptyParens.ReplaceAllString(s, "")
	return strings.TrimSpace(s)
}

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

func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
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
	patientID    string
	publicURL    string // empty: no link
	max          int
	rejected     int // resources the fhir reader refused
}

// issued is a card with the alert code it came from.
type issued struct {
	card Card
	code string
}

// buildCards turns the assessment's alerts into cards: one card per alert
// code (alerts of one code, such as several overdue tests, are listed in
// one card), in the order of compareCards, at most in.max; the last card
// names the ones left out.
func buildCards(a assess.Assessment, in cardInput) []issued {
	type group struct {
		code   string
		sev    assess.Severity
		alerts []assess.Alert
	}
	var groups []*group
	byCode := map[string]*group{}
	for _, al := range a.Alerts {
		if !cardRules[al.Code].card {
			continue
		}
		g := byCode[al.Code]
		if g == nil {
			g = &group{code: al.Code, sev: al.Severity}
			byCode[al.Code] = g
			groups = append(groups, g)
		}
		if indicatorRank[al.Severity] < indicatorRank[g.sev] {
			g.sev = al.Severity
		}
		g.alerts = append(g.alerts, al)
	}
	slices.SortFunc(groups, func(x, y *group) int { return compareCards(x.sev, x.code, y.sev, y.code) })
	var dropped []string
	if in.max > 0 && len(groups) > in.max {
		for _, g := range groups[in.max:] {
			dropped = append(dropped, cardRules[g.code].title)
		}
		groups = groups[:in.max]
	}
	out := make([]issued, 0, len(groups))
	for _, g := range groups {
		rule := cardRules[g.code]
		c := Card{
			UUID:      cardUUID(in.hookInstance, g.code),
			Summary:   summary(rule.title, g.alerts),
			Detail:    detail(a, g.alerts, in),
			Indicator: string(g.sev),
			Source:    Source{Label: rule.label, URL: rule.url},
		}
		if c.Source.Label == "" {
			c.Source.Label = publicSource(g.alerts[0].Source)
		}
		if in.publicURL != "" {
			c.Links = []Link{{
				Label: "Open the RenalWatch dashboard for this patient",
				URL:   strings.TrimSuffix(in.publicURL, "/") + "/patients/" + url.PathEscape(in.patientID),
				Type:  "absolute",
			}}
		}
		out = append(out, issued{card: c, code: g.code})
	}
	if len(dropped) > 0 {
		// The limit must not hide findings silently: the last card names
		// the ones left out.
		last := &out[len(out)-1].card
		last.Detail += "\n\nAlso found, not shown as cards (at most " + strconv.Itoa(in.max) + "): " + mdEscape(strings.Join(dropped, "; ")) + "."
	}
	return out
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
// (once), the source, the date of the assessment and what was left out.
func detail(a assess.Assessment, alerts []assess.Alert, in cardInput) string {
	var b strings.Builder
	var sources []string
	for _, al := range alerts {
		b.WriteString("- ")
		b.WriteString(mdEscape(capitalize(al.Message)))
		if al.Date != nil { // the result's date, unless the message already gives it
			if d := al.Date.UTC().Format(time.DateOnly); !strings.Contains(al.Message, d) {
				b.WriteString(" (result of " + d + ")")
			}
		}
		b.WriteString("\n")
		if s := publicSource(al.Source); !slices.Contains(sources, s) {
			sources = append(sources, s)
		}
	}
	b.WriteString("\n")
	for _, s := range sources {
		b.WriteString("Source: " + mdEscape(s) + "\n\n")
	}
	b.WriteString("Assessed by RenalWatch as of " + a.AsOf.UTC().Format(time.DateOnly) + " from the data the EHR provided. RenalWatch informs; it does not prescribe.")
	if in.rejected > 0 {
		b.WriteString(" " + strconv.Itoa(in.rejected) + " resources could not be read and were left out.")
	}
	return b.String()
}
