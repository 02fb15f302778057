package kfre

import (
	"math"
	"testing"

	"renalwatch/ckd"
	"renalwatch/units"
)

var (
	sinkRes        Result
	sinkR2, sinkR5 float64
)

func benchInputs() (in4, in6, in8 Input) {
	in4 = Input{Age: 68, Sex: ckd.Male, EGFR: 27, ACR: units.Q(420, units.MgPerG), Region: NorthAmerica}
	in6 = in4
	in6.Diabetes, in6.Hypertension = Yes, Yes
	in8 = in4
	labs{3.6, 4.4, 21, 9.1}.set(&in8)
	return
}

// Full path: validation, unit checks and conversion of every quantity,
// model selection and both horizons.
func BenchmarkPredict4(b *testing.B) {
	in, _, _ := benchInputs()
	for b.Loop() {
		sinkRes, _ = Predict(in)
	}
}

func BenchmarkPredict6(b *testing.B) {
	_, in, _ := benchInputs()
	for b.Loop() {
		sinkRes, _ = Predict(in)
	}
}

func BenchmarkPredict8(b *testing.B) {
	_, _, in := benchInputs()
	for b.Loop() {
		sinkRes, _ = Predict(in)
	}
}

// BenchmarkPredict4MgPerMmol converts the ACR from mg/mmol.
func BenchmarkPredict4MgPerMmol(b *testing.B) {
	in, _, _ := benchInputs()
	in.ACR = units.Q(47.5, units.MgPerMmol)
	for b.Loop() {
		sinkRes, _ = Predict(in)
	}
}

// Evaluation only: the equation on validated covariates, both horizons.
func benchEval(b *testing.B, m *model) {
	c := covariates{age: 68, male: 1, egfr: 27, lnACR: 6.04, dm: 1, htn: 1, alb: 3.6, phos: 4.4, bic: 21, ca: 9.1}
	for b.Loop() {
		sinkR2, sinkR5 = m.risks(&c, NorthAmerica)
	}
}

func BenchmarkEval4(b *testing.B) { benchEval(b, &model4) }
func BenchmarkEval6(b *testing.B) { benchEval(b, &model6) }
func BenchmarkEval8(b *testing.B) { benchEval(b, &model8) }

// One horizon: the linear predictor and 1 - S0^exp(x) for the 2-year risk.
func benchEvalOne(b *testing.B, m *model) {
	c := covariates{age: 68, male: 1, egfr: 27, lnACR: 6.04, dm: 1, htn: 1, alb: 3.6, phos: 4.4, bic: 21, ca: 9.1}
	ln := m.lnS0[NorthAmerica][0]
	for b.Loop() {
		sinkR2 = -math.Expm1(math.Exp(m.linear(&c)) * ln)
	}
}

func BenchmarkEval4TwoYear(b *testing.B) { benchEvalOne(b, &model4) }
func BenchmarkEval6TwoYear(b *testing.B) { benchEvalOne(b, &model6) }
func BenchmarkEval8TwoYear(b *testing.B) { benchEvalOne(b, &model8) }
