package assess

import (
	"time"

	"renalwatch/kfre"
	"renalwatch/lupus"
	"renalwatch/units"
)

// Config chooses the equations, rules and thresholds an assessment applies.
// Every choice is reported in the Assessment (Assessment.Config), so a reader
// knows which definitions produced each result. Build one with DefaultConfig
// and change what you need.
type Config struct {
	// AdultEquation is the creatinine equation for a sample taken at 18
	// years or older; KDIGO 2024 recommends the race-free CKD-EPI 2021
	// creatinine equation (lupus.md §7.1).
	AdultEquation string `json:"adult_equation"`
	// AdultCystatinEquation is used for an adult creatinine that has a
	// cystatin C from the same calendar day (UTC); empty disables it.
	AdultCystatinEquation string `json:"adult_cystatin_equation"`
	// ChildEquation is the equation below 18 years. The default, CKiD U25
	// creatinine (Pierce 2021), needs a height.
	ChildEquation string `json:"child_equation"`
	// HeightWindow is how long before a child's creatinine a height may
	// have been measured to be used with it.
	HeightWindow time.Duration `json:"-"`

	// SlopeWindow is the span before as_of whose eGFR values enter the
	// slope (least squares, ckd.EGFRSlope).
	SlopeWindow time.Duration `json:"-"`
	// CurrentWindow is how old a laboratory value may be and still count as
	// current: the ACR/UPCR used for staging and the KFRE, the haemoglobin,
	// potassium, blood pressure and urine sediment behind alerts.
	CurrentWindow time.Duration `json:"-"`
	// KFRELabWindow is how far from the eGFR sample the four extra
	// laboratory values of the 8-variable KFRE may be.
	KFRELabWindow time.Duration `json:"-"`
	// KFRERegion is the KFRE calibration (Tangri 2016).
	KFRERegion kfre.Region `json:"kfre_region"`

	// ResponseRule and FlareRule are the lupus nephritis definitions applied
	// (lupus.md §2; the lupus package names and cites each).
	ResponseRule lupus.ResponseRule `json:"response_rule"`
	FlareRule    lupus.FlareRule    `json:"flare_rule"`
	// BaselineLookback is how long before a therapy's start a value may
	// have been taken to serve as its baseline.
	BaselineLookback time.Duration `json:"-"`
	// SLEDAIWindowDays is the SLEDAI-2K attribution window: 10 (Gladman
	// 2002) or 30 (Touma 2010).
	SLEDAIWindowDays int `json:"sledai_window_days"`

	// KFRE5yReferral is the 5-year KFRE risk at or above which the
	// kfre-5y-referral alert is raised. KDIGO 2024 practice point 2.2.1: "a
	// 5-year kidney failure risk of 3%–5% can be used to determine need for
	// nephrology referral" (text checked with the search tool in the KDIGO
	// 2024 Table 2 summary). RenalWatch takes the upper end, 5%, which is
	// also NICE NG203's referral threshold; every lupus nephritis patient is
	// already under specialist care (lupus.md §7.5).
	KFRE5yReferral float64 `json:"kfre_5y_referral"`
	// KFRE2yMultidisciplinary (> 10%) and KFRE2yKRTPlanning (> 40%) are
	// KDIGO 2024 practice points 2.2.2 and 2.2.3 (lupus.md §7.5 [M]: the
	// text of these two was cut in the source read).
	KFRE2yMultidisciplinary float64 `json:"kfre_2y_multidisciplinary"`
	KFRE2yKRTPlanning       float64 `json:"kfre_2y_krt_planning"`

	// PotassiumHigh (warning, >) and PotassiumCritical (critical, >=)
	// are hyperkalaemia thresholds in mmol/L. KDIGO 2024 gives no single
	// cut-off (lupus.md §7.8 [M]); the defaults 5.5 and 6.0 are common
	// laboratory bands and are reported with the source "local protocol".
	PotassiumHigh     units.Quantity `json:"potassium_high"`
	PotassiumCritical units.Quantity `json:"potassium_critical"`
}

// DefaultConfig returns the configuration RenalWatch applies unless told
// otherwise: ckd-epi-2021 for adults (ckd-epi-2021-cys with a same-day
// cystatin C), ckid-u25 below 18 years with a height from the 180 days
// before the sample, a 3-year slope window, values current for 365 days,
// KFRE North American calibration, kdigo-2024 response, kdigo-2012 flare,
// a 90-day baseline lookback, the 10-day SLEDAI-2K window, and the alert
// thresholds documented on Config's fields.
func DefaultConfig() Config {
	return Config{
		AdultEquation:           "ckd-epi-2021",
		AdultCystatinEquation:   "ckd-epi-2021-cys",
		ChildEquation:           "ckid-u25",
		HeightWindow:            180 * day,
		SlopeWindow:             3 * 365 * day,
		CurrentWindow:           365 * day,
		KFRELabWindow:           90 * day,
		KFRERegion:              kfre.NorthAmerica,
		ResponseRule:            lupus.KDIGO2024,
		FlareRule:               lupus.KDIGO2012Flare,
		BaselineLookback:        90 * day,
		SLEDAIWindowDays:        10,
		KFRE5yReferral:          0.05,
		KFRE2yMultidisciplinary: 0.10,
		KFRE2yKRTPlanning:       0.40,
		PotassiumHigh:           units.Q(5.5, units.MmolPerL),
		PotassiumCritical:       units.Q(6.0, units.MmolPerL),
	}
}

const day = 24 * time.Hour
