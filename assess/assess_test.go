package assess_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"renalwatch/assess"
	"renalwatch/ckd"
	"renalwatch/egfr"
	"renalwatch/kfre"
	"renalwatch/record"
	"renalwatch/units"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

type builder struct {
	p record.Patient
	b record.Batch
	n int
}

func patient(birth string, sex record.Sex) *builder {
	p := record.Patient{ID: "p", Sex: sex}
	if birth != "" {
		p.BirthDate = day(birth)
	}
	return &builder{p: p}
}

func (bl *builder) obs(a units.Analyte, date string, v float64, u units.Unit) *builder {
	bl.n++
	q, err := a.Normalize("", units.Q(v, u))
	if err != nil {
		panic(err)
	}
	bl.b.Observations = append(bl.b.Observations, record.Observation{ID: "o" + string(rune('a'+bl.n%26)) + time.Duration(bl.n).String(),
		PatientID: "p", Analyte: a, Value: q, Time: day(date)})
	return bl
}

func (bl *builder) assess(asOf string) *assess.Assessment {
	return assess.Assess(record.NewTimeline(bl.p, bl.b), day(asOf), assess.DefaultOptions())
}

func codes(a *assess.Assessment) []string {
	var out []string
	for _, al := range a.Alerts {
		out = append(out, al.Code+":"+al.Severity)
	}
	slices.Sort(out)
	return out
}

func hasMissing(a *assess.Assessment, sub string) bool {
	for _, m := range a.Missing {
		if strings.Contains(m, sub) {
			return true
		}
	}
	return false
}

