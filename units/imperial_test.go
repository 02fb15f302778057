package units_test

import (
	"errors"
	"strings"
	"testing"

	"renalwatch/units"
)

// The factors are exact by definition (international yard and pound, 1959;
// UCUM [in_i] = 2.54 cm, [ft_i] = 12 [in_i], [lb_av] = 0.45359237 kg), so
// the expected values are the decimal products, correctly rounded.
func TestImperialHeightWeight(t *testing.T) {
	tests := []struct {
		in   string
		a    units.Analyte
		want float64 // canonical: cm or kg
		raw  units.Quantity
	}{
		{"5ft7in", units.Height, 170.18, units.Q(67, units.Inch)},
		{"5ft 7.5in", units.Height, 171.45, units.Q(67.5, units.Inch)},
		{`5'7"`, units.Height, 170.18, units.Q(67, units.Inch)},
		{"5FT7IN", units.Height, 170.18, units.Q(67, units.Inch)},
		{"67in", units.Height, 170.18, units.Q(67, units.Inch)},
		{"63 inches", units.Height, 160.02, units.Q(63, units.Inch)},
		{"6ft", units.Height, 182.88, units.Q(6, units.Foot)},
		{"5ft0in", units.Height, 152.4, units.Q(60, units.Inch)},
		{"154lb", units.Weight, 69.85322498, units.Q(154, units.Pound)},
		{"150lbs", units.Weight, 68.0388555, units.Q(150, units.Pound)},
		{"1[lb_av]", units.Weight, 0.45359237, units.Q(1, units.Pound)},
	}
	for _, tt := range tests {
		q, err := units.Parse(tt.in)
		if err != nil || q != tt.raw {
			t.Errorf("Parse(%q) = %v, %v; want %v", tt.in, q, err, tt.raw)
			continue
		}
		c, err := tt.a.Normalize("--x", q)
		if err != nil || c.Value != tt.want || c.Unit != tt.a.Canonical() {
			t.Errorf("%s.Normalize(%v) = %v, %v; want %v %s", tt.a, q, c, err, tt.want, tt.a.Canonical())
		}
	}
	// And back: 170.18 cm is 67 in; 30.48 cm is 1 ft; 0.45359237 kg is 1 lb.
	for _, tt := range []struct {
		q    units.Quantity
		to   units.Unit
		want float64
	}{{units.Q(170.18, units.Cm), units.Inch, 67}, {units.Q(30.48, units.Cm), units.Foot, 1}, {units.Q(0.45359237, units.Kg), units.Pound, 1}, {units.Q(1, units.Foot), units.Inch, 12}} {
		got, err := tt.q.ConvertTo(tt.to)
		if err != nil || got.Value != tt.want {
			t.Errorf("%v to %s = %v, %v; want %v", tt.q, tt.to, got, err, tt.want)
		}
	}
	if s := units.Inch.Display() + units.Foot.Display() + units.Pound.Display() + units.Cm.Display(); s != "inftlbcm" {
		t.Errorf("symbols: %q", s)
	}
	// Pounds are not a length nor inches a mass.
	if _, err := units.Weight.Normalize("--weight", units.Q(67, units.Inch)); !errors.Is(err, units.ErrIncompatible) {
		t.Errorf("weight in inches: %v", err)
	}
}

func TestFeetInchesRejected(t *testing.T) {
	for _, in := range []string{"5ft13in", "5ft12in", "5.5ft7in", "5ft7", `5'7`, "5ft7cm"} {
		_, err := units.Parse(in)
		if !errors.Is(err, units.ErrSyntax) || !strings.Contains(err.Error(), "5ft7in") {
			t.Errorf("Parse(%q): %v; want a syntax error with the 5ft7in hint", in, err)
		}
	}
}

func TestDecimalComma(t *testing.T) {
	tests := []struct{ in, hint string }{
		{"1,4mg/dL", "use a decimal point: 1.4mg/dL"},
		{"1,4 mg/dL", "use a decimal point: 1.4 mg/dL"},
		{"0,85mg/L", "use a decimal point: 0.85mg/L"},
		{"62,5", "use a decimal point: 62.5"},
		// Three digits after the comma may be a thousands separator: both
		// readings are named, neither is chosen.
		{"1,000mg/g", "1.000mg/g if the comma is a decimal comma, or 1000mg/g if it separates thousands"},
	}
	for _, tt := range tests {
		_, err := units.Parse(tt.in)
		if !errors.Is(err, units.ErrSyntax) || !strings.Contains(err.Error(), tt.hint) {
			t.Errorf("Parse(%q): %v; want ErrSyntax with %q", tt.in, err, tt.hint)
		}
	}
	if _, ok := units.DecimalCommaHint("1.4mg/dL"); ok {
		t.Error("no comma: no hint")
	}
}

func TestAnalyteParseListsItsUnits(t *testing.T) {
	tests := []struct {
		a        units.Analyte
		in, want string
		notWant  string
		sentinel error
	}{
		{units.Creatinine, "1.2mgdl", "creatinine takes mg/dL, umol/L, mmol/L", "mm[Hg]", units.ErrUnknownUnit},
		{units.Creatinine, "1.2", "write the unit in the same token; creatinine takes mg/dL, umol/L, mmol/L", "kg", units.ErrNoUnit},
		{units.Height, "170 cms", "height takes cm, m, in, ft, 5ft7in", "mg/dL", units.ErrUnknownUnit},
		{units.Weight, "70 kilo", "weight takes kg, g, lb", "cm", units.ErrUnknownUnit},
	}
	for _, tt := range tests {
		_, err := tt.a.Parse(tt.in)
		if !errors.Is(err, tt.sentinel) || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), tt.notWant) {
			t.Errorf("%s.Parse(%q): %v; want %q and not %q", tt.a, tt.in, err, tt.want, tt.notWant)
		}
	}
	if q, err := units.Creatinine.Parse("106umol/L"); err != nil || q != units.Q(106, units.UmolPerL) {
		t.Errorf("Creatinine.Parse(106umol/L) = %v, %v", q, err)
	}
}

func TestRangeErrorImperial(t *testing.T) {
	_, err := units.Weight.Normalize("--weight", units.Q(1200, units.Pound))
	want := "--weight: weight 1200 lb is implausible; expected 0.661387 to 1102.31 lb (did you mean 1200 g?)"
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
	_, err = units.Height.Normalize("--height", units.Q(170, units.Inch))
	want = "--height: height 170 in is implausible; expected 7.87402 to 102.362 in (did you mean 170 cm?)"
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}
