package kfre

import (
	"encoding/json"
	"errors"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"

	"renalwatch/ckd"
	"renalwatch/units"
)

func mgg(v float64) units.Quantity { return units.Q(v, units.MgPerG) }

type labs struct{ alb, phos, bic, ca float64 } // g/dL, mg/dL, mmol/L, mg/dL

func (l labs) set(in *Input) {
	in.Albumin = units.Q(l.alb, units.GPerDL)
	in.Phosphate = units.Q(l.phos, units.MgPerDL)
	in.Bicarbonate = units.Q(l.bic, units.MmolPerL)
	in.Calcium = units.Q(l.ca, units.MgPerDL)
}

// TestPredictKfreREADME reproduces the worked example table printed in the
// kfre Python package's README (add_kfre_risk_col on five mock patients,
// is_north_american=False, all three models, 2 and 5 years; values printed
// to 6 decimals, hence the tolerance).
func TestPredictKfreREADME(t *testing.T) {
	const src = "kfre (Python, L. Shpaner) README, add_kfre_risk_col example table, non-North American"
	const tol = 5e-7 + 1e-12
	type row struct {
		age     float64
		sex     ckd.Sex
		egfr    float64
		acr     float64 // mg/g
		dm, htn bool
		labs    labs
		want    [3][2]float64 // [4,6,8-var][2y,5y]
	}
	rows := []row{
		{65, ckd.Male, 19, 30, true, true, labs{3.5, 3.5, 24, 9.5}, [3][2]float64{{0.063123, 0.223128}, {0.060014, 0.209336}, {0.069774, 0.277728}}},
		{70, ckd.Female, 50, 35, false, true, labs{4.0, 4.1, 22, 9.7}, [3][2]float64{{0.00155, 0.005987}, {0.001717, 0.006501}, {0.00303, 0.013559}}},
		{60, ckd.Female, 45, 25, false, false, labs{3.8, 3.9, 25, 9.4}, [3][2]float64{{0.002893, 0.011156}, {0.002773, 0.010484}, {0.004705, 0.020993}}},
		{75, ckd.Male, 22, 40, true, true, labs{3.3, 4.5, 21, 8.8}, [3][2]float64{{0.041757, 0.152247}, {0.039731, 0.142611}, {0.09375, 0.357774}}},
		{80, ckd.Female, 30, 50, true, false, labs{3.7, 3.2, 23, 9.6}, [3][2]float64{{0.013457, 0.051111}, {0.011059, 0.041325}, {0.016574, 0.072424}}},
	}
	for _, r := range rows {
		base := Input{Age: r.age, Sex: r.sex, EGFR: r.egfr, ACR: mgg(r.acr), Region: Other}
		in6 := base
		in6.Diabetes, in6.Hypertension = AnswerOf(r.dm), AnswerOf(r.htn)
		in8 := base
		r.labs.set(&in8)
		for i, in := range []Input{base, in6, in8} {
			got, err := Predict(in)
			if err != nil {
				t.Errorf("Predict(%+v): %v", in, err)
				continue
			}
			if got.Variables != []int{4, 6, 8}[i] {
				t.Errorf("Predict(%+v).Variables = %d", in, got.Variables)
			}
			if math.Abs(got.Risk2y-r.want[i][0]) > tol || math.Abs(got.Risk5y-r.want[i][1]) > tol {
				t.Errorf("%d-var age %v %v eGFR %v ACR %v: 2y %.7f 5y %.7f; want %v ± %g (%s)",
					got.Variables, r.age, r.sex, r.egfr, r.acr, got.Risk2y, got.Risk5y, r.want[i], tol, src)
			}
		}
	}
}

