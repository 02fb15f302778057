package main

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// withNow sets the command's clock for one test.
func withNow(t *testing.T, at time.Time) {
	t.Helper()
	old := now
	now = func() time.Time { return at }
	t.Cleanup(func() { now = old })
}

// TestTrialCLIEGFRInMLPerMin is trial-cli #1 with the trial's exact input: an
// eGFR (LOINC 33914-3) reported as 25 mL/min was relabelled mL/min/1.73 m²
// and staged G4 with a ckd-g4 alert. It is now skipped, and the summary says
// so naming the field, the value, the unit and the unit expected.
func TestTrialCLIEGFRInMLPerMin(t *testing.T) {
	withNow(t, time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC))
	dir := t.TempDir()
	file, db := filepath.Join(dir, "eu2.ndjson"), filepath.Join(dir, "eu.db")
	writeFile(t, file, `{"resourceType":"Patient","id":"eu2","birthDate":"1960-01-01","gender":"male"}
{"resourceType":"Observation","id":"f1","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"33914-3"}]},"subject":{"reference":"Patient/eu2"},"effectiveDateTime":"2026-10-01","valueQuantity":{"value":25,"unit":"mL/min","system":"http://unitsofmeasure.org","code":"mL/min"}}
`)
	code, out, errs := runCmd(t, "import", file, "--db", db)
	if code != 0 {
		t.Fatalf("import exit %d: %s", code, errs)
	}
	for _, want := range []string{"imported 1,", "Skipped by rule:", "valueQuantity unit mL/min", "eGFR in mL/min/1.73 m²", "not imported", "Observation/f1: 25 mL/min"} {
		if !strings.Contains(out, want) {
			t.Errorf("import summary lacks %q:\n%s", want, out)
		}
	}
	code, out, errs = runCmd(t, "report", "eu2", "--db", db, "--as-of", "2026-11-01")
	if code != 0 {
		t.Fatalf("report exit %d: %s", code, errs)
	}
	for _, bad := range []string{"eGFR 25", "G4", "ckd-g4", "below 30"} {
		if strings.Contains(out, bad) {
			t.Errorf("report uses the mL/min value as an eGFR (%q):\n%s", bad, out)
		}
	}
}

// TestTrialCLIHexNumberFlag is trial-cli #8 on the command line: a number
// flag read "0x1p0" as 1 through strconv.ParseFloat.
func TestTrialCLIHexNumberFlag(t *testing.T) {
	code, _, errs := runCmd(t, "stage", "--egfr", "0x1p0")
	if code != 2 || !strings.Contains(errs, `"0x1p0" is not a decimal number`) {
		t.Errorf("stage --egfr 0x1p0: exit %d, %q; want 2 and 'not a decimal number'", code, errs)
	}
	if code, out, _ := runCmd(t, "stage", "--egfr", "1e1"); code != 0 || !strings.Contains(out, "G5") {
		t.Errorf("stage --egfr 1e1: exit %d, %q; want G5 (exponents are decimal)", code, out)
	}
}

// importCSV imports CSV texts (patients first) into a new store and returns
// its path.
func importCSV(t *testing.T, texts ...string) string {
	t.Helper()
	dir := t.TempDir()
	db := filepath.Join(dir, "t.db")
	args := []string{"import"}
	for i, s := range texts {
		f := filepath.Join(dir, "f"+string(rune('a'+i))+".csv")
		writeFile(t, f, s)
		args = append(args, f)
	}
	if code, _, errs := runCmd(t, append(args, "--db", db)...); code != 0 {
		t.Fatalf("import exit %d: %s", code, errs)
	}
	return db
}

// TestTrialCLIACRBound is trial-cli #3 with the trial's exact input: an ACR
// of "<3 mg/mmol" gave "A?" and the false reason "no ACR or UPCR in the 365
// days". <3 mg/mmol is A1 (KDIGO A1 < 3 mg/mmol), as 2.5 mg/mmol is.
func TestTrialCLIACRBound(t *testing.T) {
	withNow(t, time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC))
	db := importCSV(t, "patient_id,birth_date,sex\nab1,1970-01-01,female\n",
		"patient_id,time,analyte,value,unit\nab1,2024-03-01,creatinine,1.1,mg/dL\nab1,2024-03-01,acr,<3,mg/mmol\n")
	code, out, errs := runCmd(t, "report", "ab1", "--db", db, "--as-of", "2024-12-01")
	if code != 0 {
		t.Fatalf("report exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "Stage     KDIGO G3a A1, moderate risk (eGFR 60 (59.65 unrounded) on 2024-03-01, ACR <3 mg/mmol on 2024-03-01)") {
		t.Errorf("stage: want G3a A1 (ACR <3 mg/mmol), moderate risk:\n%s", out)
	}
	if strings.Contains(out, "no ACR or UPCR in the 365 days") || !strings.Contains(out, "reported only as a bound (<3 mg/mmol); the KFRE needs a measured value") {
		t.Errorf("want the true KFRE reason (a bound), not 'no ACR':\n%s", out)
	}
	// A bound that spans categories gives A? with the true reason.
	db = importCSV(t, "patient_id,birth_date,sex\nab1,1970-01-01,female\n",
		"patient_id,time,analyte,value,unit\nab1,2024-03-01,creatinine,1.1,mg/dL\nab1,2024-03-01,acr,<30,mg/mmol\n")
	_, out, _ = runCmd(t, "report", "ab1", "--db", db, "--as-of", "2024-12-01")
	if !strings.Contains(out, "G3a A?") || !strings.Contains(out, "Albuminuria: the latest ACR (2024-03-01) was reported only as a bound (<30 mg/mmol), which spans more than one KDIGO albuminuria category") {
		t.Errorf("<30 mg/mmol: want A? and the bound named:\n%s", out)
	}
}

