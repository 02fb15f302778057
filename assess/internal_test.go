package assess

import (
	"slices"
	"strings"
	"testing"
	"time"

	"renalwatch/ckd"
	"renalwatch/lupus"
	"renalwatch/record"
	"renalwatch/units"
)

var t0 = time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)

// bare returns an assessor over an empty adult record, as Assess sets it up.
func bare() *assessor {
	p := record.Patient{ID: "x", BirthDate: time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC), Sex: record.Female}
	a := &assessor{tl: record.NewTimeline(p, record.Batch{}), asOf: t0, cfg: DefaultConfig()}
	a.out = Assessment{Alerts: []Alert{}, Missing: []Missing{}}
	return a
}

func raised(a *assessor, code string) Severity {
	for _, al := range a.out.Alerts {
		if al.Code == code {
			return al.Severity
		}
	}
	return ""
}

func TestEGFRAlertBoundaries(t *testing.T) {
	src := "KDIGO 2012 Table 5 (G4 15-29, G5 < 15), lower bounds inclusive"
	for _, r := range []struct {
		egfr       float64
		g4, g5     Severity
		msg, wantS string
	}{
		{30, "", "", "", ""},
		{29.9, Warning, "", "CKD G4: eGFR 29.9 (ckd-epi-2021, ", "G4 is eGFR 15-29"},
		// Trial #28: not "eGFR 30 (29.63 unrounded) (...) is below 30".
		{29.63, Warning, "", "CKD G4: eGFR 29.63 (ckd-epi-2021, ", "G4 is eGFR 15-29"},
		{15, Warning, "", "CKD G4: eGFR 15 (ckd-epi-2021, ", "G4 is eGFR 15-29"},
		{14.9, "", Critical, "CKD G5 (kidney failure): eGFR 14.9 (ckd-epi-2021, ", "G5 (kidney failure) is eGFR < 15"},
		{12, "", Critical, "CKD G5 (kidney failure): eGFR 12 (ckd-epi-2021, ", "G5 (kidney failure) is eGFR < 15"},
	} {
		a := bare()
		a.latest = &point{ok: true, value: r.egfr, cr: r.egfr, eq: equationOf("ckd-epi-2021"), obs: &record.Observation{Time: t0.AddDate(0, 0, -1)}}
		a.alerts()
		if got := raised(a, AlertCKDG4); got != r.g4 {
			t.Errorf("eGFR %v: ckd-g4 %q, want %q (%s)", r.egfr, got, r.g4, src)
		}
		if got := raised(a, AlertCKDG5); got != r.g5 {
			t.Errorf("eGFR %v: ckd-g5 %q, want %q (%s)", r.egfr, got, r.g5, src)
		}
		for _, al := range a.out.Alerts {
			if al.Code == AlertCKDG4 || al.Code == AlertCKDG5 {
				if !strings.HasPrefix(al.Message, r.msg) || !strings.Contains(al.Source, r.wantS) {
					t.Errorf("eGFR %v: %s %q / %q, want message from %q and source with %q", r.egfr, al.Code, al.Message, al.Source, r.msg, r.wantS)
				}
			}
		}
	}
}

func TestKFREAlertBoundaries(t *testing.T) {
	for _, r := range []struct {
		name         string
		risk2, risk5 float64
		code         string
		want         Severity
		source       string
	}{
		{"5y at 5%", 0.01, 0.05, AlertKFRE5yReferral, Warning, srcKFRE5y},
		{"5y just below 5%", 0.01, 0.0499, AlertKFRE5yReferral, "", srcKFRE5y},
		{"2y at 10% (not above)", 0.10, 0.2, AlertKFRE2yMultidisciplinary, "", srcKFRE2y10},
		{"2y above 10%", 0.1001, 0.2, AlertKFRE2yMultidisciplinary, Warning, srcKFRE2y10},
		{"2y at 40% (not above)", 0.40, 0.7, AlertKFRE2yKRTPlanning, "", srcKFRE2y40},
		{"2y above 40%", 0.4001, 0.7, AlertKFRE2yKRTPlanning, Critical, srcKFRE2y40},
	} {
		a := bare()
		a.out.Kidney.KFRE = &KFRE{Variables: 4, Risk2y: r.risk2, Risk5y: r.risk5, ACRSource: "measured"}
		a.alerts()
		if got := raised(a, r.code); got != r.want {
			t.Errorf("%s: %s %q, want %q (%s)", r.name, r.code, got, r.want, r.source)
		}
	}
}