func TestPredict(t *testing.T) {
	const (
		readme = "kfre (Python) README kfre_person example: 57.28 y female, eGFR 15, ACR 1762.00184 mg/g, non-North American: 2y 44.66 %, 5y 89.89 %"
		// Rows below were computed independently of this code with
		// python3 from the formula and constants of kidney.md §2.11
		// (1 - S0 ** math.exp(sum(beta * (x - mean)))), as no published
		// North American worked example was found.
		py = "kidney.md §2.11 formula evaluated independently in python3"
	)
	female72 := Input{Age: 72, Sex: ckd.Female, EGFR: 28, ACR: mgg(800)}
	male55 := Input{Age: 55, Sex: ckd.Male, EGFR: 45, ACR: mgg(120)}
	with := func(in Input, r Region, f func(*Input)) Input {
		in.Region = r
		if f != nil {
			f(&in)
		}
		return in
	}
	six := func(dm, htn bool) func(*Input) {
		return func(in *Input) { in.Diabetes, in.Hypertension = AnswerOf(dm), AnswerOf(htn) }
	}
	eight := func(l labs) func(*Input) { return l.set }
	tests := []struct {
		in       Input
		vars     int
		r2, r5   float64
		tol      float64
		source   string
		warnings Warnings
	}{
		{Input{Age: 57.28, Sex: ckd.Female, EGFR: 15, ACR: mgg(1762.001840), Region: Other}, 4, 0.4466, 0.8989, 5e-5, readme, 0},
		{with(male55, NorthAmerica, nil), 4, 0.012470734327208355, 0.03842136773014582, 1e-12, py, 0},
		{with(male55, Other, nil), 4, 0.008362746529991694, 0.03199542475510697, 1e-12, py, 0},
		{with(female72, NorthAmerica, nil), 4, 0.09997874424449882, 0.2802605464095681, 1e-12, py, 0},
		{with(female72, Other, nil), 4, 0.06806446388244125, 0.2388755085552693, 1e-12, py, 0},
		{with(female72, NorthAmerica, six(false, true)), 6, 0.10941763444604113, 0.30356513594487666, 1e-12, py, Warnings(WarnBorrowedBaseline)},
		{with(female72, Other, six(false, true)), 6, 0.07547762208099928, 0.25757597305436153, 1e-12, py, Warnings(WarnBorrowedBaseline)},
		{with(male55, NorthAmerica, six(true, true)), 6, 0.011965095996412045, 0.03688339303541699, 1e-12, py, Warnings(WarnBorrowedBaseline)},
		{with(male55, Other, six(true, true)), 6, 0.008118936871892135, 0.030464539853475747, 1e-12, py, Warnings(WarnBorrowedBaseline)},
		{with(female72, NorthAmerica, eight(labs{3.4, 4.6, 22, 9.8})), 8, 0.11930161043670862, 0.33888148192630163, 1e-12, py, 0},
		{with(female72, Other, eight(labs{3.4, 4.6, 22, 9.8})), 8, 0.0948560541172162, 0.3612933160331516, 1e-12, py, 0},
		{with(male55, NorthAmerica, eight(labs{4.2, 3.3, 24, 9.1})), 8, 0.011269611724593731, 0.03624504996097622, 1e-12, py, 0},
		{with(male55, Other, eight(labs{4.2, 3.3, 24, 9.1})), 8, 0.008851650644713716, 0.039205727856763906, 1e-12, py, 0},
		// ACR in mg/mmol is converted to mg/g (x 8.84) before the log.
		{Input{Age: 70, Sex: ckd.Male, EGFR: 20, ACR: units.Q(30, units.MgPerMmol), Region: NorthAmerica}, 4, 0.18831802924248575, 0.47868627353725657, 1e-12, py + " with ACR 30 mg/mmol = 265.2 mg/g", 0},
		{Input{Age: 70, Sex: ckd.Male, EGFR: 20, ACR: units.Q(0.2652, units.GPerG), Region: Other}, 4, 0.13031718641654466, 0.41763846938886917, 1e-12, py + " with ACR 0.2652 g/g = 265.2 mg/g", 0},
		// Outside the validated population: computed, and warned.
		{Input{Age: 50, Sex: ckd.Female, EGFR: 75, ACR: mgg(10), Region: NorthAmerica}, 4, 0.0001264442894394202, 0.00039471116090195046, 1e-15, py + " (eGFR >= 60)", Warnings(WarnEGFRAtLeast60)},
	}
	for _, tt := range tests {
		got, err := Predict(tt.in)
		if err != nil {
			t.Errorf("Predict(%+v): %v", tt.in, err)
			continue
		}
		if got.Variables != tt.vars || got.Region != tt.in.Region || got.Warnings != tt.warnings {
			t.Errorf("Predict(%+v) = %d-var %v warnings %v; want %d-var %v warnings %v", tt.in, got.Variables, got.Region, got.Warnings.Strings(), tt.vars, tt.in.Region, tt.warnings.Strings())
		}
		if math.Abs(got.Risk2y-tt.r2) > tt.tol || math.Abs(got.Risk5y-tt.r5) > tt.tol {
			t.Errorf("Predict(%+v) = 2y %v, 5y %v; want %v, %v ± %g (%s)", tt.in, got.Risk2y, got.Risk5y, tt.r2, tt.r5, tt.tol, tt.source)
		}
	}
}

