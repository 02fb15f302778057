package assess_test

import (
	"math"
	"strings"
	"testing"

	"renalwatch/assess"
	"renalwatch/ckd"
	"renalwatch/record"
	"renalwatch/units"
)

// A hand-written lupus nephritis patient (invented) with two visits: the
// latest labs table pairs each latest value with the one before it, in the
// laboratory's unit, and the serology trend keeps the 12 months before
// as_of only.
func TestLatestLabsAndSerology(t *testing.T) {
	b := newPatient(t, "labs", "1990-01-01", record.Female).
		cond(record.LupusNephritis, "2020-01-01", "").
		obs(units.C3, "2022-01-01", 0.9, units.GPerL). // more than 12 months before as_of
		obs(units.Creatinine, "2023-03-01", 88.4, units.UmolPerL).
		obs(units.Creatinine, "2023-09-01", 106.08, units.UmolPerL).
		obs(units.PCR, "2023-03-01", 150, units.MgPerMmol).
		obs(units.PCR, "2023-09-01", 60, units.MgPerG). // reported in another unit: previous converted to it
		obs(units.C3, "2023-03-01", 0.5, units.GPerL).
		obs(units.C3, "2023-09-01", 0.7, units.GPerL).
		obsCmp(units.AntiDsDNA, "2023-09-01", 10, units.IUPerML, record.Less).
		obs(units.AntiDsDNA, "2023-03-01", 200, units.IUPerML).
		obs(units.SystolicBP, "2023-09-01", 131, units.MmHg)
	a := assess.Assess(b.timeline(), day("2023-12-31"), assess.DefaultConfig())
	rows := map[string]assess.LatestLab{}
	var order []string
	for _, r := range a.LatestLabs {
		rows[r.Analyte] = r
		order = append(order, r.Analyte)
	}
	if got := strings.Join(order, ","); got != "creatinine,egfr,pcr,c3,anti_dsdna,systolic_bp" {
		t.Errorf("rows = %s", got)
	}
	cr := rows["creatinine"]
	// 106.08 umol/L is 1.2 mg/dL (88.4 umol/L per mg/dL, KDIGO 2012).
	if cr.Value.Unit != units.UmolPerL || cr.Value.Value != 106.08 || cr.Previous == nil || cr.Previous.Value != 88.4 || cr.Change == nil || math.Abs(*cr.Change-17.68) > 1e-9 {
		t.Errorf("creatinine row = %+v", cr)
	}
	e := rows["egfr"]
	if a.Kidney.EGFR == nil || e.Value.Value != a.Kidney.EGFR.Value || e.Previous == nil || e.Equation != "ckd-epi-2021" {
		t.Errorf("egfr row = %+v, kidney.egfr %+v", e, a.Kidney.EGFR)
	}
	// 150 mg/mmol = 1326 mg/g (8.84 mg/g per mg/mmol).
	p := rows["pcr"]
	if p.PreviousAsReported == nil || *p.PreviousAsReported != units.Q(150, units.MgPerMmol) || cr.PreviousAsReported != nil {
		t.Errorf("previous as reported: pcr %+v, creatinine %+v", p.PreviousAsReported, cr.PreviousAsReported)
	}
	if p.Value.Unit != units.MgPerG || p.Previous == nil || p.Previous.Unit != units.MgPerG || math.Abs(p.Previous.Value-1326) > 1e-6 || math.Abs(*p.Change-(60-1326)) > 1e-6 {
		t.Errorf("pcr row = %+v", p)
	}
	if d := rows["anti_dsdna"]; d.Comparator != "<" || d.Change != nil || d.Previous == nil || d.Previous.Value != 200 {
		t.Errorf("anti-dsDNA row = %+v: a bound has no change", d)
	}
	if s := rows["systolic_bp"]; s.Previous != nil || s.Change != nil {
		t.Errorf("systolic BP row = %+v: one value has no previous", s)
	}
	if len(a.Lupus.Serology) != 2 || a.Lupus.Serology[0].Analyte != "c3" || len(a.Lupus.Serology[0].Values) != 2 || a.Lupus.Serology[1].Analyte != "anti_dsdna" {
		t.Errorf("serology = %+v: C3 of 2022 is outside the 12 months", a.Lupus.Serology)
	}
}

