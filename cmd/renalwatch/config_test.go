package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"renalwatch/assess"
	"renalwatch/kfre"
	"renalwatch/lupus"
	"renalwatch/units"
)

const exampleConfig = "../../docs/renalwatch.example.toml"

// TestConfigGolden: "renalwatch config" prints the settings in effect as a
// file that --config reads back; the file and the flags change them (flags
// win); every bad file or flag is exit 2 naming the key, the line and what
// is accepted.
func TestConfigGolden(t *testing.T) {
	bad := func(name string) []string { return []string{"--config", "testdata/config/" + name + ".toml"} }
	runCommandGolden(t, "config", []goldenCase{
		{"defaults", nil, 0},
		{"example", []string{"--config", exampleConfig}, 0},
		{"example-flag-wins", []string{"--config", exampleConfig, "--kfre-region", "north-america", "--adult-equation", "ckd-epi-2021"}, 0},
		{"flags-json", []string{"--kfre-region", "other", "--kfre-5y-referral", "3%", "--response-rule", "acr-2024", "--json"}, 0},
		// Validated once after file and flags: a pair of flags, or a flag
		// completing the file, may move both potassium thresholds.
		{"flags-potassium-pair", []string{"--potassium-high", "6.2mmol/L", "--potassium-critical", "6.5mmol/L"}, 0},
		{"flag-completes-file", append(bad("potassium-order"), "--potassium-critical", "6.5mmol/L"), 0},
		{"err-unknown-key", bad("unknown-key"), 2},
		{"err-bare-number", bad("bare-number"), 2},
		{"err-no-unit", bad("no-unit"), 2},
		{"err-out-of-range", bad("out-of-range"), 2},
		{"err-legacy-equation", bad("legacy-equation"), 2},
		{"err-duplicate", bad("duplicate"), 2},
		{"err-potassium-order", bad("potassium-order"), 2},
		{"err-sledai", bad("sledai"), 2},
		{"err-syntax", bad("syntax"), 2},
		{"err-no-file", []string{"--config", "testdata/config/none.toml"}, 2},
		{"err-flag-equation", []string{"--adult-equation", "mdrd"}, 2},
		{"err-flag-region", []string{"--kfre-region", "europe"}, 2},
		{"err-flag-percent", []string{"--kfre-5y-referral", "5"}, 2},
		{"err-flag-potassium", []string{"--potassium-high", "7mmol/L"}, 2},
		{"err-flag-rule", []string{"--flare-rule", "kdigo-2024"}, 2},
	})
}