func TestPredictBoundaries(t *testing.T) {
	const src = "Tangri 2011/2016: developed and validated in adults with eGFR < 60; kidney.md §2.11"
	base := Input{Age: 60, Sex: ckd.Female, EGFR: 30, ACR: mgg(300), Region: NorthAmerica}
	tests := []struct {
		age, egfr float64
		want      Warnings
	}{
		{60, 59.999, 0},
		{60, 60, Warnings(WarnEGFRAtLeast60)},
		{18, 30, 0},
		{17.99, 30, Warnings(WarnUnder18)},
		{17, 90, Warnings(WarnUnder18 | WarnEGFRAtLeast60)},
		{60, 0.1, 0},
		{60, 300, Warnings(WarnEGFRAtLeast60)},
		{0.5, 30, Warnings(WarnUnder18)},
		{125, 30, 0},
	}
	for _, tt := range tests {
		in := base
		in.Age, in.EGFR = tt.age, tt.egfr
		got, err := Predict(in)
		if err != nil || got.Warnings != tt.want {
			t.Errorf("age %v eGFR %v: warnings %v, %v; want %v (%s)", tt.age, tt.egfr, got.Warnings.Strings(), err, tt.want.Strings(), src)
		}
		if err == nil && !(got.Risk2y > 0 && got.Risk2y < got.Risk5y && got.Risk5y < 1) {
			t.Errorf("age %v eGFR %v: risks %v, %v not 0 < 2y < 5y < 1", tt.age, tt.egfr, got.Risk2y, got.Risk5y)
		}
	}
}

func TestPredictRejects(t *testing.T) {
	ok := Input{Age: 60, Sex: ckd.Female, EGFR: 30, ACR: mgg(300), Region: NorthAmerica}
	mod := func(f func(*Input)) Input { in := ok; f(&in); return in }
	tests := []struct {
		name  string
		in    Input
		want  error  // sentinel
		field string // for *InputError, *units.RangeError, *units.UnitError
	}{
		{"ACR 0", mod(func(in *Input) { in.ACR = mgg(0) }), ErrInput, "acr"},
		{"ACR 0 mg/mmol", mod(func(in *Input) { in.ACR = units.Q(0, units.MgPerMmol) }), ErrInput, "acr"},
		{"ACR negative", mod(func(in *Input) { in.ACR = mgg(-3) }), units.ErrImplausible, "acr"},
		{"ACR NaN", mod(func(in *Input) { in.ACR = mgg(math.NaN()) }), units.ErrImplausible, "acr"},
		{"ACR not given", mod(func(in *Input) { in.ACR = units.Quantity{} }), units.ErrIncompatible, "acr"},
		{"ACR in mg/dL", mod(func(in *Input) { in.ACR = units.Q(30, units.MgPerDL) }), units.ErrIncompatible, "acr"},
		{"eGFR NaN", mod(func(in *Input) { in.EGFR = math.NaN() }), units.ErrImplausible, "egfr"},
		{"eGFR negative", mod(func(in *Input) { in.EGFR = -1 }), units.ErrImplausible, "egfr"},
		{"eGFR 0 (no measurement)", mod(func(in *Input) { in.EGFR = 0 }), ErrInput, "egfr"},
		{"age 0", mod(func(in *Input) { in.Age = 0 }), ErrInput, "age"},
		{"eGFR above 300", mod(func(in *Input) { in.EGFR = 301 }), units.ErrImplausible, "egfr"},
		{"age NaN", mod(func(in *Input) { in.Age = math.NaN() }), ErrInput, "age"},
		{"age negative", mod(func(in *Input) { in.Age = -1 }), ErrInput, "age"},
		{"age above 125", mod(func(in *Input) { in.Age = 126 }), ErrInput, "age"},
		{"sex not given", mod(func(in *Input) { in.Sex = 0 }), ErrInput, "sex"},
		{"sex other", mod(func(in *Input) { in.Sex = 3 }), ErrInput, "sex"},
		{"region not given", mod(func(in *Input) { in.Region = 0 }), ErrInput, "region"},
		{"diabetes answer out of range", mod(func(in *Input) { in.Diabetes, in.Hypertension = Answer(7), No }), ErrInput, "diabetes"},
		{"calcium below range", mod(func(in *Input) {
			labs{4, 4, 24, 9}.set(in)
			in.Calcium = units.Q(9, units.MmolPerL)
		}), units.ErrImplausible, "calcium"},
		{"albumin in a wrong unit", mod(func(in *Input) {
			labs{4, 4, 24, 9}.set(in)
			in.Albumin = units.Q(4, units.MgPerG)
		}), units.ErrIncompatible, "albumin"},
	}
	for _, tt := range tests {
		got, err := Predict(tt.in)
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: Predict = %+v, %v; want an error wrapping %v", tt.name, got, err, tt.want)
			continue
		}
		if f := errField(err); f != tt.field {
			t.Errorf("%s: error %q names field %q, want %q", tt.name, err, f, tt.field)
		}
	}
}

