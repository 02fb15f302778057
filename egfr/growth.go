package egfr

import "math"

// lms is one row of an LMS growth reference (Cole & Green 1992): at age
// months, the Box-Cox power L, the median M (cm) and the coefficient of
// variation S of length or stature.
type lms struct{ months, l, m, s float64 }

// cdcLength holds the 2000 CDC growth charts for length-for-age (birth to
// 18.5 months, recumbent) and stature-for-age (24.5 to 228.5 months,
// standing), every 6 then 12 months, exactly as published in the CDC data
// files lenageinf.csv and statage.csv (Kuczmarski RJ et al. 2000 CDC growth
// charts for the United States: methods and development. Vital Health Stat
// 11(246), 2002; https://www.cdc.gov/growthcharts/percentile_data_files.htm).
// Index 0 boys, 1 girls. Between rows L, M and S are interpolated linearly:
// the bound below (6 modified z-scores) is wide enough that interpolation
// and the length/stature step at 2 years (about 0.8 cm) do not matter.
var cdcLength = [2][]lms{
	{ // boys
		{0, 1.267004226, 49.98888408, 0.053112191},
		{6.5, -1.456837849, 67.8601799, 0.038811994},
		{12.5, -0.753908107, 76.11837536, 0.038703461},
		{18.5, 0.165304169, 82.40543643, 0.039494365},
		{24.5, 1.00720807, 86.86160934, 0.040395626},
		{36.5, -0.390918369, 95.27359106, 0.04053412},
		{48.5, 0.827636736, 102.5104735, 0.041344257},
		{60.5, 1.266367398, 109.1751441, 0.042593311},
		{72.5, 1.137442868, 115.6608862, 0.043673359},
		{84.5, 0.753244292, 122.0305342, 0.044403374},
		{96.5, 0.455267507, 128.1237104, 0.045127088},
		{108.5, 0.415687443, 133.7344759, 0.046217028},
		{120.5, 0.505564115, 138.8234114, 0.047610108},
		{132.5, 0.487939275, 143.7303663, 0.048937694},
		{144.5, 0.420919142, 149.3088178, 0.049947823},
		{156.5, 0.816239713, 156.4098858, 0.050333444},
		{168.5, 1.670433444, 164.1418486, 0.04894519},
		{180.5, 2.205180153, 170.139255, 0.045889585},
		{192.5, 2.113023423, 173.6100518, 0.043085685},
		{204.5, 1.724738292, 175.340954, 0.041408129},
		{216.5, 1.399999187, 176.1850208, 0.04064364},
		{228.5, 1.229163362, 176.6178621, 0.040391101},
	},
	{ // girls
		{0, -1.295960857, 49.28639612, 0.05008556},
		{6.5, 1.390428859, 66.11841553, 0.039444555},
		{12.5, 1.51550947, 74.39564379, 0.039369875},
		{18.5, 1.307609654, 80.79851532, 0.040048084},
		{24.5, 1.051272912, 85.3973169, 0.040859727},
		{36.5, 0.54198094, 94.21335709, 0.042017509},
		{48.5, 0.225705996, 101.033927, 0.043259907},
		{60.5, -0.057729947, 107.9566031, 0.044276588},
		{72.5, -0.219069129, 115.0054978, 0.044963636},
		{84.5, -0.210210748, 121.7616844, 0.045460702},
		{96.5, -0.079283065, 127.8262759, 0.045968169},
		{108.5, 0.08414848, 133.1303527, 0.04688401},
		{120.5, 0.284748919, 138.2111552, 0.048704503},
		{132.5, 0.744289752, 144.2609497, 0.050524236},
		{144.5, 1.303044695, 151.4865636, 0.048599314},
		{156.5, 1.242968236, 157.3436995, 0.043859135},
		{168.5, 0.95657215, 160.4776996, 0.041022401},
		{180.5, 0.895569834, 161.8979913, 0.040083845},
		{192.5, 0.941145943, 162.5689958, 0.039820663},
		{204.5, 0.999505539, 162.9238449, 0.039732048},
		{216.5, 1.047571238, 163.1307866, 0.039687311},
		{228.5, 1.083315329, 163.2590052, 0.039657339},
	},
}

// implausibleHeightZ is the bound beyond which a height is implausible for
// age: WHO flags a height-for-age z-score below -6 or above +6 as a
// biologically implausible value (WHO Anthro; used by nutrition surveys).
// It is applied to the CDC's modified z-score, the CDC's method for values
// far from the median, where the LMS curve's projection is unreliable.
const implausibleHeightZ = 6

// heightZ returns the modified z-score (CDC) of a height in cm at age in
// years for sex (0 boys, 1 girls) against the 2000 CDC charts, and false
// outside their ages (birth to 19 years). The modified z-score measures a
// value above the median in units of half the distance from the median to
// z = +2, and below it in half the distance to z = -2.
func heightZ(heightCm, ageYears float64, sex int) (float64, bool) {
	months := ageYears * 12
	rows := cdcLength[sex]
	if months < rows[0].months || months > rows[len(rows)-1].months {
		return 0, false
	}
	i := 1
	for i < len(rows)-1 && rows[i].months < months {
		i++
	}
	a, b := rows[i-1], rows[i]
	f := (months - a.months) / (b.months - a.months)
	l, m, s := a.l+f*(b.l-a.l), a.m+f*(b.m-a.m), a.s+f*(b.s-a.s)
	at := func(z float64) float64 { // the height at z-score z
		if math.Abs(l) < 1e-9 {
			return m * math.Exp(s*z)
		}
		return m * math.Pow(1+l*s*z, 1/l)
	}
	if heightCm >= m {
		return (heightCm - m) / ((at(2) - m) / 2), true
	}
	return (heightCm - m) / ((m - at(-2)) / 2), true
}
