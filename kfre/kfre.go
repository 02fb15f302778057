package kfre

import (
	"math"
	"strconv"

	"renalwatch/ckd"
	"renalwatch/units"
)

// Centring values of every KFRE model (Tangri 2011, as printed in kidney.md
// §2.11 and identical in kfre and an independent calculator page): the
// covariate means of the development cohort.
const (
	meanAgeDecades = 7.036  // age/10
	meanMale       = 0.5642 // male = 1
	meanEGFRPer5   = 7.222  // eGFR/5
	meanLnACR      = 5.137  // ln(ACR mg/g)
	meanDiabetes   = 0.5106
	meanHTN        = 0.8501
	meanAlbumin    = 3.997 // g/dL
	meanPhosphate  = 3.916 // mg/dL
	meanBicarb     = 25.57 // mmol/L
	meanCalcium    = 9.355 // mg/dL
)

// model is one KFRE equation: coefficients and baseline survival S0 per
// region and horizon, with ln S0 precomputed so that S0^exp(x) =
// exp(exp(x)·ln S0).
type model struct {
	vars                   int
	age, male, egfr, lnACR float64
	dm, htn                float64 // 6-variable only
	alb, phos, bic, ca     float64 // 8-variable only
	s0                     [Other + 1][2]float64
	lnS0                   [Other + 1][2]float64
	source                 string
}

// Sources named in results.
const (
	source48 = "KFRE: Tangri N et al. JAMA 2011;305:1553-1559 (coefficients); Tangri N et al. JAMA 2016;315:164-174 (2- and 5-year baseline survival, North American and non-North American calibration)"
	source6  = "KFRE: Tangri N et al. JAMA 2011;305:1553-1559 (coefficients); baseline survival borrowed from the 4-variable model as in the kfre package (no published 6-variable 2- and 5-year values)"
)

func newModel(m model) model {
	for r := NorthAmerica; r <= Other; r++ {
		for h := range 2 {
			m.lnS0[r][h] = math.Log(m.s0[r][h])
		}
	}
	return m
}

// The three models, coefficients and S0 exactly as kidney.md §2.11 (checked
// there against kfre Python and R and an independent calculator page).
// S0 index [region][0] is 2 years, [region][1] 5 years.
var (
	model4 = newModel(model{
		vars: 4, age: -0.2201, male: 0.2467, egfr: -0.5567, lnACR: 0.4510,
		s0: [Other + 1][2]float64{
			NorthAmerica: {0.9750, 0.9240}, // Tangri 2016
			Other:        {0.9832, 0.9365}, // Tangri 2016 recalibration
		},
		source: source48,
	})
	model6 = newModel(model{
		vars: 6, age: -0.2218, male: 0.2553, egfr: -0.5541, lnACR: 0.4562,
		dm: -0.1475, htn: 0.1426,
		s0: [Other + 1][2]float64{
			NorthAmerica: {0.9750, 0.9240}, // borrowed: 4-variable NA values (kfre)
			Other:        {0.9830, 0.9370}, // borrowed: 4-variable non-NA values rounded (kfre)
		},
		source: source6,
	})
	model8 = newModel(model{
		vars: 8, age: -0.1992, male: 0.1602, egfr: -0.4919, lnACR: 0.3364,
		alb: -0.3441, phos: 0.2604, bic: -0.07354, ca: -0.2228,
		s0: [Other + 1][2]float64{
			NorthAmerica: {0.9780, 0.9301}, // Tangri 2016
			Other:        {0.9827, 0.9245}, // Tangri 2016 recalibration
		},
		source: source48,
	})
)

// covariates are the equation's inputs in its own units, already validated.
type covariates struct {
	age, male, egfr, lnACR float64
	dm, htn                float64
	alb, phos, bic, ca     float64
}

// linear returns the centred linear predictor sum(beta_i (x_i - mean_i)).
func (m *model) linear(c *covariates) float64 {
	x := m.age*(c.age/10-meanAgeDecades) +
		m.male*(c.male-meanMale) +
		m.egfr*(c.egfr/5-meanEGFRPer5) +
		m.lnACR*(c.lnACR-meanLnACR)
	switch m.vars {
	case 6:
		x += m.dm*(c.dm-meanDiabetes) + m.htn*(c.htn-meanHTN)
	case 8:
		x += m.alb*(c.alb-meanAlbumin) + m.phos*(c.phos-meanPhosphate) +
			m.bic*(c.bic-meanBicarb) + m.ca*(c.ca-meanCalcium)
	}
	return x
}

// risks evaluates 1 - S0^exp(x) for both horizons as -expm1(exp(x)·ln S0),
// which keeps small risks accurate.
func (m *model) risks(c *covariates, r Region) (twoYear, fiveYear float64) {
	e := math.Exp(m.linear(c))
	return -math.Expm1(e * m.lnS0[r][0]), -math.Expm1(e * m.lnS0[r][1])
}