func TestPredictWarnsOnLikelyMmolLabs(t *testing.T) {
	// Reviewer's case: calcium 2.4 and phosphate 1.2 are mmol/L values; typed
	// as mg/dL the 8-variable risk changes severalfold. Calcium 2.4 mg/dL is
	// below the plausible range (units); phosphate 1.2 mg/dL is possible, so
	// it warns. Thresholds: phosphate < 2 mg/dL, calcium < 5 mg/dL.
	in := Input{Age: 60, Sex: ckd.Female, EGFR: 30, ACR: mgg(300), Region: NorthAmerica}
	labs{4, 1.2, 24, 9.4}.set(&in)
	got, err := Predict(in)
	if err != nil || !got.Warnings.Has(WarnLowPhosphate) || got.Warnings.Has(WarnLowCalcium) {
		t.Errorf("phosphate 1.2 mg/dL: warnings %v, %v; want the low-phosphate warning only", got.Warnings.Strings(), err)
	}
	labs{4, 3.7, 24, 4.8}.set(&in)
	if got, err = Predict(in); err != nil || !got.Warnings.Has(WarnLowCalcium) || got.Warnings.Has(WarnLowPhosphate) {
		t.Errorf("calcium 4.8 mg/dL: warnings %v, %v; want the low-calcium warning only", got.Warnings.Strings(), err)
	}
	labs{4, 2, 24, 5}.set(&in) // exactly at the thresholds: no warning
	if got, err = Predict(in); err != nil || got.Warnings != 0 {
		t.Errorf("phosphate 2, calcium 5 mg/dL: warnings %v, %v; want none", got.Warnings.Strings(), err)
	}
	in.Phosphate, in.Calcium = units.Q(0.6, units.MmolPerL), units.Q(1.2, units.MmolPerL) // 1.86 and 4.8 mg/dL, given in mmol/L: deliberate
	if got, err = Predict(in); err != nil || got.Warnings != 0 {
		t.Errorf("labs given in mmol/L: warnings %v, %v; want none", got.Warnings.Strings(), err)
	}
}

func errField(err error) string {
	var ie *InputError
	var re *units.RangeError
	var ue *units.UnitError
	switch {
	case errors.As(err, &ie):
		return ie.Field
	case errors.As(err, &re):
		return re.Field
	case errors.As(err, &ue):
		return ue.Field
	}
	return ""
}

