package egfr

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"renalwatch/units"
)

func cr(v float64) units.Quantity  { return units.Q(v, units.MgPerDL) }
func cys(v float64) units.Quantity { return units.Q(v, units.MgPerL) }
func cm(v float64) units.Quantity  { return units.Q(v, units.Cm) }
func kg(v float64) units.Quantity  { return units.Q(v, units.Kg) }

// Sources of the expected values.
const (
	srcKidneyEpi = "kidney.epi 1.3.0 reference-page example (2 dp)"
	srcCKiD      = "CKiD study worked example, ckidstudy/CKiD_U25 R code (1 dp); docs/kidney.md §2.8"
	srcPy        = "formula in docs/kidney.md, computed independently in egfr/testdata/reference.py"
	exact        = 1e-9
	dp2          = 0.005 + 1e-9
	dp1          = 0.05 + 1e-9
)

type row struct {
	eq     string
	in     Input
	want   float64
	tol    float64 // absolute, mL/min/1.73 m2 (mL/min for cockcroft-gault)
	source string
}

func TestCompute(t *testing.T) {
	rows := []row{
		// Published examples.
		{"ckd-epi-2021", Input{Creatinine: cr(1.4), Age: 60, Sex: Male}, 57.54, dp2, srcKidneyEpi + " egfr.ckdepi.cr.2021"},
		{"ckd-epi-2021-cys", Input{Creatinine: cr(1.4), CystatinC: cys(0.8), Age: 60, Sex: Male}, 83.97, dp2, srcKidneyEpi + " egfr.ckdepi.cr_cys.2021"},
		{"ckd-epi-2009", Input{Creatinine: cr(1.4), Age: 60, Sex: Male}, 54.22, dp2, srcKidneyEpi + " egfr.ckdepi.cr.2009"},
		{"mdrd-186", Input{Creatinine: cr(1.4), Age: 60, Sex: Male}, 54.94, dp2, srcKidneyEpi + " egfr.mdrd4 (its default is non-IDMS, 186)"},
		{"ekfc", Input{Creatinine: cr(1.4), Age: 60, Sex: Male}, 53.56, dp2, srcKidneyEpi + " egfr.ekfc.cr (Q 80 umol/L)"},
		{"ekfc-cys", Input{CystatinC: cys(0.8), Age: 60}, 90.50, dp2, srcKidneyEpi + " egfr.ekfc.cys"},
		{"schwartz", Input{Creatinine: cr(1.4), Height: cm(90), Age: 10}, 26.55, dp2, srcKidneyEpi + " egfr.schwartz (classic)"},
		{"schwartz", Input{Creatinine: cr(0.5), Height: cm(120), Age: 8}, 99.12, dp2, "R egfr_schwartz(creatinine = 0.5, height = 120) documented example"},
		{"ckid-u25", Input{Creatinine: cr(0.9), Height: cm(120), Age: 11, Sex: Male}, 51.6, dp1, srcCKiD},
		{"ckid-u25-cys", Input{CystatinC: cys(1.3), Age: 11, Sex: Male}, 64.2, dp1, srcCKiD},
		{"ckid-u25-avg", Input{Creatinine: cr(0.9), CystatinC: cys(1.3), Height: cm(120), Age: 11, Sex: Male}, 57.9, dp1, srcCKiD},
		{"ckid-u25", Input{Creatinine: cr(0.9), Height: cm(120), Age: 11, Sex: Female}, 47.8, dp1, srcCKiD},
		{"ckid-u25-cys", Input{CystatinC: cys(1.3), Age: 11, Sex: Female}, 61.2, dp1, srcCKiD},
		{"ckid-u25-avg", Input{Creatinine: cr(0.9), CystatinC: cys(1.3), Height: cm(120), Age: 11, Sex: Female}, 54.5, dp1, srcCKiD},
		{"ckid-u25", Input{Creatinine: cr(1.9), Height: cm(160), Age: 15, Sex: Male}, 37.5, dp1, srcCKiD + "; Trap 1 (kidney.epi: 35.20)"},
		{"ckid-u25-cys", Input{CystatinC: cys(1.6), Age: 15, Sex: Male}, 54.5, dp1, srcCKiD},
		{"ckid-u25-avg", Input{Creatinine: cr(1.9), CystatinC: cys(1.6), Height: units.Q(1.6, units.M), Age: 15, Sex: Male}, 46.0, dp1, srcCKiD + " (height in m)"},
		{"ckid-u25", Input{Creatinine: cr(1.9), Height: cm(160), Age: 15, Sex: Female}, 32.5, dp1, srcCKiD},
		{"ckid-u25-cys", Input{CystatinC: cys(1.6), Age: 15, Sex: Female}, 46.1, dp1, srcCKiD},
		{"ckid-u25-avg", Input{Creatinine: cr(1.9), CystatinC: cys(1.6), Height: cm(160), Age: 15, Sex: Female}, 39.3, dp1, srcCKiD},
		{"ckid-u25", Input{Creatinine: cr(2.1), Height: cm(181), Age: 20, Sex: Male}, 43.8, dp1, srcCKiD},
		{"ckid-u25-cys", Input{CystatinC: cys(1.8), Age: 20, Sex: Male}, 42.8, dp1, srcCKiD},
		{"ckid-u25-avg", Input{Creatinine: cr(2.1), CystatinC: cys(1.8), Height: cm(181), Age: 20, Sex: Male}, 43.3, dp1, srcCKiD},
		{"ckid-u25", Input{Creatinine: cr(2.1), Height: cm(181), Age: 20, Sex: Female}, 35.7, dp1, srcCKiD},
		{"ckid-u25-cys", Input{CystatinC: cys(1.8), Age: 20, Sex: Female}, 37.9, dp1, srcCKiD + "; Trap 2 (kidney.epi: 23.00)"},
		{"ckid-u25-avg", Input{Creatinine: cr(2.1), CystatinC: cys(1.8), Height: cm(181), Age: 20, Sex: Female}, 36.8, dp1, srcCKiD},

		// CKD-EPI 2021 creatinine: kappa 0.7 / 0.9 just below, at, just above.
		{"ckd-epi-2021", Input{Creatinine: cr(0.699), Age: 50, Sex: Female}, 105.33388577851699, exact, srcPy},
		{"ckd-epi-2021", Input{Creatinine: cr(0.7), Age: 50, Sex: Female}, 105.29760114914401, exact, srcPy},
		{"ckd-epi-2021", Input{Creatinine: cr(0.701), Age: 50, Sex: Female}, 105.11737420299474, exact, srcPy},
		{"ckd-epi-2021", Input{Creatinine: cr(0.899), Age: 50, Sex: Male}, 104.08395249375921, exact, srcPy},
		{"ckd-epi-2021", Input{Creatinine: cr(0.9), Age: 50, Sex: Male}, 104.0490129932253, exact, srcPy},
		{"ckd-epi-2021", Input{Creatinine: cr(0.901), Age: 50, Sex: Male}, 103.9104503365281, exact, srcPy},
		{"ckd-epi-2021", Input{Creatinine: units.Q(62, units.UmolPerL), Age: 50, Sex: Female}, 105.0530863377988, exact, srcPy + "; Trap 8: kappa is 0.7 mg/dL (61.88 umol/L), so 62 umol/L is above it"},
		{"ckd-epi-2021", Input{Creatinine: cr(1.2), Age: 18, Sex: Female}, 67.2900534105557, exact, srcPy + "; Trap 3: age 18 is computed"},
		{"ckd-epi-2021", Input{Creatinine: cr(1.0), Age: 100, Sex: Male}, 67.18597076931397, exact, srcPy + "; Trap 3: age 100 is computed"},
		// CKD-EPI 2021 creatinine-cystatin C.
		{"ckd-epi-2021-cys", Input{Creatinine: cr(0.699), CystatinC: cys(0.799), Age: 50, Sex: Female}, 107.0085516341805, exact, srcPy},
		{"ckd-epi-2021-cys", Input{Creatinine: cr(0.7), CystatinC: cys(0.8), Age: 50, Sex: Female}, 106.9318450861178, exact, srcPy},
		{"ckd-epi-2021-cys", Input{Creatinine: cr(0.701), CystatinC: cys(0.801), Age: 50, Sex: Female}, 106.74504014920767, exact, srcPy},
		{"ckd-epi-2021-cys", Input{Creatinine: cr(0.899), CystatinC: cys(1.5), Age: 70, Sex: Male}, 62.981661215045804, exact, srcPy},
		{"ckd-epi-2021-cys", Input{Creatinine: cr(0.901), CystatinC: cys(0.6), Age: 30, Sex: Male}, 131.67848530559826, exact, srcPy},
		// CKD-EPI 2012 cystatin C: 0.8 mg/L boundary.
		{"ckd-epi-2012-cys", Input{CystatinC: cys(0.799), Age: 50, Sex: Female}, 101.50923039681808, exact, srcPy},
		{"ckd-epi-2012-cys", Input{CystatinC: cys(0.8), Age: 50, Sex: Female}, 101.44589417600663, exact, srcPy},
		{"ckd-epi-2012-cys", Input{CystatinC: cys(0.801), Age: 50, Sex: Male}, 108.66710158222892, exact, srcPy},
		{"ckd-epi-2012-cys", Input{CystatinC: cys(1.8), Age: 65, Sex: Male}, 34.91485593920723, exact, srcPy},
		// CKD-EPI 2009.
		{"ckd-epi-2009", Input{Creatinine: cr(0.699), Age: 50, Sex: Female}, 101.07263307012232, exact, srcPy},
		{"ckd-epi-2009", Input{Creatinine: cr(0.7), Age: 50, Sex: Female}, 101.02510614639071, exact, srcPy},
		{"ckd-epi-2009", Input{Creatinine: cr(0.701), Age: 50, Sex: Female}, 100.85089624791925, exact, srcPy},
		{"ckd-epi-2009", Input{Creatinine: cr(0.899), Age: 50, Sex: Male}, 99.28416222175281, exact, srcPy},
		{"ckd-epi-2009", Input{Creatinine: cr(0.901), Age: 50, Sex: Male, Black: true}, 114.86346019377032, exact, srcPy + " (legacy race coefficient)"},
		{"ckd-epi-2009", Input{Creatinine: cr(1.0), Age: 50, Sex: Female}, 65.63762310143318, exact, srcPy + "; Trap 4: 141 x 1.018 (kidney.epi's 144 gives 65.85)"},
		{"ckd-epi-2009", Input{Creatinine: cr(1.0), Age: 50, Sex: Female, Black: true}, 76.07400517456105, exact, srcPy + " (legacy race coefficient)"},
		// MDRD.
		{"mdrd", Input{Creatinine: cr(1.4), Age: 60, Sex: Male}, 51.69417297412956, exact, srcPy + "; Trap 6: 175, not 186 (kidney.epi egfr.mdrd4 default, transplantr: 54.94)"},
		{"mdrd", Input{Creatinine: cr(2.0), Age: 70, Sex: Female, Black: true}, 29.85389882623828, exact, srcPy},
		{"mdrd-186", Input{Creatinine: cr(2.0), Age: 70, Sex: Female}, 26.18022245016652, exact, srcPy},
		// EKFC creatinine: age splits 25 and 40, Scr/Q = 1.
		{"ekfc", Input{Creatinine: cr(1.5), Age: 70, Sex: Male}, 44.79547601291929, exact, srcPy + "; Trap 5: Q 80 umol/L (nephro's 0.90 mg/dL gives 44.52)"},
		{"ekfc", Input{Creatinine: cr(0.8), Age: 25, Sex: Female}, 93.17788818986786, exact, srcPy + " (polynomial Q at 25)"},
		{"ekfc", Input{Creatinine: cr(0.8), Age: 25.001, Sex: Female}, 92.4496529549719, exact, srcPy + " (Q 62 umol/L above 25)"},
		{"ekfc", Input{Creatinine: cr(0.8), Age: 25, Sex: Male}, 112.03281130366366, exact, srcPy},
		{"ekfc", Input{Creatinine: cr(0.8), Age: 26, Sex: Male}, 111.64572355344839, exact, srcPy},
		{"ekfc", Input{Creatinine: cr(1.2), Age: 40, Sex: Male}, 77.96154779584747, exact, srcPy + " (no age term at 40)"},
		{"ekfc", Input{Creatinine: cr(1.2), Age: 41, Sex: Male}, 77.181932317889, exact, srcPy},
		{"ekfc", Input{Creatinine: units.Q(62, units.UmolPerL), Age: 30, Sex: Female}, 107.3, exact, srcPy + " (Scr = Q)"},
		{"ekfc", Input{Creatinine: cr(0.3), Age: 2, Sex: Male}, 108.47537302314439, exact, srcPy},
		{"ekfc", Input{Creatinine: cr(0.5), Age: 10, Sex: Female}, 108.00710827983038, exact, srcPy},
		{"ekfc", Input{Creatinine: cr(0.9), Age: 17, Sex: Male}, 92.73314521769132, exact, srcPy},
		// EKFC cystatin C: age splits 40 and 50.
		{"ekfc-cys", Input{CystatinC: cys(1.0), Age: 40}, 86.89526710757536, exact, srcPy},
		{"ekfc-cys", Input{CystatinC: cys(1.0), Age: 41}, 86.0263144364996, exact, srcPy},
		{"ekfc-cys", Input{CystatinC: cys(1.0), Age: 50}, 78.58652197519332, exact, srcPy},
		{"ekfc-cys", Input{CystatinC: cys(1.0), Age: 51}, 78.33141156571962, exact, srcPy},
		{"ekfc-cys", Input{CystatinC: cys(0.83), Age: 30}, 107.3, exact, srcPy + " (Scys = Q)"},
		{"ekfc-cys", Input{CystatinC: cys(0.7), Age: 10}, 113.34994110944511, exact, srcPy},
		// CKiD U25 creatinine: K splits at 12 and 18.
		{"ckid-u25", Input{Creatinine: cr(0.8), Height: cm(140), Age: 11.999, Sex: Male}, 68.24945617458809, exact, srcPy},
		{"ckid-u25", Input{Creatinine: cr(0.8), Height: cm(140), Age: 12, Sex: Male}, 68.25, exact, srcPy},
		{"ckid-u25", Input{Creatinine: cr(0.8), Height: cm(140), Age: 17.999, Sex: Male}, 88.87534141902464, exact, srcPy},
		{"ckid-u25", Input{Creatinine: cr(0.8), Height: cm(140), Age: 18, Sex: Male}, 88.9, exact, srcPy},
		{"ckid-u25", Input{Creatinine: cr(0.8), Height: cm(140), Age: 11.999, Sex: Female}, 63.17449661288795, exact, srcPy},
		{"ckid-u25", Input{Creatinine: cr(0.8), Height: cm(140), Age: 12, Sex: Female}, 63.175, exact, srcPy},
		{"ckid-u25", Input{Creatinine: cr(0.8), Height: cm(140), Age: 17.999, Sex: Female}, 72.40843771342892, exact, srcPy},
		{"ckid-u25", Input{Creatinine: cr(0.8), Height: cm(140), Age: 18, Sex: Female}, 72.45, exact, srcPy},
		// CKiD U25 cystatin C: K splits at 15 and 18 (male), 12 and 18 (female).
		{"ckid-u25-cys", Input{CystatinC: cys(1.2), Age: 14.999, Sex: Male}, 72.665871702039, exact, srcPy},
		{"ckid-u25-cys", Input{CystatinC: cys(1.2), Age: 15, Sex: Male}, 72.66666666666667, exact, srcPy},
		{"ckid-u25-cys", Input{CystatinC: cys(1.2), Age: 17.999, Sex: Male}, 64.29344053290743, exact, srcPy},
		{"ckid-u25-cys", Input{CystatinC: cys(1.2), Age: 18, Sex: Male}, 64.25, exact, srcPy},
		{"ckid-u25-cys", Input{CystatinC: cys(1.2), Age: 11.999, Sex: Female}, 66.58306753178101, exact, srcPy},
		{"ckid-u25-cys", Input{CystatinC: cys(1.2), Age: 12, Sex: Female}, 66.58333333333334, exact, srcPy},
		{"ckid-u25-cys", Input{CystatinC: cys(1.2), Age: 17.999, Sex: Female}, 56.85003227486031, exact, srcPy},
		{"ckid-u25-cys", Input{CystatinC: cys(1.2), Age: 18, Sex: Female}, 56.916666666666664, exact, srcPy + "; Trap 9: female K 68.3, male 77.1"},
		// Cockcroft-Gault.
		{"cockcroft-gault", Input{Creatinine: cr(1.0), Weight: kg(70), Age: 40, Sex: Male}, 97.22222222222223, exact, srcPy},
		{"cockcroft-gault", Input{Creatinine: cr(1.2), Weight: kg(60), Age: 80, Sex: Female}, 35.41666666666667, exact, srcPy},
		{"cockcroft-gault", Input{Creatinine: units.Q(106, units.UmolPerL), Weight: units.Q(60000, units.G), Age: 80, Sex: Female}, 35.443396226415096, exact, srcPy + " (umol/L and g converted)"},
	}
	for _, r := range rows {
		got, err := Compute(r.eq, r.in)
		if err != nil {
			t.Errorf("%s %+v: unexpected error %v (%s)", r.eq, r.in, err, r.source)
			continue
		}
		if math.Abs(got.Value-r.want) > r.tol {
			t.Errorf("%s %+v = %.10g, want %.10g ± %g (%s)", r.eq, r.in, got.Value, r.want, r.tol, r.source)
		}
		if got.Equation.Name != r.eq {
			t.Errorf("%s: result names equation %q", r.eq, got.Equation.Name)
		}
	}
}