// TestExampleConfig loads docs/renalwatch.example.toml and checks each
// value it sets, and that a flag overrides the file.
func TestExampleConfig(t *testing.T) {
	c := assess.DefaultConfig()
	set, err := readConfigFile(exampleConfig, &c)
	if err != nil {
		t.Fatal(err)
	}
	want := assess.DefaultConfig()
	want.AdultEquation = "ekfc"
	want.KFRERegion = kfre.Other
	want.ResponseRule = lupus.EULAR2019
	want.KFRE5yReferral = 0.03
	want.PotassiumCritical = units.Q(6.5, units.MmolPerL)
	if c != want {
		t.Errorf("example config\n got %+v\nwant %+v", c, want)
	}
	if set["adult_equation"] == 0 || set["kfre_region"] == 0 || len(set) != 8 {
		t.Errorf("keys set and their lines: %v", set)
	}

	code, out, errs := runCmd(t, "config", "--config", exampleConfig, "--kfre-region", "north-america", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var got struct {
		Config struct {
			KFRERegion    string `json:"kfre_region"`
			AdultEquation string `json:"adult_equation"`
		} `json:"config"`
		SetBy map[string]string `json:"set_by"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if got.Config.KFRERegion != "north-america" || got.SetBy["kfre_region"] != "--kfre-region" ||
		got.Config.AdultEquation != "ekfc" || got.SetBy["adult_equation"] != exampleConfig+" line 12" {
		t.Errorf("flag over file: %+v", got)
	}
}

// TestConfigOutputReadsBack: the text of "config" with every settings
// flag, saved as a file, gives the same settings.
func TestConfigOutputReadsBack(t *testing.T) {
	flags := []string{"--kfre-region", "other", "--adult-equation", "ekfc", "--response-rule", "bliss-ln-perr", "--flare-rule", "aurora-2",
		"--kfre-5y-referral", "7%", "--potassium-high", "5.1mmol/L", "--potassium-critical", "6.4mEq/L"}
	_, text, _ := runCmd(t, append([]string{"config"}, flags...)...)
	file := filepath.Join(t.TempDir(), "c.toml")
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	_, fromFlags, _ := runCmd(t, append([]string{"config", "--json"}, flags...)...)
	code, fromFile, errs := runCmd(t, "config", "--config", file, "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var a, b struct {
		Config json.RawMessage `json:"config"`
	}
	if json.Unmarshal([]byte(fromFlags), &a) != nil || json.Unmarshal([]byte(fromFile), &b) != nil || string(a.Config) != string(b.Config) {
		t.Errorf("settings from flags:\n%s\nfrom the printed file:\n%s", a.Config, b.Config)
	}
}

// TestReportAndPatientsUseConfig: the settings reach the assessment. The
// demo patient ln-class-iv-g4 has a 5-year KFRE of about 55% (North
// American calibration): the kfre-5y-referral alert is raised at the
// default 5% and not at a 60% threshold; the non-North American
// calibration (Tangri 2016) gives a lower risk; EKFC replaces CKD-EPI 2021.
func TestReportAndPatientsUseConfig(t *testing.T) {
	demoNow(t)
	db := filepath.Join(t.TempDir(), "demo.db")
	if code, _, errs := runCmd(t, "demo", "--db", db); code != 0 {
		t.Fatalf("demo exit %d: %s", code, errs)
	}
	type rep struct {
		Config struct {
			KFRERegion     string  `json:"kfre_region"`
			KFRE5yReferral float64 `json:"kfre_5y_referral"`
			AdultEquation  string  `json:"adult_equation"`
		} `json:"config"`
		Kidney struct {
			EGFR struct {
				Equation string `json:"equation"`
			} `json:"egfr"`
			KFRE struct {
				Region string  `json:"region"`
				Risk5y float64 `json:"risk_5y"`
			} `json:"kfre"`
		} `json:"kidney"`
		Alerts []struct {
			Code string `json:"code"`
		} `json:"alerts"`
	}
	report := func(flags ...string) rep {
		t.Helper()
		code, out, errs := runCmd(t, append([]string{"report", "ln-class-iv-g4", "--db", db, "--as-of", demoAsOf, "--format", "json"}, flags...)...)
		if code != 0 {
			t.Fatalf("report %v: exit %d: %s", flags, code, errs)
		}
		var r rep
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatal(err)
		}
		return r
	}
	has := func(r rep, code string) bool {
		return slices.ContainsFunc(r.Alerts, func(a struct {
			Code string `json:"code"`
		}) bool {
			return a.Code == code
		})
	}
	def := report()
	if def.Config.KFRERegion != "north-america" || def.Kidney.KFRE.Risk5y < 0.5 || !has(def, assess.AlertKFRE5yReferral) {
		t.Fatalf("default: %+v", def)
	}
	if r := report("--kfre-5y-referral", "60%"); r.Config.KFRE5yReferral != 0.6 || has(r, assess.AlertKFRE5yReferral) {
		t.Errorf("60%% threshold: config %+v, alerts %v", r.Config, r.Alerts)
	}
	other := report("--kfre-region", "other")
	if other.Config.KFRERegion != "other" || other.Kidney.KFRE.Region != "other" || !(other.Kidney.KFRE.Risk5y < def.Kidney.KFRE.Risk5y) {
		t.Errorf("non-North American calibration: %+v (default 5-year risk %v)", other, def.Kidney.KFRE.Risk5y)
	}
	if r := report("--config", exampleConfig); r.Config.AdultEquation != "ekfc" || r.Kidney.EGFR.Equation != "ekfc" {
		t.Errorf("example config: %+v", r)
	}

	code, out, errs := runCmd(t, "patients", "--db", db, "--as-of", demoAsOf, "--json", "--kfre-region", "other")
	if code != 0 {
		t.Fatalf("patients exit %d: %s", code, errs)
	}
	var l struct {
		Config *struct {
			KFRERegion string `json:"kfre_region"`
		} `json:"config"`
		Patients []patientRow `json:"patients"`
	}
	if err := json.Unmarshal([]byte(out), &l); err != nil {
		t.Fatal(err)
	}
	if l.Config == nil || l.Config.KFRERegion != "other" {
		t.Errorf("patients config: %+v", l.Config)
	}
	for _, p := range l.Patients {
		if p.ID == "ln-class-iv-g4" && (p.KFRE == nil || p.KFRE.Region != "other" || p.KFRE.Risk5y != other.Kidney.KFRE.Risk5y) {
			t.Errorf("patients row %+v: want the report's non-North American KFRE %v", p.KFRE, other.Kidney.KFRE.Risk5y)
		}
	}
	if code, _, errs := runCmd(t, "report", "ln-class-iv-g4", "--db", db, "--config", "testdata/config/unknown-key.toml"); code != 2 || errs == "" {
		t.Errorf("report with a bad config: exit %d, stderr %q", code, errs)
	}
}