func TestPredictMissingAndConflict(t *testing.T) {
	ok := Input{Age: 60, Sex: ckd.Female, EGFR: 30, ACR: mgg(300), Region: Other}
	tests := []struct {
		name string
		f    func(*Input)
		want error
	}{
		{"8-var without albumin and bicarbonate", func(in *Input) {
			in.Calcium, in.Phosphate = units.Q(9.4, units.MgPerDL), units.Q(1.2, units.MmolPerL)
		}, &MissingError{Variables: 8, Needs: []string{"calcium", "phosphate", "bicarbonate", "albumin"}, Missing: []string{"bicarbonate", "albumin"}}},
		{"8-var with only albumin", func(in *Input) { in.Albumin = units.Q(38, units.GPerL) },
			&MissingError{Variables: 8, Needs: []string{"calcium", "phosphate", "bicarbonate", "albumin"}, Missing: []string{"calcium", "phosphate", "bicarbonate"}}},
		{"6-var without hypertension", func(in *Input) { in.Diabetes = No },
			&MissingError{Variables: 6, Needs: []string{"diabetes", "hypertension"}, Missing: []string{"hypertension"}}},
		{"6-var without diabetes", func(in *Input) { in.Hypertension = Yes },
			&MissingError{Variables: 6, Needs: []string{"diabetes", "hypertension"}, Missing: []string{"diabetes"}}},
		{"6 and 8 together", func(in *Input) {
			in.Diabetes, in.Hypertension = Yes, No
			labs{4, 4, 24, 9}.set(in)
		}, &ConflictError{}},
	}
	for _, tt := range tests {
		in := ok
		tt.f(&in)
		_, err := Predict(in)
		if !errors.Is(err, ErrInput) {
			t.Errorf("%s: error %v does not wrap ErrInput", tt.name, err)
		}
		if diff := cmp.Diff(tt.want, err); diff != "" {
			t.Errorf("%s: error (-want +got):\n%s", tt.name, diff)
		}
	}
}

// TestSixVarBaseline pins the 6-variable S0 to the borrowed values and
// checks that every 6-variable result says so.
func TestSixVarBaseline(t *testing.T) {
	const src = "kidney.md §2.11: kfre's 6-var S0 = 4-var NA (0.9750/0.9240) and 4-var non-NA rounded (0.9830/0.9370)"
	want := [Other + 1][2]float64{NorthAmerica: {0.9750, 0.9240}, Other: {0.9830, 0.9370}}
	if model6.s0 != want {
		t.Errorf("6-var S0 = %v, want %v (%s)", model6.s0, want, src)
	}
	for _, r := range []Region{NorthAmerica, Other} {
		got, err := Predict(Input{Age: 60, Sex: ckd.Male, EGFR: 30, ACR: mgg(100), Region: r, Diabetes: No, Hypertension: No})
		if err != nil || !got.Warnings.Has(WarnBorrowedBaseline) || got.Source != source6 {
			t.Errorf("%v 6-var: warnings %v source %q, %v; want the borrowed-baseline warning and source", r, got.Warnings.Strings(), got.Source, err)
		}
	}
}

func TestLnS0(t *testing.T) {
	for _, m := range []*model{&model4, &model6, &model8} {
		for r := NorthAmerica; r <= Other; r++ {
			for h := range 2 {
				if got, want := math.Exp(m.lnS0[r][h]), m.s0[r][h]; math.Abs(got-want) > 1e-15 {
					t.Errorf("%d-var %v h%d: exp(lnS0) = %v, want S0 %v", m.vars, r, h, got, want)
				}
			}
		}
	}
}

func TestResultJSON(t *testing.T) {
	in := Input{Age: 72, Sex: ckd.Female, EGFR: 28, ACR: units.Q(90.5, units.MgPerMmol), Region: NorthAmerica, Diabetes: No, Hypertension: Yes}
	res, err := Predict(in)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	inputs := got["inputs"].(map[string]any)
	if got["variables"] != 6.0 || got["region"] != "north-america" || inputs["diabetes"] != false || inputs["hypertension"] != true || inputs["sex"] != "female" {
		t.Errorf("JSON %s", b)
	}
	if _, ok := inputs["albumin"]; ok {
		t.Errorf("JSON %s has an albumin that was not given", b)
	}
	if w, ok := got["warnings"].([]any); !ok || len(w) != 1 {
		t.Errorf("JSON warnings = %v, want one", got["warnings"])
	}
	if b, err := json.Marshal(Result{}); err == nil {
		t.Errorf("the zero Result marshalled to %s; want an error (no region, no sex)", b)
	}
}

func TestParseRegion(t *testing.T) {
	for s, want := range map[string]Region{"north-america": NorthAmerica, "other": Other} {
		got, err := ParseRegion(s)
		if err != nil || got != want || got.String() != s {
			t.Errorf("ParseRegion(%q) = %v, %v", s, got, err)
		}
	}
	for _, bad := range []string{"", "na", "europe", "North-America"} {
		if _, err := ParseRegion(bad); !errors.Is(err, ErrInput) {
			t.Errorf("ParseRegion(%q) error = %v, want ErrInput", bad, err)
		}
	}
}