// TestTrapsDiffer checks that the trap rows are far enough from the wrong
// implementations' values that the tests above would catch the mistake.
func TestTrapsDiffer(t *testing.T) {
	tests := []struct {
		name       string
		eq         string
		in         Input
		wrong, tol float64
		source     string
	}{
		{"Trap 1 kidney.epi CKiD 15-18 y constant K 41.8", "ckid-u25", Input{Creatinine: cr(1.9), Height: cm(160), Age: 16, Sex: Male}, 35.2, 0.5, srcPy},
		{"Trap 2 kidney.epi CKiD cys female 18+ K 41.4", "ckid-u25-cys", Input{CystatinC: cys(1.8), Age: 20, Sex: Female}, 23.0, 1, "docs/kidney.md Trap 2"},
		{"Trap 4 CKD-EPI 2009 female 144", "ckd-epi-2009", Input{Creatinine: cr(1.0), Age: 50, Sex: Female}, 65.84888828467986, 0.1, srcPy},
		{"Trap 5 EKFC Q 0.90 mg/dL", "ekfc", Input{Creatinine: cr(1.5), Age: 70, Sex: Male}, 44.516680780261744, 0.1, srcPy},
		{"Trap 6 MDRD 186 under the name mdrd", "mdrd", Input{Creatinine: cr(1.4), Age: 60, Sex: Male}, 54.94, 1, srcKidneyEpi},
	}
	for _, tt := range tests {
		got, err := Compute(tt.eq, tt.in)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if math.Abs(got.Value-tt.wrong) < tt.tol {
			t.Errorf("%s: got %.4f, too close to the wrong value %.4f (%s)", tt.name, got.Value, tt.wrong, tt.source)
		}
	}
}

