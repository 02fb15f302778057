package server

import (
	"time"

	"renalwatch/assess"
	"renalwatch/internal/textfmt"
	"renalwatch/record"
)

// The kidney an eGFR describes, by kidney replacement therapy (KRT):
// before any transplant the native kidneys, after one the graft. On
// dialysis the assessment computes no eGFR (KDIGO 2024 CKD guideline,
// Kidney Int 2024;105(4S):S117-S314: eGFR is not applicable on dialysis;
// creatinine then reflects dialysis, not kidney function), so no point of
// the chart falls in a dialysis period. Native kidney and graft are
// different series: the line never joins a native eGFR to a graft eGFR,
// nor two values with a KRT event between them (trial 3 #13: the native
// eGFR 8 joined to the graft eGFR 52 read as recovery).
const (
	kidneyNative = "native"
	kidneyGraft  = "graft"
)

// kidneySeries is one eGFR series of the chart; Colour is checked for
// contrast against the G bands (TestChartContrast).
type kidneySeries struct {
	Kidney string `json:"kidney"`
	Label  string `json:"label"`
	Colour string `json:"colour"`
}

var kidneySeriesStyle = map[string]kidneySeries{
	kidneyNative: {kidneyNative, "eGFR, native kidneys", "#0d47a1"},
	kidneyGraft:  {kidneyGraft, "eGFR, kidney graft", "#00695c"},
}

// krtStyle is how the charts draw the KRT periods: a hatched band for a
// dialysis period, a solid line at a transplant, each labelled in text on
// a white box (TestChartContrast checks the colours).
type krtStyle struct {
	DialysisFill   string `json:"dialysis_fill"`   // band, drawn translucent over the G bands
	DialysisHatch  string `json:"dialysis_hatch"`  // diagonal hatching of the band
	DialysisText   string `json:"dialysis_text"`   // its label
	TransplantLine string `json:"transplant_line"` // the marker line and its label
}

var krtColours = krtStyle{DialysisFill: "rgba(66,66,66,0.16)", DialysisHatch: "#616161", DialysisText: "#212121", TransplantLine: "#00695c"}

// krtSpan is one KRT period drawn on the charts: a dialysis period
// (assess.Replacement merges the sessions) from Start to End, End null
// while ongoing at as_of (drawn to the end of the axis); a transplant,
// drawn as a marker at Start (End null).
type krtSpan struct {
	Kind  string `json:"kind"`  // "dialysis" or "transplant"
	Title string `json:"title"` // "haemodialysis", "kidney transplant"
	Start int64  `json:"start"`
	End   *int64 `json:"end"`
	From  string `json:"from"`
	To    string `json:"to"`   // "" for a transplant, "ongoing" for a dialysis period ongoing
	Text  string `json:"text"` // the report's KRT line (textfmt.KRT)
}

// krtSpans are the assessment's KRT periods as the charts draw them.
func krtSpans(reps []assess.Replacement) []krtSpan {
	out := []krtSpan{}
	for _, r := range reps {
		s := krtSpan{Kind: "dialysis", Title: record.ReplacementTitle(r.Kind), Start: r.Start.Unix(), From: r.Start.Format(date), Text: textfmt.KRT(r)}
		switch {
		case r.Kind == record.KidneyTransplant.String():
			s.Kind = "transplant"
		case r.End != nil:
			e := r.End.Unix()
			s.End, s.To = &e, r.End.Format(date)
		default:
			s.To = "ongoing"
		}
		out = append(out, s)
	}
	return out
}

// kidneyAt is the kidney an eGFR taken at t describes: the graft after a
// transplant (a value on the day of the transplant is from before it, as
// the assessment reads it), else the native kidneys.
func kidneyAt(reps []assess.Replacement, t time.Time) string {
	for _, r := range reps {
		if r.Kind == record.KidneyTransplant.String() && t.After(r.Start) {
			return kidneyGraft
		}
	}
	return kidneyNative
}

// krtBetween reports whether a KRT period starts or ends strictly between
// a and b: two values on either side are not joined.
func krtBetween(reps []assess.Replacement, a, b time.Time) bool {
	for _, r := range reps {
		if r.Start.After(a) && r.Start.Before(b) {
			return true
		}
		if r.End != nil && r.End.After(a) && r.End.Before(b) {
			return true
		}
	}
	return false
}

// segmentEGFR sets each eGFR point's kidney and segment: consecutive
// points share a segment (the chart joins them) only when they describe
// the same kidney and no KRT period starts or ends between them. It
// returns the series present, native first.
func segmentEGFR(pts []egfrPoint, reps []assess.Replacement) []kidneySeries {
	seg := 0
	var seen map[string]bool
	for i := range pts {
		t := time.Unix(pts[i].T, 0)
		pts[i].Kidney = kidneyAt(reps, t)
		if i > 0 && (pts[i].Kidney != pts[i-1].Kidney || krtBetween(reps, time.Unix(pts[i-1].T, 0), t)) {
			seg++
		}
		pts[i].Segment = seg
		if seen == nil {
			seen = map[string]bool{}
		}
		seen[pts[i].Kidney] = true
	}
	out := []kidneySeries{}
	for _, k := range []string{kidneyNative, kidneyGraft} {
		if seen[k] {
			out = append(out, kidneySeriesStyle[k])
		}
	}
	return out
}

// krtKey is the sentence above the eGFR chart that says how the KRT
// periods are drawn; "" without KRT.
func krtKey(spans []krtSpan) string {
	var dialysis, transplant bool
	for _, s := range spans {
		if s.Kind == "transplant" {
			transplant = true
		} else {
			dialysis = true
		}
	}
	s := ""
	if dialysis {
		s = "Hatched grey band: dialysis (no eGFR is computed on dialysis: creatinine then does not measure kidney function, KDIGO 2024 CKD guideline). "
	}
	if transplant {
		s += "Solid green vertical line: kidney transplant; after it the eGFR (green) describes the graft, before it (blue) the native kidneys. "
	}
	if s != "" {
		s += "The eGFR line is broken at each start or end of kidney replacement therapy (the periods are listed in the table below the chart)."
	}
	return s
}

// segmentProtein sets the segment of each UPCR and ACR point (sorted by
// time) as segmentEGFR does for eGFR: proteinuria of the native kidneys
// and of a graft are not joined, nor values with a KRT period between.
func segmentProtein(pts []proteinPoint, reps []assess.Replacement) {
	seg := 0
	for i := range pts {
		t := time.Unix(pts[i].T, 0)
		if i > 0 && (kidneyAt(reps, t) != kidneyAt(reps, time.Unix(pts[i-1].T, 0)) || krtBetween(reps, time.Unix(pts[i-1].T, 0), t)) {
			seg++
		}
		pts[i].Segment = seg
	}
}