// pts sets creatinine-only eGFR points at the given offsets in days before
// t0.
func withPoints(a *assessor, vals map[int]float64) {
	days := make([]int, 0, len(vals))
	for d := range vals {
		days = append(days, d)
	}
	slices.Sort(days)
	slices.Reverse(days) // oldest first
	for _, d := range days {
		v := vals[d]
		a.points = append(a.points, point{ok: true, shown: true, value: v, cr: v, crEq: equationOf("ckd-epi-2021"), eq: equationOf("ckd-epi-2021"),
			obs: &record.Observation{Time: t0.AddDate(0, 0, -d), Analyte: units.Creatinine}})
	}
}

// monthly is 25 monthly eGFRs over two years falling by perYear, with a
// scatter of ±0.15 (a residual SD above ckd.MinResidualSD, so the slope
// has a 95% CI, about ±0.11 wide).
func monthly(perYear float64) map[int]float64 {
	m := map[int]float64{}
	for i := range 25 {
		d := 720 - 30*i
		noise := 0.15
		if i%2 == 1 {
			noise = -0.15
		}
		m[d] = 60 - perYear*float64(720-d)/365.25 + noise
	}
	return m
}

func TestProgressionBoundaries(t *testing.T) {
	for _, r := range []struct {
		name   string
		vals   map[int]float64
		raas   bool
		code   string
		want   Severity
		source string
	}{
		{"fall of exactly 20%", map[int]float64{365: 50, 180: 50, 30: 50, 0: 40}, false, AlertEGFRDrop, "", "KDIGO 2024 PP 2.1.3: > 20%"},
		{"fall of 20.2%", map[int]float64{365: 50, 180: 50, 30: 50, 0: 39.9}, false, AlertEGFRDrop, Warning, "KDIGO 2024 PP 2.1.3: > 20%"},
		{"rise of 25% is not a drop", map[int]float64{365: 40, 180: 40, 30: 40, 0: 50}, false, AlertEGFRDrop, "", "KDIGO 2024 PP 2.1.3 (alert on falls only)"},
		{"fall of 20.2% after starting a RAAS blocker", map[int]float64{365: 50, 180: 50, 30: 50, 0: 39.9}, true, AlertEGFRDrop, "", "KDIGO 2024 PP 2.1.4: > 30%"},
		{"fall of 30.2% after starting a RAAS blocker", map[int]float64{365: 50, 180: 50, 30: 50, 0: 34.9}, true, AlertEGFRDrop, Warning, "KDIGO 2024 PP 2.1.4: > 30%"},
		{"decline of 4.9/year", monthly(4.9), false, AlertRapidProgression, "", "KDIGO 2012 rec 2.1.3: > 5/year"},
		{"decline of 5.3/year", monthly(5.3), false, AlertRapidProgression, Warning, "KDIGO 2012 rec 2.1.3: > 5/year, whole 95% CI below -5"},
		// Three values exactly on a line: no CI (ckd.MinResidualSD), so the
		// decline is possible but not shown to be sustained: no alert.
		{"exact line of 5.1/year", map[int]float64{730: 60, 365: 60 - 5.1*365/365.25, 0: 60 - 5.1*730/365.25}, false, AlertRapidProgression, "", "no zero-width CI (lupus.md §7.4)"},
	} {
		a := bare()
		if r.raas {
			a.tl = record.NewTimeline(a.tl.Patient, record.Batch{Therapies: []record.Therapy{{ID: "t", PatientID: "x", Class: record.RAASBlockade, Start: t0.AddDate(0, 0, -10)}}})
		}
		withPoints(a, r.vals)
		a.slope()
		a.alerts()
		if got := raised(a, r.code); got != r.want {
			t.Errorf("%s: %s %q, want %q (%s); progression %+v", r.name, r.code, got, r.want, r.source, a.out.Kidney.Progression)
		}
	}
}

func TestSlopeNeedsThreePoints(t *testing.T) {
	a := bare()
	withPoints(a, map[int]float64{365: 60, 0: 40})
	a.slope()
	if a.out.Kidney.Slope != nil {
		t.Errorf("slope from two points: %+v", a.out.Kidney.Slope)
	}
	for _, p := range a.out.Kidney.Progression {
		if p.Rule == ckd.KDIGO2012Rapid {
			t.Errorf("rapid progression judged on two points: %+v", p)
		}
	}
}