func TestComputeRejects(t *testing.T) {
	base := Input{Creatinine: cr(1.2), Age: 50, Sex: Female}
	with := func(f func(*Input)) Input { in := base; f(&in); return in }
	tests := []struct {
		name    string
		eq      string
		in      Input
		wantErr error
		field   string // "" when the error is not an *InputError
		msg     string // a phrase the message must contain
	}{
		{"unknown equation", "ckd-epi-2022", base, ErrUnknownEquation, "", "known equations: ckd-epi-2021,"},
		{"missing creatinine", "ckd-epi-2021", with(func(in *Input) { in.Creatinine = units.Quantity{} }), ErrMissing, "creatinine", "is required by ckd-epi-2021"},
		{"missing cystatin", "ckd-epi-2021-cys", base, ErrMissing, "cystatin", "is required by ckd-epi-2021-cys"},
		{"missing height", "ckid-u25", with(func(in *Input) { in.Age = 10 }), ErrMissing, "height", "is required by ckid-u25"},
		{"missing height schwartz", "schwartz", with(func(in *Input) { in.Age = 10; in.Sex = 0 }), ErrMissing, "height", "is required by schwartz"},
		{"missing weight", "cockcroft-gault", base, ErrMissing, "weight", "is required by cockcroft-gault"},
		{"missing sex", "ckd-epi-2021", with(func(in *Input) { in.Sex = SexNotGiven }), ErrMissing, "sex", "sex-specific coefficients"},
		{"missing sex ckid", "ckid-u25-cys", Input{CystatinC: cys(1), Age: 10}, ErrMissing, "sex", "female or male"},
		{"invalid sex", "ckd-epi-2021", with(func(in *Input) { in.Sex = 7 }), ErrOutOfRange, "sex", "invalid value 7"},
		{"cystatin to creatinine-only", "ckd-epi-2021", with(func(in *Input) { in.CystatinC = cys(1) }), ErrNotUsed, "cystatin", "equations that use cystatin: ckd-epi-2021-cys,"},
		{"height to ckd-epi", "ckd-epi-2021", with(func(in *Input) { in.Height = cm(170) }), ErrNotUsed, "height", "is not used by ckd-epi-2021"},
		{"weight to ekfc", "ekfc", with(func(in *Input) { in.Weight = kg(70) }), ErrNotUsed, "weight", "equations that use weight: cockcroft-gault"},
		{"creatinine to cystatin-only", "ekfc-cys", with(func(in *Input) { in.CystatinC = cys(1) }), ErrNotUsed, "creatinine", "is not used by ekfc-cys"},
		{"creatinine to ckd-epi-2012-cys", "ckd-epi-2012-cys", with(func(in *Input) { in.CystatinC = cys(1) }), ErrNotUsed, "creatinine", "it uses cystatin, sex and age"},
		{"black to ckd-epi-2021", "ckd-epi-2021", with(func(in *Input) { in.Black = true }), ErrNotUsed, "black", "only in the legacy equations"},
		{"black to ekfc", "ekfc", with(func(in *Input) { in.Black = true }), ErrNotUsed, "black", "race-free"},
		{"black to ckid", "ckid-u25-cys", Input{CystatinC: cys(1), Age: 10, Sex: Male, Black: true}, ErrNotUsed, "black", "legacy"},
		{"NaN age", "ckd-epi-2021", with(func(in *Input) { in.Age = math.NaN() }), ErrOutOfRange, "age", "is not a number"},
		{"age 121", "ckd-epi-2021", with(func(in *Input) { in.Age = 121 }), ErrOutOfRange, "age", "121 is out of range; accepted: above 0 and at most 120"},
		{"age 120.5", "ckd-epi-2021", with(func(in *Input) { in.Age = 120.5 }), ErrOutOfRange, "age", "120.5 is out of range"},
		{"negative age", "ckd-epi-2021", with(func(in *Input) { in.Age = -1 }), ErrOutOfRange, "age", "-1 is out of range"},
		{"age not given", "ckd-epi-2021", with(func(in *Input) { in.Age = 0 }), ErrOutOfRange, "age", "0 is out of range"},
		{"infinite age", "ckd-epi-2021", with(func(in *Input) { in.Age = math.Inf(1) }), ErrOutOfRange, "age", "out of range"},
		{"creatinine mg/g", "ckd-epi-2021", with(func(in *Input) { in.Creatinine = units.Q(1.2, units.MgPerG) }), units.ErrIncompatible, "", "creatinine: unit mg/g does not fit creatinine"},
		{"creatinine 106 mg/dL", "ckd-epi-2021", with(func(in *Input) { in.Creatinine = cr(106) }), units.ErrImplausible, "", "did you mean 106 umol/L?"},
		{"creatinine 0 mg/dL", "ckd-epi-2021", with(func(in *Input) { in.Creatinine = cr(0) }), units.ErrImplausible, "", "implausible"},
		{"creatinine without unit", "ckd-epi-2021", with(func(in *Input) { in.Creatinine = units.Quantity{Value: 1.2} }), units.ErrIncompatible, "", "accepted units: mg/dL, umol/L, mmol/L"},
		{"cystatin implausible", "ekfc-cys", Input{CystatinC: cys(50), Age: 50}, units.ErrImplausible, "", "cystatin: cystatin_c 50 mg/L is implausible"},
		{"height in kg", "schwartz", Input{Creatinine: cr(0.5), Height: kg(120), Age: 8}, units.ErrIncompatible, "", "height: unit kg does not fit height"},
		{"weight implausible", "cockcroft-gault", with(func(in *Input) { in.Weight = kg(900) }), units.ErrImplausible, "", "weight"},
	}
	for _, tt := range tests {
		_, err := Compute(tt.eq, tt.in)
		if err == nil {
			t.Errorf("%s: no error", tt.name)
			continue
		}
		if !errors.Is(err, tt.wantErr) {
			t.Errorf("%s: error %v does not unwrap to %v", tt.name, err, tt.wantErr)
		}
		if !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("%s: error %q does not contain %q", tt.name, err, tt.msg)
		}
		var ie *InputError
		if errors.As(err, &ie) != (tt.field != "") || (ie != nil && ie.Field != tt.field) {
			t.Errorf("%s: error %#v, want an InputError for field %q", tt.name, err, tt.field)
		}
	}
}

