package textfmt

import (
	"strconv"

	"renalwatch/assess"
	"renalwatch/lupus"
	"renalwatch/units"
)

// Paired is d showing a UPCR in the unit it was reported in, not
// converted, when the conversion (as computed or as shown, rounded) would
// fall on the other side of one of the rule's paired levels
// (lupus.UPCRLevel) than the value as reported: a UPCR of 0.48 g/g judged
// a complete response (< 0.5 g/g) reads "0.48 g/g" in an SI text, never
// "54.3 mg/mmol" against KDIGO's "< 50 mg/mmol" (trial 3 #11). Other
// analytes, and rules without levels, show as d does.
func (d Display) Paired(levels []lupus.UPCRLevel) Display {
	if d.Convert == nil || len(levels) == 0 {
		return d
	}
	return Display{Convert: func(an units.Analyte, q units.Quantity) units.Quantity {
		c := d.Show(an, q)
		if an != units.PCR || c.Unit == q.Unit {
			return c
		}
		shown, err := strconv.ParseFloat(Converted(an, c.Value, c.Unit), 64)
		if err != nil {
			return q
		}
		for _, lv := range levels {
			own, other := levelIn(lv, q.Unit), levelIn(lv, c.Unit)
			if own == nil || other == nil {
				continue
			}
			at := q.Value >= own.Value
			if (c.Value >= other.Value) != at || (shown >= other.Value) != at {
				return q
			}
		}
		return c
	}}
}

// AllOrNone returns d when d shows every one of qs, values of analyte an,
// in another unit than its own, or none of them; when it would convert
// some and keep others (Paired keeps a value whose conversion would cross
// a level), it returns the display as reported, so that one line never
// mixes units: "UPCR 0.90 g/g to 3.80 g/g", not "0.90 g/g to 430
// mg/mmol", which reads as a 500-fold rise (trial 5 #3).
func (d Display) AllOrNone(an units.Analyte, qs ...units.Quantity) Display {
	converted := 0
	for _, q := range qs {
		if d.Show(an, q).Unit != q.Unit {
			converted++
		}
	}
	if converted == 0 || converted == len(qs) {
		return d
	}
	return Display{}
}

func levelIn(lv lupus.UPCRLevel, u units.Unit) *units.Quantity {
	for i := range lv {
		if lv[i].Unit == u {
			return &lv[i]
		}
	}
	return nil
}

// AlertsIn returns a copy of alerts whose messages quote their values and
// thresholds as d shows them (assess.Alert.MessageIn). A renal-flare
// alert's UPCRs are Paired with the flare rule's levels, as the report's
// flare line is (Flare), so that the alert and the line never put one
// value in two bands of KDIGO 2012 GN Table 29 ("102 mg/mmol" for a
// baseline of 0.90 g/g; trial 4 #5). flares are the assessment's
// (lupus.flares); all come from one rule.
func AlertsIn(alerts []assess.Alert, flares []assess.FlareEvent, d Display) []assess.Alert {
	flare := d
	if len(flares) > 0 {
		flare = d.Paired(lupus.FlareUPCRLevels(flares[0].Rule))
	}
	c := append([]assess.Alert(nil), alerts...)
	for i := range c {
		show := d.Show
		if c[i].Code == assess.AlertRenalFlare {
			var upcrs []units.Quantity
			for _, q := range c[i].Quotes {
				if q.Analyte == units.PCR && !q.Threshold {
					upcrs = append(upcrs, q.Value)
				}
			}
			show = flare.AllOrNone(units.PCR, upcrs...).Show
		}
		c[i].Message, c[i].Quotes = c[i].MessageIn(show), nil
	}
	return c
}