// Input is what Predict needs. Age, Sex, EGFR, ACR and Region are required.
// Giving Diabetes or Hypertension selects the 6-variable model (both are then
// required); giving any of the four laboratory values selects the
// 8-variable model (all four are then required). A zero Quantity means "not
// given".
type Input struct {
	Age    float64        // years
	Sex    ckd.Sex        // Female or Male
	EGFR   float64        // mL/min/1.73 m2, from any equation (CKD-EPI 2021 in current calculators)
	ACR    units.Quantity // urine albumin-to-creatinine ratio (mg/g, mg/mmol or g/g), > 0
	Region Region         // calibration

	Diabetes     Answer // 6-variable model
	Hypertension Answer // 6-variable model

	Albumin     units.Quantity // serum albumin (g/dL or g/L), 8-variable model
	Phosphate   units.Quantity // serum phosphate (mg/dL or mmol/L), 8-variable model
	Bicarbonate units.Quantity // serum bicarbonate (mmol/L or meq/L), 8-variable model
	Calcium     units.Quantity // total serum calcium (mg/dL, mmol/L or meq/L), 8-variable model
}

// Inputs echoes the values a result was computed from, in the units the
// equation uses.
type Inputs struct {
	AgeYears     float64        `json:"age_years"`
	Sex          ckd.Sex        `json:"sex"`
	EGFR         float64        `json:"egfr"` // mL/min/1.73 m2
	ACR          units.Quantity `json:"acr"`  // mg/g
	Diabetes     Answer         `json:"diabetes,omitzero"`
	Hypertension Answer         `json:"hypertension,omitzero"`
	Albumin      units.Quantity `json:"albumin,omitzero"`     // g/dL
	Phosphate    units.Quantity `json:"phosphate,omitzero"`   // mg/dL
	Bicarbonate  units.Quantity `json:"bicarbonate,omitzero"` // mmol/L
	Calcium      units.Quantity `json:"calcium,omitzero"`     // mg/dL
}

// Result is a KFRE prediction that names the model that produced it.
type Result struct {
	Variables int      `json:"variables"` // 4, 6 or 8
	Region    Region   `json:"region"`    // calibration used
	Risk2y    float64  `json:"risk_2y"`   // probability of kidney failure within 2 years, 0 to 1
	Risk5y    float64  `json:"risk_5y"`   // probability of kidney failure within 5 years, 0 to 1
	Inputs    Inputs   `json:"inputs"`
	Warnings  Warnings `json:"warnings"`
	Source    string   `json:"source"`
}

// Accepted ranges for the inputs that are not lab quantities (engineering
// limits, like the units package's plausible ranges: they catch typing
// mistakes, not unusual patients).
const (
	maxAge = 125.0 // years
)