func TestComputeResult(t *testing.T) {
	got, err := Compute("ckd-epi-2021", Input{Creatinine: units.Q(106, units.UmolPerL), Age: 50, Sex: Female})
	if err != nil {
		t.Fatal(err)
	}
	wantInputs := Input{Creatinine: units.Q(106/88.4, units.MgPerDL), Age: 50, Sex: Female}
	if diff := cmp.Diff(wantInputs, got.Inputs, cmp.Comparer(func(a, b float64) bool { return math.Abs(a-b) < 1e-12 })); diff != "" {
		t.Errorf("Inputs (-want +got):\n%s", diff)
	}
	if got.Unit != units.MLPerMinBSA || got.Warnings != nil {
		t.Errorf("Unit %q, Warnings %q; want %q and none", got.Unit, got.Warnings, units.MLPerMinBSA)
	}
	cg, err := Compute("cockcroft-gault", Input{Creatinine: cr(1), Weight: kg(70), Age: 40, Sex: Male})
	if err != nil {
		t.Fatal(err)
	}
	if cg.Unit != units.MLPerMin {
		t.Errorf("cockcroft-gault unit %q, want mL/min", cg.Unit)
	}
}

func TestWarnings(t *testing.T) {
	tests := []struct {
		name string
		eq   string
		in   Input
		want []string // phrases, one per expected warning, in order
	}{
		{"adult eq in a child", "ckd-epi-2021", Input{Creatinine: cr(0.6), Age: 15, Sex: Male},
			[]string{"ckd-epi-2021 is validated for adults (18 years and over); age 15 is below that range; use ckid-u25 (1-25 years) or schwartz (1-17 years)"}},
		{"adult eq at 18", "ckd-epi-2021", Input{Creatinine: cr(0.6), Age: 18, Sex: Male}, nil},
		{"ckid at 25.5", "ckid-u25-cys", Input{CystatinC: cys(1), Age: 25.5, Sex: Male}, nil},
		{"ckid at 26", "ckid-u25-cys", Input{CystatinC: cys(1), Age: 26, Sex: Male},
			[]string{"ckid-u25-cys is validated for children and young adults aged 1-25 years; age 26 is above that range; use ckd-epi-2012-cys or ekfc-cys"}},
		{"adult cystatin eq in a child", "ckd-epi-2012-cys", Input{CystatinC: cys(1), Age: 10, Sex: Male},
			[]string{"age 10 is below that range; use ckid-u25-cys (1-25 years) or ekfc-cys (from 2 years)"}},
		{"adult cr-cys eq in a child", "ckd-epi-2021-cys", Input{Creatinine: cr(0.6), CystatinC: cys(1), Age: 10, Sex: Male},
			[]string{"age 10 is below that range; use ckid-u25-avg (1-25 years)"}},
		{"ckid avg at 30", "ckid-u25-avg", Input{Creatinine: cr(0.9), CystatinC: cys(1), Height: cm(170), Age: 30, Sex: Male},
			[]string{"age 30 is above that range; use ckd-epi-2021-cys"}},
		{"ckid below 1", "ckid-u25", Input{Creatinine: cr(0.3), Height: cm(60), Age: 0.5, Sex: Female}, []string{"age 0.5 is below that range"}},
		{"schwartz at 17.9", "schwartz", Input{Creatinine: cr(0.8), Height: cm(170), Age: 17.9}, nil},
		{"schwartz at 18", "schwartz", Input{Creatinine: cr(0.8), Height: cm(170), Age: 18}, []string{"schwartz is validated for children aged 1-17 years; age 18 is above that range; use ckid-u25 (to 25 years) or ckd-epi-2021"}},
		{"schwartz with sex", "schwartz", Input{Creatinine: cr(0.8), Height: cm(140), Age: 10, Sex: Female}, []string{"schwartz does not use sex; the sex given (female) was ignored"}},
		{"ekfc-cys with sex, child", "ekfc-cys", Input{CystatinC: cys(0.8), Age: 10, Sex: Male}, []string{"ekfc-cys does not use sex", "ekfc-cys was developed in adults"}},
		{"ekfc below 2", "ekfc", Input{Creatinine: cr(0.3), Age: 1.5, Sex: Male}, []string{"ekfc is validated for the full age spectrum from 2 years; age 1.5 is below that range"}},
		{"legacy, black", "ckd-epi-2009", Input{Creatinine: cr(1), Age: 50, Sex: Male, Black: true},
			[]string{"race coefficient applied to reproduce historical ckd-epi-2009 values; current guidelines (KDIGO 2024, NKF-ASN 2021) use race-free equations", "superseded"}},
		{"legacy", "mdrd", Input{Creatinine: cr(2), Age: 50, Sex: Male}, []string{"mdrd is superseded"}},
		{"mdrd above 60", "mdrd", Input{Creatinine: cr(1), Age: 50, Sex: Male}, []string{"superseded", "above 60"}},
		{"mdrd-186", "mdrd-186", Input{Creatinine: cr(2), Age: 50, Sex: Female}, []string{"superseded", "not traceable to IDMS"}},
		{"cockcroft-gault", "cockcroft-gault", Input{Creatinine: cr(1), Weight: kg(70), Age: 50, Sex: Male}, []string{"no KDIGO G category"}},
	}
	for _, tt := range tests {
		got, err := Compute(tt.eq, tt.in)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if len(got.Warnings) != len(tt.want) {
			t.Errorf("%s: warnings %q, want %d matching %q", tt.name, got.Warnings, len(tt.want), tt.want)
			continue
		}
		for i, w := range tt.want {
			if !strings.Contains(got.Warnings[i], w) {
				t.Errorf("%s: warning %d = %q, want it to contain %q", tt.name, i, got.Warnings[i], w)
			}
		}
	}
}