// TestTrialCLIPersistenceAndSteadyState is trial-cli #4 with the trial's
// exact input: "G5 A3 ..., persistent > 90 days" for a G5 reached 4 days
// before on a 62% fall, with one ACR, and a critical "plan kidney
// replacement therapy" from a KFRE validated in stable CKD G3-G5.
func TestTrialCLIPersistenceAndSteadyState(t *testing.T) {
	withNow(t, time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC))
	db := importCSV(t, "patient_id,birth_date,sex\nk1,1960-01-01,male\n",
		"patient_id,time,analyte,value,unit\nk1,2026-11-01,creatinine,4.5,mg/dL\nk1,2026-11-01,potassium,6.4,mmol/L\nk1,2026-11-01,acr,50,mg/mmol\n"+
			"k1,2026-11-01,hemoglobin,7.5,g/dL\nk1,2026-11-01,systolic_bp,182,mm[Hg]\nk1,2026-11-01,diastolic_bp,112,mm[Hg]\n"+
			"k1,2026-08-01,creatinine,2.0,mg/dL\nk1,2026-05-01,creatinine,1.6,mg/dL\n")
	code, out, errs := runCmd(t, "report", "k1", "--db", db, "--as-of", "2026-11-05")
	if code != 0 {
		t.Fatalf("report exit %d: %s", code, errs)
	}
	for _, want := range []string{
		"Stage     KDIGO G5 A3, very high risk (eGFR 14 on 2026-11-01, ACR 50.0 mg/mmol on 2026-11-01)\n",
		"Persists  eGFR < 60 for > 90 days (since 2026-05-01), G5 since 2026-11-01; A3 on a single value (repeat to confirm) [1]\n",
		"warning: creatinine not in steady state (acute kidney disease by KDIGO: an eGFR fall of 35% or more within 3 months, KDIGO 2012 AKI guideline Table 11): eGFR 36 (2026-08-01) to 14 (2026-11-01): -62% (from the unrounded eGFRs 36 and 13.58); evaluate for acute kidney injury before reading the G category as CKD\n",
		"creatinine not in steady state: the KFRE was validated in stable CKD G3-G5",
		"warning  2-year kidney failure risk 43.8% is above 40%, the 2-year risk above which KDIGO 2024 (practice point 2.2.3) suggests preparing for kidney replacement therapy (modality education, vascular access, transplant referral) (creatinine not in steady state",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "persistent > 90 days") || strings.Contains(out, "critical 2-year kidney failure risk") {
		t.Errorf("report still says 'persistent > 90 days' or raises the KRT-planning alert as critical:\n%s", out)
	}
}

// TestTrialCLITransplantFootnote is trial-cli #11 with the trial's input
// (`renalwatch report dialysis`, the demo patient): G2T got the note "G1 and
// G2 are CKD only with a marker of kidney damage"; every kidney transplant
// recipient has CKD (KDIGO: history of kidney transplantation is a marker of
// kidney damage).
func TestTrialCLITransplantFootnote(t *testing.T) {
	demoNow(t)
	db := filepath.Join(t.TempDir(), "rw.db")
	if code, _, errs := runCmd(t, "import", "--db", db, "../../demo/data/dialysis.json"); code != 0 {
		t.Fatalf("import exit %d: %s", code, errs)
	}
	_, out, _ := runCmd(t, "report", "dialysis", "--db", db, "--as-of", demoAsOf)
	if !strings.Contains(out, "KDIGO G2T") || strings.Contains(out, "G1 and G2 are CKD only") ||
		!strings.Contains(out, "A kidney transplant recipient has CKD at any GFR") {
		t.Errorf("G2T report: want the transplant note, not the G1/G2 one:\n%s", out)
	}
}

// TestTrialCLIResponseWithoutNephritis is trial-cli #5 with the trial's
// input: ab1 has no diagnosis rows, a reported SLEDAI-2K total of 12 and
// tacrolimus from 2024-03-05; the report judged "Response too early
// (kdigo-2024) 1.3 months after induction ...: calcineurin inhibitor" beside
// the alert "SLE without known lupus nephritis".
func TestTrialCLIResponseWithoutNephritis(t *testing.T) {
	withNow(t, time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC))
	db := importCSV(t, "patient_id,birth_date,sex\nab1,1970-01-01,female\n",
		"patient_id,time,finding,present,score\nab1,2024-03-01,sledai_2k_score,,12\n",
		"patient_id,therapy,start,end,dose\nab1,tacrolimus,2024-03-05,,\n")
	code, out, errs := runCmd(t, "report", "ab1", "--db", db, "--as-of", "2024-04-13")
	if code != 0 {
		t.Fatalf("report exit %d: %s", code, errs)
	}
	if strings.Contains(out, "Response  ") || strings.Contains(out, "after induction") {
		t.Errorf("a renal response is judged without lupus nephritis:\n%s", out)
	}
	if !strings.Contains(out, "Renal response: not applicable: no lupus nephritis recorded") || !strings.Contains(out, "SLE without known lupus nephritis") {
		t.Errorf("want 'Renal response: not applicable: no lupus nephritis recorded' beside the monitoring alert:\n%s", out)
	}
}
