package assess

import (
	"fmt"
	"strings"
	"time"

	"renalwatch/lupus"
	"renalwatch/record"
)

// Lupus is the lupus part of the assessment.
type Lupus struct {
	SLEDAI   *SLEDAI    `json:"sledai"`
	Biopsy   *Biopsy    `json:"biopsy"`
	Response *struct{}  `json:"response"` // not computed yet; see Assessment.Missing
	Flares   []struct{} `json:"flares"`
}

// SLEDAI is the latest SLEDAI-2K.
type SLEDAI struct {
	Score int       `json:"score"`
	Date  time.Time `json:"date"`
	// From says how it was obtained: "descriptors" (scored by
	// lupus.SLEDAI2K from the findings of that day) or "reported" (a total
	// the source gave).
	From string `json:"from"`
}

// Biopsy is the latest kidney biopsy read by lupus.Biopsy.
type Biopsy struct {
	Class           string    `json:"class"`
	ActivityIndex   *int      `json:"activity_index"`
	ChronicityIndex *int      `json:"chronicity_index"`
	Date            time.Time `json:"date"`
	NotAssessed     []string  `json:"not_assessed,omitempty"`
}

func assessLupus(a *Assessment, tl *record.Timeline) {
	a.Lupus.Flares = []struct{}{}
	lupusRecord := len(tl.Biopsies) > 0 || len(tl.Findings) > 0
	for _, c := range tl.Conditions {
		if c.Kind == record.SLE || c.Kind == record.LupusNephritis {
			lupusRecord = true
		}
	}
	if !lupusRecord {
		return
	}
	a.miss("lupus nephritis renal response and flares over the timeline (not computed yet)")
	// Latest visit with findings.
	if n := len(tl.Findings); n > 0 {
		day := tl.Findings[n-1].Time
		var items []string
		var reported *float64
		for _, f := range tl.Findings {
			if !sameDay(f.Time, day) {
				continue
			}
			if f.Code == record.FindingSLEDAI2KScore {
				reported = f.Score
			} else if f.Present {
				items = append(items, f.Code)
			}
		}
		switch {
		case len(items) > 0 || reported == nil:
			r, err := lupus.SLEDAI2K(dedupe(items), 10)
			if err != nil {
				a.miss(fmt.Sprintf("SLEDAI-2K on %s: %v", day.Format(time.DateOnly), err))
			} else {
				a.Lupus.SLEDAI = &SLEDAI{Score: r.Score, Date: day, From: "descriptors"}
			}
		default:
			a.Lupus.SLEDAI = &SLEDAI{Score: int(*reported), Date: day, From: "reported"}
		}
	} else {
		a.miss("SLEDAI-2K descriptors (no findings recorded)")
	}
	if n := len(tl.Biopsies); n > 0 {
		b := tl.Biopsies[n-1]
		act := map[string]lupus.BiopsyValue{}
		chr := map[string]lupus.BiopsyValue{}
		put := func(m map[string]lupus.BiopsyValue, key string, v *int) {
			if v != nil {
				m[key] = lupus.BiopsyValue{Score: *v}
			}
		}
		put(act, "endocapillary_hypercellularity", b.EndocapillaryHypercellularity)
		put(act, "neutrophils_karyorrhexis", b.Neutrophils)
		put(act, "fibrinoid_necrosis", b.FibrinoidNecrosis)
		put(act, "hyaline_deposits", b.HyalineDeposits)
		put(act, "cellular_fibrocellular_crescents", b.CellularCrescents)
		put(act, "interstitial_inflammation", b.InterstitialInflammation)
		put(chr, "glomerulosclerosis", b.GlomerularSclerosis)
		put(chr, "fibrous_crescents", b.FibrousCrescents)
		put(chr, "tubular_atrophy", b.TubularAtrophy)
		put(chr, "interstitial_fibrosis", b.InterstitialFibrosis)
		class := strings.Join(b.Classes, "+")
		if class == "" {
			a.miss(fmt.Sprintf("ISN/RPS class of the biopsy on %s", b.Time.Format(time.DateOnly)))
			a.Lupus.Biopsy = &Biopsy{Date: b.Time, ActivityIndex: b.ActivityIndex, ChronicityIndex: b.ChronicityIndex}
			return
		}
		r, err := lupus.Biopsy(class, lupus.ISNRPS2003, act, chr)
		if err != nil {
			a.miss(fmt.Sprintf("biopsy on %s: %v", b.Time.Format(time.DateOnly), err))
			return
		}
		out := &Biopsy{Class: r.Class, ActivityIndex: r.ActivityIndex, ChronicityIndex: r.ChronicityIndex, Date: b.Time, NotAssessed: r.NotAssessed}
		// A report that gives only the totals.
		if out.ActivityIndex == nil && b.ActivityIndex != nil {
			out.ActivityIndex = b.ActivityIndex
		}
		if out.ChronicityIndex == nil && b.ChronicityIndex != nil {
			out.ChronicityIndex = b.ChronicityIndex
		}
		a.Lupus.Biopsy = out
	}
}

func dedupe(items []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, i := range items {
		if !seen[i] {
			seen[i] = true
			out = append(out, i)
		}
	}
	return out
}