// TestFastInvalidSex checks that the unvalidated functions never treat an
// unknown sex as either sex.
func TestFastInvalidSex(t *testing.T) {
	for name, v := range map[string]float64{
		"CKDEPI2021":      CKDEPI2021(1, 50, SexNotGiven),
		"CKDEPI2021CrCys": CKDEPI2021CrCys(1, 1, 50, SexNotGiven),
		"CKDEPI2012Cys":   CKDEPI2012Cys(1, 50, 3),
		"CKDEPI2009":      CKDEPI2009(1, 50, SexNotGiven, false),
		"MDRD":            MDRD(1, 50, SexNotGiven, false),
		"MDRD186":         MDRD186(1, 50, -1, false),
		"EKFC":            EKFC(1, 50, SexNotGiven),
		"EKFC child":      EKFC(1, 10, SexNotGiven),
		"CKiDU25Cr":       CKiDU25Cr(1, 140, 10, SexNotGiven),
		"CKiDU25Cys":      CKiDU25Cys(1, 10, SexNotGiven),
		"CKiDU25Avg":      CKiDU25Avg(1, 1, 140, 10, SexNotGiven),
		"CockcroftGault":  CockcroftGault(1, 70, 50, SexNotGiven),
	} {
		if !math.IsNaN(v) {
			t.Errorf("%s with no sex = %v, want NaN", name, v)
		}
	}
}