func TestReported(t *testing.T) {
	// 3 mg/mmol stored as 26.52 mg/g comes back as exactly 3 mg/mmol.
	q, _ := units.ACR.Normalize("", units.Q(3, units.MgPerMmol))
	o := record.Observation{Analyte: units.ACR, Value: q, Source: &record.Source{Unit: "mg/mmol"}, SourceValue: "3"}
	if got := reported(o); got != units.Q(3, units.MgPerMmol) {
		t.Errorf("reported = %v, want 3 mg/mmol", got)
	}
	if a, _ := ckd.ACategory(reported(o)); a != ckd.A2 {
		t.Errorf("3 mg/mmol is A2 in the unit of report, got %v", a)
	}
	// A UCUM annotation ("mg/mmol{creat}", as many laboratories code a
	// ratio) does not change the unit (UCUM §6): 30 mg/mmol is A3 in the
	// unit of report, not 265.2 mg/g, which is A2 (trial 5 #1).
	q30, _ := units.ACR.Normalize("", units.Q(30, units.MgPerMmol))
	oa := record.Observation{Analyte: units.ACR, Value: q30, Source: &record.Source{Unit: "mg/mmol{creat}"}, SourceValue: "30"}
	if got := reported(oa); got != units.Q(30, units.MgPerMmol) {
		t.Errorf("reported(30 mg/mmol{creat}) = %v, want 30 mg/mmol", got)
	}
	if a, _ := ckd.ACategory(reported(oa)); a != ckd.A3 {
		t.Errorf("30 mg/mmol{creat} is A3 in the unit of report, got %v", a)
	}
	// No usable original unit: the canonical value.
	o.SetProvenance(record.Provenance{Unit: "furlongs"})
	if got := reported(o); got != q {
		t.Errorf("reported = %v, want %v", got, q)
	}
}

// TestMayFlareIsSuperset: wherever lupus.Flare finds a flare, the screen
// lets the visit through (a false negative would drop a flare).
func TestMayFlareIsSuperset(t *testing.T) {
	upcrs := []float64{50, 200, 400, 440, 442, 450, 499, 500, 600, 880, 884, 900, 1000, 1001, 1500, 1760, 1768, 1800, 1999, 2000, 2002, 2500, 3000, 4000, 4420, 4500, 5000, 6000}
	// Creatinine pairs (mg/dL) around the Table 29 and 30% thresholds; 0 = not given.
	creats := [][2]float64{{0, 0}, {0.9, 1.09}, {0.9, 1.1}, {0.9, 1.2}, {1.0, 1.3}, {1.0, 2.1}, {2.0, 2.39}, {2.0, 2.4}, {2.0, 3.6}}
	rbcs := []float64{-1, 10, 16}
	n := 0
	for _, rule := range lupus.FlareRules() {
		for _, unit := range []units.Unit{units.MgPerG, units.MgPerMmol, units.GPerG} {
			for _, bu := range upcrs {
				for _, cu := range upcrs {
					for _, cp := range creats {
						bc, cc := cp[0], cp[1]
						{
							for _, rb := range rbcs {
								toUnit := func(mgPerG float64) units.Quantity {
									q, _ := units.PCR.Convert(units.Q(mgPerG, units.MgPerG), unit)
									q.Value = roundSig(q.Value, 6)
									return q
								}
								bq, cq := toUnit(bu), toUnit(cu)
								canon := func(q units.Quantity) record.Observation {
									c, _ := units.PCR.Convert(q, units.MgPerG)
									return record.Observation{Value: c}
								}
								in := lupus.FlareInput{BaselineUPCR: bq, UPCR: cq}
								if rule != lupus.AURORA2Flare && bc > 0 {
									in.BaselineCreatinine, in.Creatinine = units.Q(bc, units.MgPerDL), units.Q(cc, units.MgPerDL)
								}
								if rule == lupus.KDIGO2012Flare && rb >= 0 {
									in.BaselineRBC, in.RBC = units.Q(2, units.PerHPF), units.Q(rb, units.PerHPF)
								}
								if rule == lupus.MoroniFlare || rule == lupus.EULAR2012Flare {
									in.Sediment = "inactive"
								}
								if rule == lupus.EULAR2012Flare {
									in.After = "complete"
								}
								res, err := lupus.Flare(rule, in)
								if err != nil || !res.Flare {
									continue
								}
								n++
								if !mayFlare(rule, canon(bq).Value.Value, canon(cq).Value.Value, creatinineRise(&in), in.Casts, in.Sediment, in.RBC, in.BaselineRBC) {
									t.Errorf("%s: flare %v -> %v, creatinine %v -> %v, RBC %v screened out", rule, bq, cq, bc, cc, rb)
								}
							}
						}
					}
				}
			}
		}
	}
	if n == 0 {
		t.Fatal("no flare in the grid: the test checks nothing")
	}
}

// Trial #11: the active-sediment source cites; the definition is in the
// message.
func TestSedimentSourceIsACitation(t *testing.T) {
	if strings.HasPrefix(srcSediment, "Active") || !strings.HasPrefix(srcSediment, "SLEDAI-2K") {
		t.Errorf("srcSediment opens with a definition: %q", srcSediment)
	}
}

// Trial #28: "once a year", not "1 times a year".
func TestTimesAYear(t *testing.T) {
	for n, want := range map[float64]string{1: "once a year", 2: "twice a year", 3: "3 times a year", 4: "4 times a year"} {
		if got := timesAYear(n); got != want {
			t.Errorf("timesAYear(%v) = %q, want %q", n, got, want)
		}
	}
}
