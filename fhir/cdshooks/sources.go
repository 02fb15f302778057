package cdshooks

import (
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"
)

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

// knownSources are the short labels of the citations alert sources are
// made of (§ Source: label is a "Short, human-readable label to display
// for the source of the information displayed on this card"), with the
// guideline page where one exists. Matched by prefix, citation by
// citation (a source joins citations with "; ").
var knownSources = []struct{ prefix, label, url string }{
	{"KDIGO 2024 Clinical Practice Guideline for the Management of Lupus Nephritis", "KDIGO 2024 LN", urlKDIGOLN},
	{"KDIGO 2024 CKD guideline monitoring frequency table", "KDIGO 2024 CKD, practice point 2.1.1", urlKDIGOCKD},
	{"ACR (American College of Rheumatology) 2024 lupus nephritis guideline", "ACR 2024 LN", ""},
	{"Sammaritano", "ACR 2024 LN", ""},
	{"Fanouriakis", "EULAR/ERA-EDTA 2019 LN", ""},
	{"Furie", "BLISS-LN (Furie 2020)", ""},
	{"Rovin", "AURORA 1 (Rovin 2021)", ""},
	{"KDIGO Clinical Practice Guideline for Glomerulonephritis", "KDIGO 2012 GN, Table 29", urlKDIGOGuidelines},
	{"Moroni", "Moroni/Ponticelli flare definitions", ""},
	{"Bertsias", "EULAR/ERA-EDTA 2012 LN (Bertsias 2012)", ""},
	{"AURORA 2", "AURORA 2 (2024)", ""},
}

// maxLabel bounds a source label made by shortSource.
const maxLabel = 60

// shortSource is a short label for a cleaned alert source, and the url
// of its first citation's guideline: each citation by knownSources, an
// unknown one cut at its first ":", "," or "(" when long, and at a word
// with "…" when still too long. The full source
// stays in the card's detail.
func shortSource(src string) (label, url string) {
	var parts []string
	for i, c := range citations(src) {
		l, u := c, ""
		for _, k := range knownSources {
			if strings.HasPrefix(c, k.prefix) {
				l, u = k.label, k.url
				break
			}
		}
		if utf8.RuneCountInString(l) > maxLabel {
			if j := strings.IndexAny(l, ":,("); j > 0 {
				l = strings.TrimSpace(l[:j])
			}
		}
		if r := []rune(l); len(r) > maxLabel {
			cut := string(r[:maxLabel-1])
			if j := strings.LastIndexByte(cut, ' '); j > 0 {
				cut = cut[:j]
			}
			l = cut + "…"
		}
		if i == 0 {
			url = u
		}
		if !slices.Contains(parts, l) {
			parts = append(parts, l)
		}
	}
	return strings.Join(parts, "; "), url
}

// citations splits a source into its citations at each "; " outside
// parentheses and before any ": ": a "; " inside one citation's
// parenthesis ("(KDIGO 2012 Figure 9: times per year by G and A category;
// G4-G5 at least 3 times a year)") or in the note after its ": " ("ACR …
// guideline: proteinuria at least every 3 months …; SLE without known
// kidney disease, …") belongs to that citation.
func citations(src string) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(src); i++ {
		switch src[i] {
		case '(':
			depth++
		case ')':
			depth = max(depth-1, 0)
		case ':':
			if depth == 0 && strings.HasPrefix(src[i:], ": ") {
				return append(out, src[start:])
			}
		case ';':
			if depth == 0 && strings.HasPrefix(src[i:], "; ") {
				out = append(out, src[start:i])
				start = i + 2
				i++
			}
		}
	}
	return append(out, src[start:])
}