func TestLogConstants(t *testing.T) {
	for _, c := range []struct {
		name     string
		got, arg float64
	}{
		{"ln142", ln142, 142}, {"ln142F", ln142F, 142 * 1.012}, {"ln0_9938", ln0_9938, 0.9938},
		{"ln135", ln135, 135}, {"ln135F", ln135F, 135 * 0.963}, {"ln0_9961", ln0_9961, 0.9961},
		{"ln133", ln133, 133}, {"ln133F", ln133F, 133 * 0.932}, {"ln0_996", ln0_996, 0.996},
		{"ln141", ln141, 141}, {"ln141F", ln141F, 141 * 1.018}, {"ln1_159", ln1_159, 1.159}, {"ln0_993", ln0_993, 0.993},
		{"ln175", ln175, 175}, {"ln186", ln186, 186}, {"ln0_742", ln0_742, 0.742}, {"ln1_212", ln1_212, 1.212},
		{"ln107_3", ln107_3, 107.3}, {"ln0_990", ln0_990, 0.990}, {"ln62", ln62, 62}, {"ln80", ln80, 80},
		{"ln88_4", ln88_4, 88.4},
		{"ln1_008", ln1_008, 1.008}, {"ln1_045", ln1_045, 1.045}, {"ln1_023", ln1_023, 1.023},
		{"ln1_011", ln1_011, 1.011}, {"ln0_960", ln0_960, 0.960}, {"ln1_004", ln1_004, 1.004}, {"ln0_974", ln0_974, 0.974},
		{"ln39_0", ln39_0, 39.0}, {"ln36_1", ln36_1, 36.1}, {"ln87_2", ln87_2, 87.2}, {"ln79_9", ln79_9, 79.9},
	} {
		want := math.Log(c.arg)
		if math.Abs(c.got-want) > 4e-16*math.Max(1, math.Abs(want)) {
			t.Errorf("%s = %v, want math.Log(%v) = %v", c.name, c.got, c.arg, want)
		}
	}
}