func TestEGFRForEveryCreatinine(t *testing.T) {
	a := patient("1960-06-15", record.Female).
		obs(units.Creatinine, "2020-01-01", 1.0, units.MgPerDL).
		obs(units.Creatinine, "2021-01-01", 106, units.UmolPerL).
		obs(units.CystatinC, "2021-01-01", 1.2, units.MgPerL).
		obs(units.Creatinine, "2030-01-01", 3, units.MgPerDL). // after as-of: not seen
		assess("2022-01-01")
	s := a.Kidney.Series
	if len(s) != 2 {
		t.Fatalf("series has %d values, want 2 (the 2030 value is after as-of)", len(s))
	}
	// Independent: the equations called directly with the exact age.
	age1 := day("2020-01-01").Sub(day("1960-06-15")).Hours() / 24 / 365.2425
	want1 := egfr.CKDEPI2021(1.0, age1, egfr.Female)
	age2 := day("2021-01-01").Sub(day("1960-06-15")).Hours() / 24 / 365.2425
	want2 := egfr.CKDEPI2021CrCys(106/88.4, 1.2, age2, egfr.Female)
	if s[0].Equation != "ckd-epi-2021" || abs(s[0].Value-want1) > 1e-9 {
		t.Errorf("first eGFR %s %v, want ckd-epi-2021 %v", s[0].Equation, s[0].Value, want1)
	}
	if s[1].Equation != "ckd-epi-2021-cys" || abs(s[1].Value-want2) > 1e-9 || s[1].CystatinID == "" {
		t.Errorf("second eGFR %s %v (cystatin %q), want ckd-epi-2021-cys %v with the same-day cystatin", s[1].Equation, s[1].Value, s[1].CystatinID, want2)
	}
	if a.Kidney.EGFR == nil || a.Kidney.EGFR.Date != day("2021-01-01") {
		t.Errorf("latest eGFR = %+v", a.Kidney.EGFR)
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func TestChildNeedsHeight(t *testing.T) {
	noHeight := patient("2015-01-01", record.Male).obs(units.Creatinine, "2024-01-01", 0.5, units.MgPerDL).assess("2024-06-01")
	if len(noHeight.Kidney.Series) != 0 || !hasMissing(noHeight, "height") {
		t.Errorf("child without height: series %v, missing %v; want no eGFR and height missing", noHeight.Kidney.Series, noHeight.Missing)
	}
	a := patient("2015-01-01", record.Male).obs(units.Height, "2023-09-01", 130, units.Cm).
		obs(units.Creatinine, "2024-01-01", 0.5, units.MgPerDL).assess("2024-06-01")
	if len(a.Kidney.Series) != 1 || a.Kidney.Series[0].Equation != "ckid-u25" {
		t.Fatalf("child with height: %+v", a.Kidney.Series)
	}
	age := day("2024-01-01").Sub(day("2015-01-01")).Hours() / 24 / 365.2425
	if want := egfr.CKiDU25Cr(0.5, 130, age, egfr.Male); abs(a.Kidney.Series[0].Value-want) > 1e-9 {
		t.Errorf("CKiD U25 = %v, want %v", a.Kidney.Series[0].Value, want)
	}
	if a.Kidney.KFRE != nil {
		t.Error("KFRE computed for a child")
	}
	// No height, but a cystatin C the same day: CKiD U25 cystatin needs no height.
	c := patient("2015-01-01", record.Male).obs(units.Creatinine, "2024-01-01", 0.5, units.MgPerDL).
		obs(units.CystatinC, "2024-01-01", 0.9, units.MgPerL).assess("2024-06-01")
	if len(c.Kidney.Series) != 1 || c.Kidney.Series[0].Equation != "ckid-u25-cys" {
		t.Fatalf("child with cystatin, no height: %+v, missing %v", c.Kidney.Series, c.Missing)
	}
	if want := egfr.CKiDU25Cys(0.9, age, egfr.Male); abs(c.Kidney.Series[0].Value-want) > 1e-9 {
		t.Errorf("CKiD U25 cystatin = %v, want %v", c.Kidney.Series[0].Value, want)
	}
}

func TestStaleEGFR(t *testing.T) {
	a := patient("1960-01-01", record.Male).obs(units.Creatinine, "2020-01-01", 1, units.MgPerDL).assess("2022-01-01")
	if a.Kidney.EGFR == nil || !hasMissing(a, "latest eGFR is from 2020-01-01") {
		t.Errorf("two-year-old eGFR: missing %v", a.Missing)
	}
}

func TestMissingSexAndBirthDate(t *testing.T) {
	a := patient("1960-01-01", record.SexUnknown).obs(units.Creatinine, "2024-01-01", 1, units.MgPerDL).assess("2024-06-01")
	if a.Kidney.EGFR != nil || !hasMissing(a, "sex") {
		t.Errorf("unknown sex: eGFR %+v, missing %v; want none and sex missing", a.Kidney.EGFR, a.Missing)
	}
	b := patient("", record.Female).obs(units.Creatinine, "2024-01-01", 1, units.MgPerDL).assess("2024-06-01")
	if b.Kidney.EGFR != nil || b.Patient.Age != nil || !hasMissing(b, "birth date") {
		t.Errorf("no birth date: eGFR %+v, missing %v", b.Kidney.EGFR, b.Missing)
	}
}

// declining builds an adult woman whose creatinine rises over three years.
func declining() *builder {
	bl := patient("1960-01-01", record.Female)
	for i, cr := range []float64{1.6, 1.9, 2.3, 2.8, 3.4} {
		bl.obs(units.Creatinine, day("2020-01-01").AddDate(0, 8*i, 0).Format(time.DateOnly), cr, units.MgPerDL)
	}
	return bl
}

func TestStageSlopeKFRE(t *testing.T) {
	a := declining().obs(units.ACR, "2022-06-01", 400, units.MgPerG).obs(units.ACR, "2022-12-01", 500, units.MgPerG).assess("2023-01-01")
	k := a.Kidney
	if k.EGFR == nil || k.Stage == nil {
		t.Fatalf("kidney = %+v", k)
	}
	g, _ := ckd.GCategory(k.EGFR.Value)
	if k.Stage.G != g.String() || k.Stage.A == nil || *k.Stage.A != "A3" || k.Stage.ASource != "acr" || !k.Stage.Persistent {
		t.Errorf("stage = %+v (A %v); want %s, A3 from ACR, persistent", k.Stage, k.Stage.A, g)
	}
	// The 3-year window before 2023-01-01 starts 2020-01-02: the first
	// of the five values is outside it.
	if k.Slope == nil || k.Slope.PerYear >= -5 || k.Slope.Points != 4 {
		t.Errorf("slope = %+v; want 4 points falling faster than 5 per year", k.Slope)
	}
	// Independent KFRE call with the same inputs.
	want, err := kfre.Predict(kfre.Input{Age: day("2023-01-01").Sub(day("1960-01-01")).Hours() / 24 / 365.2425, Sex: ckd.Female,
		EGFR: k.EGFR.Value, ACR: units.Q(500, units.MgPerG), Region: kfre.NorthAmerica})
	if err != nil {
		t.Fatal(err)
	}
	if k.KFRE == nil || k.KFRE.Risk2y != want.Risk2y || k.KFRE.Risk5y != want.Risk5y || k.KFRE.ACRSource != "measured" || k.KFRE.Variables != 4 {
		t.Errorf("KFRE = %+v, want 4-variable %v/%v from a measured ACR", k.KFRE, want.Risk2y, want.Risk5y)
	}
	g4 := "ckd-g4:warning"
	if k.Stage.G == "G5" {
		g4 = "ckd-g4:critical"
	}
	for _, c := range []string{g4, "egfr-drop:warning", "rapid-progression:warning", "kfre-5y-referral:warning", "kfre-2y-multidisciplinary:warning"} {
		if !slices.Contains(codes(a), c) {
			t.Errorf("alerts %v lack %s", codes(a), c)
		}
	}
	for _, al := range a.Alerts {
		if al.Source == "" || al.Message == "" {
			t.Errorf("alert without source or message: %+v", al)
		}
	}
}

func TestNoACRNoKFRE(t *testing.T) {
	a := declining().assess("2023-01-01")
	if a.Kidney.KFRE != nil || a.Kidney.Stage.A != nil || !hasMissing(a, "ACR or UPCR") || !hasMissing(a, "measured ACR") {
		t.Errorf("without ACR: KFRE %+v, A %v, missing %v", a.Kidney.KFRE, a.Kidney.Stage.A, a.Missing)
	}
	p := declining().obs(units.PCR, "2022-12-01", 3.2, units.GPerG).assess("2023-01-01")
	if p.Kidney.Stage.A == nil || *p.Kidney.Stage.A != "A3" || p.Kidney.Stage.ASource != "pcr" || !slices.Contains(codes(p), "nephrotic-proteinuria:warning") {
		t.Errorf("with UPCR 3.2 g/g: stage %+v, alerts %v", p.Kidney.Stage, codes(p))
	}
}

func TestSlopeNeedsThreeValuesOver90Days(t *testing.T) {
	a := patient("1960-01-01", record.Male).obs(units.Creatinine, "2022-01-01", 1, units.MgPerDL).
		obs(units.Creatinine, "2022-02-01", 1.1, units.MgPerDL).obs(units.Creatinine, "2022-03-01", 1.2, units.MgPerDL).assess("2022-06-01")
	if a.Kidney.Slope != nil || !hasMissing(a, "eGFR slope") {
		t.Errorf("three values over 59 days: slope %+v, missing %v", a.Kidney.Slope, a.Missing)
	}
}

func TestEGFRDrop(t *testing.T) {
	a := patient("1960-01-01", record.Male).obs(units.Creatinine, "2022-01-01", 1.0, units.MgPerDL).
		obs(units.Creatinine, "2022-02-01", 1.4, units.MgPerDL).assess("2022-06-01")
	if !slices.Contains(codes(a), "egfr-drop:warning") {
		t.Errorf("creatinine 1.0 -> 1.4: alerts %v, want egfr-drop", codes(a))
	}
	b := patient("1960-01-01", record.Male).obs(units.Creatinine, "2022-01-01", 1.0, units.MgPerDL).
		obs(units.Creatinine, "2022-02-01", 1.05, units.MgPerDL).assess("2022-06-01")
	if slices.Contains(codes(b), "egfr-drop:warning") {
		t.Errorf("creatinine 1.0 -> 1.05: egfr-drop raised")
	}
}

func TestThresholdAlerts(t *testing.T) {
	tests := []struct {
		name  string
		sex   record.Sex
		a     units.Analyte
		v     float64
		u     units.Unit
		want  string // "" when no alert
		label string
	}{
		{"potassium below", record.Female, units.Potassium, 5.4, units.MmolPerL, "", "hyperkalemia"},
		{"potassium at 5.5", record.Female, units.Potassium, 5.5, units.MmolPerL, "hyperkalemia:warning", "hyperkalemia"},
		{"potassium at 6.0", record.Female, units.Potassium, 6.0, units.MmolPerL, "hyperkalemia:critical", "hyperkalemia"},
		{"hb woman 12.0", record.Female, units.Hemoglobin, 12.0, units.GPerDL, "", "anemia"},
		{"hb woman 11.9", record.Female, units.Hemoglobin, 11.9, units.GPerDL, "anemia:info", "anemia"},
		{"hb man 12.9", record.Male, units.Hemoglobin, 12.9, units.GPerDL, "anemia:info", "anemia"},
		{"hb man 13.0", record.Male, units.Hemoglobin, 13.0, units.GPerDL, "", "anemia"},
		{"sbp 119", record.Male, units.SystolicBP, 119, units.MmHg, "", "bp-above-target"},
		{"sbp 120", record.Male, units.SystolicBP, 120, units.MmHg, "bp-above-target:info", "bp-above-target"},
		{"upcr 2.99 g/g", record.Male, units.PCR, 2.99, units.GPerG, "", "nephrotic-proteinuria"},
		{"upcr 3 g/g", record.Male, units.PCR, 3, units.GPerG, "nephrotic-proteinuria:warning", "nephrotic-proteinuria"},
		{"24h protein 3.5 g", record.Male, units.UrineProtein24h, 3.5, units.GPerDay, "nephrotic-proteinuria:warning", "nephrotic-proteinuria"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := patient("1970-01-01", tt.sex).obs(tt.a, "2024-01-01", tt.v, tt.u).assess("2024-02-01")
			var got string
			for _, c := range codes(a) {
				if strings.HasPrefix(c, tt.label+":") {
					got = c
				}
			}
			if got != tt.want {
				t.Errorf("alerts %v; want %q", codes(a), tt.want)
			}
		})
	}
	// Old values do not alert: potassium 100 days before as-of.
	old := patient("1970-01-01", record.Female).obs(units.Potassium, "2024-01-01", 6.5, units.MmolPerL).assess("2024-04-10")
	if len(old.Alerts) != 0 {
		t.Errorf("potassium 100 days old raised %v", codes(old))
	}
}

func TestLupusAndTherapies(t *testing.T) {
	bl := patient("1990-01-01", record.Female)
	two, one, zero := 2, 1, 0
	bl.b.Conditions = []record.Condition{{ID: "c", PatientID: "p", Kind: record.LupusNephritis, LNClass: "IV", Onset: day("2020-01-01")}}
	bl.b.Findings = []record.Finding{
		{ID: "f1", PatientID: "p", Code: record.FindingHematuria, Present: true, Time: day("2021-01-01")},
		{ID: "f2", PatientID: "p", Code: record.FindingProteinuria, Present: true, Time: day("2021-01-01")},
		{ID: "f3", PatientID: "p", Code: record.FindingRash, Present: false, Time: day("2021-01-01")},
	}
	bl.b.Biopsies = []record.Biopsy{{ID: "b", PatientID: "p", Time: day("2020-02-01"), Classes: []string{"IV"},
		EndocapillaryHypercellularity: &two, Neutrophils: &one, FibrinoidNecrosis: &one, HyalineDeposits: &zero, CellularCrescents: &one, InterstitialInflammation: &one}}
	bl.b.Therapies = []record.Therapy{{ID: "t", PatientID: "p", Class: record.MSCInfusion, Name: "mesenchymal stem cells", Start: day("2021-06-01")}}
	a := bl.assess("2022-01-01")
	want, _ := lupusScore([]string{"hematuria", "proteinuria"})
	if s := a.Lupus.SLEDAI; s == nil || s.Score != want || s.From != "descriptors" || s.Date != day("2021-01-01") {
		t.Errorf("SLEDAI = %+v, want %d from descriptors", s, want)
	}
	// Activity index: 2 + 1 + 2*1 + 0 + 2*1 + 1 = 8 (necrosis and crescents count double, Bajema 2018).
	if b := a.Lupus.Biopsy; b == nil || b.Class != "IV" || b.ActivityIndex == nil || *b.ActivityIndex != 8 || b.ChronicityIndex != nil {
		t.Errorf("biopsy = %+v", a.Lupus.Biopsy)
	}
	if !slices.Contains(codes(a), "investigational-therapy:warning") || len(a.Therapies) != 1 || a.Therapies[0].Evidence != nil {
		t.Errorf("alerts %v, therapies %+v", codes(a), a.Therapies)
	}
	if !hasMissing(a, "renal response") || !hasMissing(a, "therapy evidence") {
		t.Errorf("missing %v should name the parts not computed", a.Missing)
	}
}

func TestKidneyReplacement(t *testing.T) {
	bl := patient("1960-01-01", record.Male)
	bl.b.Replacements = []record.Replacement{
		{ID: "d1", PatientID: "p", Kind: record.Dialysis, Start: day("2020-01-01")},
		{ID: "d2", PatientID: "p", Kind: record.Hemodialysis, Start: day("2020-01-03")},
		{ID: "tx", PatientID: "p", Kind: record.KidneyTransplant, Start: day("2021-01-01")},
	}
	a := bl.assess("2020-06-01")
	if got := codes(a); !slices.Equal(got, []string{"kidney-replacement:info"}) || !strings.Contains(a.Alerts[0].Message, "since 2020-01-01 (sessions: 2)") {
		t.Errorf("before the transplant: %v %+v", got, a.Alerts)
	}
	if got := codes(bl.assess("2022-01-01")); len(got) != 2 {
		t.Errorf("after the transplant: %v, want dialysis and transplant", got)
	}
}