// Predict returns the 2- and 5-year KFRE risk:
//
//	risk(t) = 1 - S0(t)^exp(sum_i beta_i (x_i - mean_i))
//
// with the model selected from what in gives (4-variable by default; see
// Input) and the calibration in.Region (Tangri 2011; Tangri 2016; constants
// as kidney.md §2.11). Errors: *InputError for age, sex, region, an invalid
// Answer and an ACR of zero; *units.RangeError for an eGFR outside 0-300 and
// for lab quantities out of range; *units.UnitError for a wrong unit; *MissingError for a partial
// 6- or 8-variable set; *ConflictError for both sets. All unwrap to ErrInput
// or a units sentinel. It does not allocate.
func Predict(in Input) (Result, error) {
	var res Result
	if in.Region != NorthAmerica && in.Region != Other {
		return res, &InputError{Field: "region", Value: in.Region.String(), Want: "north-america or other"}
	}
	if in.Sex != ckd.Female && in.Sex != ckd.Male {
		return res, &InputError{Field: "sex", Value: in.Sex.String(), Want: "female or male"}
	}
	if !(in.Age > 0 && in.Age <= maxAge) {
		return res, &InputError{Field: "age", Value: formatFloat(in.Age), Want: "a number of years above 0, at most 125"}
	}
	if _, err := units.EGFR.Normalize("egfr", units.Quantity{Value: in.EGFR, Unit: units.MLPerMinBSA}); err != nil {
		return res, err
	}
	if !(in.EGFR > 0) {
		// ln and the linear predictor accept 0, but an eGFR of 0 is no
		// measurement: it would print a near-certain risk with confidence.
		return res, &InputError{Field: "egfr", Value: formatFloat(in.EGFR), Want: "an eGFR above 0 mL/min/1.73m2"}
	}
	acr, err := units.ACR.Normalize("acr", in.ACR)
	if err != nil {
		return res, err
	}
	if !(acr.Value > 0) {
		return res, &InputError{Field: "acr", Value: in.ACR.Text(), Want: WantPositiveACR}
	}

	m := &model4
	six := in.Diabetes != NotGiven || in.Hypertension != NotGiven
	eight := !in.Albumin.IsZero() || !in.Phosphate.IsZero() || !in.Bicarbonate.IsZero() || !in.Calcium.IsZero()
	switch {
	case six && eight:
		return res, &ConflictError{}
	case six:
		if in.Diabetes == NotGiven || in.Hypertension == NotGiven {
			return res, missing6(in)
		}
		for _, a := range [...]struct {
			field string
			v     Answer
		}{{"diabetes", in.Diabetes}, {"hypertension", in.Hypertension}} {
			if a.v != No && a.v != Yes {
				return res, &InputError{Field: a.field, Value: strconv.Itoa(int(a.v)), Want: "an answer, yes or no"}
			}
		}
		m = &model6
	case eight:
		if in.Albumin.IsZero() || in.Phosphate.IsZero() || in.Bicarbonate.IsZero() || in.Calcium.IsZero() {
			return res, missing8(in)
		}
		m = &model8
	}

	c := covariates{age: in.Age, egfr: in.EGFR, lnACR: math.Log(acr.Value)}
	if in.Sex == ckd.Male {
		c.male = 1
	}
	res.Inputs = Inputs{AgeYears: in.Age, Sex: in.Sex, EGFR: in.EGFR, ACR: acr}
	switch m.vars {
	case 6:
		c.dm, c.htn = yes(in.Diabetes), yes(in.Hypertension)
		res.Inputs.Diabetes, res.Inputs.Hypertension = in.Diabetes, in.Hypertension
		res.Warnings |= Warnings(WarnBorrowedBaseline)
	case 8:
		var err error
		if res.Inputs.Calcium, err = units.Calcium.Normalize("calcium", in.Calcium); err != nil {
			return Result{}, err
		}
		if res.Inputs.Phosphate, err = units.Phosphate.Normalize("phosphate", in.Phosphate); err != nil {
			return Result{}, err
		}
		if res.Inputs.Bicarbonate, err = units.Bicarbonate.Normalize("bicarbonate", in.Bicarbonate); err != nil {
			return Result{}, err
		}
		if res.Inputs.Albumin, err = units.Albumin.Normalize("albumin", in.Albumin); err != nil {
			return Result{}, err
		}
		if in.Phosphate.Unit == units.MgPerDL && res.Inputs.Phosphate.Value < 2 {
			res.Warnings |= Warnings(WarnLowPhosphate)
		}
		if in.Calcium.Unit == units.MgPerDL && res.Inputs.Calcium.Value < 5 {
			res.Warnings |= Warnings(WarnLowCalcium)
		}
		c.ca, c.phos = res.Inputs.Calcium.Value, res.Inputs.Phosphate.Value
		c.bic, c.alb = res.Inputs.Bicarbonate.Value, res.Inputs.Albumin.Value
	}
	if in.EGFR >= 60 {
		res.Warnings |= Warnings(WarnEGFRAtLeast60)
	}
	if in.Age < 18 {
		res.Warnings |= Warnings(WarnUnder18)
	}
	res.Variables, res.Region, res.Source = m.vars, in.Region, m.source
	res.Risk2y, res.Risk5y = m.risks(&c, in.Region)
	return res, nil
}

func yes(a Answer) float64 {
	if a == Yes {
		return 1
	}
	return 0
}

func missing6(in Input) error {
	e := &MissingError{Variables: 6, Needs: []string{"diabetes", "hypertension"}}
	if in.Diabetes == NotGiven {
		e.Missing = append(e.Missing, "diabetes")
	}
	if in.Hypertension == NotGiven {
		e.Missing = append(e.Missing, "hypertension")
	}
	return e
}

func missing8(in Input) error {
	e := &MissingError{Variables: 8, Needs: []string{"calcium", "phosphate", "bicarbonate", "albumin"}}
	for _, l := range []struct {
		name string
		q    units.Quantity
	}{{"calcium", in.Calcium}, {"phosphate", in.Phosphate}, {"bicarbonate", in.Bicarbonate}, {"albumin", in.Albumin}} {
		if l.q.IsZero() {
			e.Missing = append(e.Missing, l.name)
		}
	}
	return e
}

func formatFloat(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// WantPositiveACR is what the KFRE needs of an ACR, in the words of every
// message that refuses one (the kfre command, the report's "not assessed"
// reason): the ACR enters the linear predictor as ln(ACR in mg/g) (Tangri
// N et al. JAMA 2011;305:1553-1559, kept in the recalibration of Tangri N
// et al. JAMA 2016;315:164-174), so a ratio of 0 (a result below the
// laboratory's detection limit reported as 0) cannot enter it.
const WantPositiveACR = "a ratio greater than 0 (the equation takes its logarithm)"

// ZeroACRReason says why a ratio reported as 0 gives no KFRE; what names
// it, such as "the latest ACR (0 mg/g on 2026-10-02)".
func ZeroACRReason(what string) string {
	return what + " is 0 as reported (for example a result below the laboratory's detection limit), and the KFRE (Tangri 2011, JAMA 305:1553; Tangri 2016, JAMA 315:164) needs " +
		WantPositiveACR
}