func TestEquations(t *testing.T) {
	names := Names()
	eqs := Equations()
	if len(eqs) != 13 || len(names) != 13 {
		t.Fatalf("%d equations, %d names; want 13", len(eqs), len(names))
	}
	for i, e := range eqs {
		if e.Name != names[i] || e.Title == "" || e.Source == "" || e.Population == "" || e.compute == nil || e.Unit == "" {
			t.Errorf("equation %d %q is incomplete: %+v", i, names[i], e)
		}
		legacy := e.Name == "ckd-epi-2009" || e.Name == "mdrd" || e.Name == "mdrd-186"
		if e.Legacy != legacy {
			t.Errorf("%s: Legacy = %v", e.Name, e.Legacy)
		}
	}
	if _, ok := Lookup("CKD-EPI-2021"); ok {
		t.Error("Lookup is case-sensitive; names are exact")
	}
}

func TestParseSex(t *testing.T) {
	for in, want := range map[string]Sex{"female": Female, "Male": Male, " FEMALE ": Female} {
		if got, err := ParseSex(in); err != nil || got != want {
			t.Errorf("ParseSex(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "f", "m", "other", "unknown", "1"} {
		if got, err := ParseSex(bad); err == nil {
			t.Errorf("ParseSex(%q) = %v, want an error", bad, got)
		}
	}
}