// Without lupus there is no serology trend, but the labs table is there.
func TestSerologyOnlyWithLupus(t *testing.T) {
	b := newPatient(t, "ckd", "1950-01-01", record.Male).
		obs(units.Creatinine, "2023-09-01", 2, units.MgPerDL).
		obs(units.C3, "2023-09-01", 0.7, units.GPerL)
	a := assess.Assess(b.timeline(), day("2023-12-31"), assess.DefaultConfig())
	if a.Lupus.Serology != nil {
		t.Errorf("serology = %+v without lupus", a.Lupus.Serology)
	}
	if len(a.LatestLabs) != 3 {
		t.Errorf("latest labs = %+v", a.LatestLabs)
	}
}

// Regression (issue 9): the same eGFR read 27.1 in the report header and
// 27.12 in the ckd-g4 alert. Alert messages now write it by ckd.EGFRText,
// the rule of the header, and cite no internal notes.
func TestAlertEGFRAsHeader(t *testing.T) {
	b := newPatient(t, "g4", "1960-01-01", record.Female).
		obs(units.Creatinine, "2023-09-01", 2.0, units.MgPerDL)
	a := assess.Assess(b.timeline(), day("2023-10-01"), assess.DefaultConfig())
	if a.Kidney.EGFR == nil {
		t.Fatal("no eGFR")
	}
	want := "eGFR " + ckd.EGFRText(a.Kidney.EGFR.Value) + " (ckd-epi-2021, 2023-09-01) is below 30 mL/min/1.73 m²"
	found := false
	for _, al := range a.Alerts {
		if al.Code == assess.AlertCKDG4 {
			found = true
			if !strings.Contains(al.Message, want) {
				t.Errorf("ckd-g4 message %q lacks %q", al.Message, want)
			}
		}
		for _, bad := range []string{"lupus.md", "kidney.md", "ambiguity", "§", "mm[Hg]"} {
			if strings.Contains(al.Message+al.Source, bad) {
				t.Errorf("alert %s cites %q: %s / %s", al.Code, bad, al.Message, al.Source)
			}
		}
	}
	if txt := ckd.EGFRText(a.Kidney.EGFR.Value); !found || strings.Contains(txt, ".") {
		t.Errorf("ckd-g4 raised %v; eGFR text %q must be a whole number", found, txt)
	}
}

// A previous value from before a kidney transplant describes the native
// kidney: the graft's latest value is not compared with it (KDIGO 2024: T
// for transplant recipients; the slope leaves such values out too).
func TestLatestLabsAcrossTransplant(t *testing.T) {
	b := newPatient(t, "tx", "1975-01-01", record.Male).
		obs(units.Bicarbonate, "2023-05-25", 17, units.MmolPerL).
		obs(units.Creatinine, "2023-05-25", 6, units.MgPerDL).
		replacement(record.KidneyTransplant, "2025-03-18", "").
		obs(units.Bicarbonate, "2026-09-10", 24, units.MmolPerL).
		obs(units.Creatinine, "2026-06-11", 1.29, units.MgPerDL).
		obs(units.Creatinine, "2026-09-10", 1.32, units.MgPerDL)
	a := assess.Assess(b.timeline(), day("2026-10-15"), assess.DefaultConfig())
	for _, r := range a.LatestLabs {
		switch r.Analyte {
		case "bicarbonate":
			if r.Change != nil || !strings.Contains(r.PreviousNotComparable, "before the kidney transplant of 2025-03-18") || r.Previous == nil || r.Previous.Value != 17 {
				t.Errorf("bicarbonate row = %+v", r)
			}
		case "creatinine":
			if r.Change == nil || math.Abs(*r.Change-0.03) > 1e-9 || r.PreviousNotComparable != "" {
				t.Errorf("creatinine row = %+v: both values after the transplant", r)
			}
		}
	}
}
