package main

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	toml "github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"

	"renalwatch/assess"
	"renalwatch/kfre"
	"renalwatch/lupus"
	"renalwatch/units"
)

// setting is one key of the configuration file (docs/report.md,
// "Settings"): its TOML key, what it means and what it accepts (printed as
// comments by "renalwatch config"), and how to read and write it.
type setting struct {
	key, doc string
	// get is the value as a TOML literal ("\"ckd-epi-2021\"", "\"365 days\"").
	get func(assess.Config) string
	// set parses the text of the value (a TOML string, unquoted) into c.
	set func(c *assess.Config, text string) error
}

// settings lists every key of the configuration file in the order
// "renalwatch config" prints them. Values that are quantities carry their
// unit in the value ("365 days", "5%", "5.5 mmol/L"), never in the key.
var settings = []setting{
	{"adult_equation", "creatinine eGFR equation from 18 years. Accepted: " + strings.Join(assess.AdultEquations(), ", ") + ".",
		strOf(func(c assess.Config) string { return c.AdultEquation }), func(c *assess.Config, s string) error { c.AdultEquation = s; return nil }},
	{"adult_cystatin_equation", "combined creatinine-cystatin C equation used when a cystatin C was taken the same day (UTC). Accepted: " + strings.Join(assess.AdultCystatinEquations(), ", ") + `, or "" to use creatinine alone.`,
		strOf(func(c assess.Config) string { return c.AdultCystatinEquation }), func(c *assess.Config, s string) error { c.AdultCystatinEquation = s; return nil }},
	{"child_equation", "creatinine eGFR equation below 18 years. Accepted: " + strings.Join(assess.ChildEquations(), ", ") + ".",
		strOf(func(c assess.Config) string { return c.ChildEquation }), func(c *assess.Config, s string) error { c.ChildEquation = s; return nil }},
	{"kfre_region", "Kidney Failure Risk Equation calibration (Tangri 2016). Accepted: north-america, other (non-North American).",
		strOf(func(c assess.Config) string { return c.KFRERegion.String() }), func(c *assess.Config, s string) error {
			r, err := kfre.ParseRegion(s)
			if err != nil {
				return fmt.Errorf("%q is not a calibration (accepted: north-america, other)", s)
			}
			c.KFRERegion = r
			return nil
		}},
	{"response_rule", "lupus nephritis renal response definition. Accepted: " + joinNames(lupus.ResponseRules()) + ".",
		strOf(func(c assess.Config) string { return string(c.ResponseRule) }), func(c *assess.Config, s string) error { c.ResponseRule = lupus.ResponseRule(s); return nil }},
	{"flare_rule", "lupus nephritis renal flare definition. Accepted: " + joinNames(lupus.FlareRules()) + ".",
		strOf(func(c assess.Config) string { return string(c.FlareRule) }), func(c *assess.Config, s string) error { c.FlareRule = lupus.FlareRule(s); return nil }},
	{"sledai_window", "SLEDAI-2K attribution window. Accepted: 10 days (Gladman 2002) or 30 days (Touma 2010).",
		func(c assess.Config) string { return strconv.Quote(fmt.Sprintf("%d days", c.SLEDAIWindowDays)) }, func(c *assess.Config, s string) error {
			d, err := parseDays(s)
			if err != nil {
				return err
			}
			if d != math.Trunc(d) || d > 1e6 {
				return fmt.Errorf("%q is not a whole number of days", s)
			}
			c.SLEDAIWindowDays = int(d)
			return nil
		}},
	{"kfre_5y_referral", "5-year KFRE risk at or above which kfre-5y-referral is raised (KDIGO 2024 PP 2.2.1: 3%-5%; NICE NG203: 5%). Accepted: above 0% and below 100%.",
		pctOf(func(c assess.Config) float64 { return c.KFRE5yReferral }), pctSet(func(c *assess.Config) *float64 { return &c.KFRE5yReferral })},
	{"kfre_2y_multidisciplinary", "2-year KFRE risk above which kfre-2y-multidisciplinary is raised (KDIGO 2024 PP 2.2.2: 10%). Accepted: above 0%, below kfre_2y_krt_planning.",
		pctOf(func(c assess.Config) float64 { return c.KFRE2yMultidisciplinary }), pctSet(func(c *assess.Config) *float64 { return &c.KFRE2yMultidisciplinary })},
	{"kfre_2y_krt_planning", "2-year KFRE risk above which kfre-2y-krt-planning is raised (KDIGO 2024 PP 2.2.3: 40%). Accepted: below 100%.",
		pctOf(func(c assess.Config) float64 { return c.KFRE2yKRTPlanning }), pctSet(func(c *assess.Config) *float64 { return &c.KFRE2yKRTPlanning })},
	{"potassium_high", "potassium above which hyperkalemia is a warning (local protocol; KDIGO 2024 gives no single cut-off). Accepted: 5 to 6.5 mmol/L (or mEq/L), below potassium_critical.",
		qtyOf(func(c assess.Config) units.Quantity { return c.PotassiumHigh }), qtySet(func(c *assess.Config) *units.Quantity { return &c.PotassiumHigh })},
	{"potassium_critical", "potassium at or above which hyperkalemia is critical (local protocol). Accepted: 5.5 to 8 mmol/L (or mEq/L).",
		qtyOf(func(c assess.Config) units.Quantity { return c.PotassiumCritical }), qtySet(func(c *assess.Config) *units.Quantity { return &c.PotassiumCritical })},
	daySetting("current_window", "how old an ACR/UPCR, eGFR, proteinuria or urine sediment may be and still count as current. Accepted: 30 to 730 days.",
		func(c *assess.Config) *time.Duration { return &c.CurrentWindow }),
	daySetting("potassium_window", "how old a potassium may be and still count as current (capped by current_window). Accepted: 1 to 90 days.",
		func(c *assess.Config) *time.Duration { return &c.PotassiumWindow }),
	daySetting("hemoglobin_window", "how old a haemoglobin may be and still count as current (capped by current_window). Accepted: 1 to 365 days.",
		func(c *assess.Config) *time.Duration { return &c.HemoglobinWindow }),
	daySetting("bp_window", "how old a systolic blood pressure may be and still count as current (capped by current_window). Accepted: 1 to 365 days.",
		func(c *assess.Config) *time.Duration { return &c.BPWindow }),
	daySetting("slope_window", "span before as-of whose eGFR values enter the slope. Accepted: 180 to 3650 days.",
		func(c *assess.Config) *time.Duration { return &c.SlopeWindow }),
	daySetting("height_window", "how long before a child's creatinine a height may have been measured. Accepted: 1 to 365 days.",
		func(c *assess.Config) *time.Duration { return &c.HeightWindow }),
	daySetting("kfre_lab_window", "how far from the eGFR sample the extra values of the 8-variable KFRE may be. Accepted: 1 to 365 days.",
		func(c *assess.Config) *time.Duration { return &c.KFRELabWindow }),
	daySetting("baseline_lookback", "how long before a therapy's start a value may serve as its baseline. Accepted: 1 to 365 days.",
		func(c *assess.Config) *time.Duration { return &c.BaselineLookback }),
}

// bpTargetNote says why the blood-pressure target is not a setting.
const bpTargetNote = "The blood-pressure targets (KDIGO 2021: systolic < 120 mmHg when tolerated; < 130/80 mmHg after a kidney transplant) are fixed: they are not settings."

func settingKeys() []string {
	keys := make([]string, len(settings))
	for i, s := range settings {
		keys[i] = s.key
	}
	return keys
}

func settingNamed(key string) (setting, bool) {
	i := slices.IndexFunc(settings, func(s setting) bool { return s.key == key })
	if i < 0 {
		return setting{}, false
	}
	return settings[i], true
}

func strOf(f func(assess.Config) string) func(assess.Config) string {
	return func(c assess.Config) string { return strconv.Quote(f(c)) }
}

func joinNames[S ~string](xs []S) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = string(x)
	}
	return strings.Join(s, ", ")
}

func pctOf(f func(assess.Config) float64) func(assess.Config) string {
	return func(c assess.Config) string { return strconv.Quote(strconv.FormatFloat(100*f(c), 'g', 12, 64) + "%") }
}

func pctSet(field func(*assess.Config) *float64) func(*assess.Config, string) error {
	return func(c *assess.Config, s string) error {
		v, err := parsePercent(s)
		if err == nil {
			*field(c) = v
		}
		return err
	}
}

func qtyOf(f func(assess.Config) units.Quantity) func(assess.Config) string {
	return func(c assess.Config) string { return strconv.Quote(f(c).Text()) }
}

func qtySet(field func(*assess.Config) *units.Quantity) func(*assess.Config, string) error {
	return func(c *assess.Config, s string) error {
		q, err := units.Parse(s)
		if err == nil {
			*field(c) = q
		}
		return err
	}
}

func daySetting(key, doc string, field func(*assess.Config) *time.Duration) setting {
	return setting{key, doc,
		func(c assess.Config) string {
			return strconv.Quote(strconv.FormatFloat(field(&c).Hours()/24, 'g', -1, 64) + " days")
		},
		func(c *assess.Config, s string) error {
			d, err := parseDays(s)
			if err != nil {
				return err
			}
			*field(c) = time.Duration(d * float64(24*time.Hour))
			return nil
		}}
}

var daysRE = regexp.MustCompile(`^([0-9]+(?:\.[0-9]+)?)\s*(d|day|days)$`)

// parseDays reads "365 days", "1 day" or "90d".
func parseDays(s string) (float64, error) {
	m := daysRE.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return 0, fmt.Errorf("%q is not a number of days; write it with its unit, for example \"90 days\"", s)
	}
	v, err := strconv.ParseFloat(m[1], 64)
	if err != nil || v > 1e6 {
		return 0, fmt.Errorf("%q is not a number of days", s)
	}
	return v, nil
}

// parsePercent reads "5%" or "5 %" as 0.05. A bare number is refused: 5
// and 0.05 are both plausible readings of it.
func parsePercent(s string) (float64, error) {
	t := strings.TrimSpace(s)
	num, ok := strings.CutSuffix(t, "%")
	if !ok {
		return 0, fmt.Errorf("%q has no unit; write a percentage, for example \"5%%\"", s)
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%q is not a percentage; write it like \"5%%\"", s)
	}
	return v / 100, nil
}

// readConfigFile applies the settings of the TOML file at path to c and
// returns the line of each key it set. Unknown keys, tables, values that
// are not strings and values a setting cannot read are bad input naming
// the file, the line and the key. The caller validates the result (after
// the flags, which may change it).
func readConfigFile(path string, c *assess.Config) (map[string]int, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, badInputf("--config %s: no such file", path)
		}
		return nil, badInputf("--config %s: %v", path, err)
	}
	// Decode into a map (syntax errors and duplicate keys are reported
	// with their line), then check every key against settings, finding
	// its line with the library's parser.
	dec := toml.NewDecoder(bytes.NewReader(data))
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		return nil, configDecodeError(path, err)
	}
	lines := keyLines(data)
	var unknown []string
	for k := range doc {
		if _, ok := settingNamed(k); !ok {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		slices.SortFunc(unknown, func(a, b string) int { return lines[a] - lines[b] })
		var msgs []string
		for _, k := range unknown {
			msgs = append(msgs, fmt.Sprintf("line %d: unknown key %q", lines[k], k))
		}
		hint := ""
		if slices.ContainsFunc(unknown, func(k string) bool { return strings.Contains(k, "bp") || strings.Contains(k, "blood") }) {
			hint = " " + bpTargetNote
		}
		return nil, badInputf("--config %s: %s; accepted keys: %s.%s", path, strings.Join(msgs, "; "), strings.Join(settingKeys(), ", "), hint)
	}
	set := map[string]int{}
	for _, s := range settings {
		v, ok := doc[s.key]
		if !ok {
			continue
		}
		text, isString := v.(string)
		if !isString {
			return nil, badInputf("--config %s line %d: %s: a TOML %s is not accepted; write the value as a string, for example %s = %s", path, lines[s.key], s.key, tomlType(v), s.key, s.get(assess.DefaultConfig()))
		}
		if err := s.set(c, text); err != nil {
			return nil, badInputf("--config %s line %d: %s: %v", path, lines[s.key], s.key, err)
		}
		set[s.key] = lines[s.key]
	}
	return set, nil
}

func tomlType(v any) string {
	switch v.(type) {
	case int64:
		return "integer"
	case float64:
		return "float"
	case bool:
		return "boolean"
	case map[string]any:
		return "table"
	case []any:
		return "array"
	}
	return "date or time"
}

// configDecodeError turns a TOML syntax error into bad input with the
// file, line and key.
func configDecodeError(path string, err error) error {
	var de *toml.DecodeError
	if errors.As(err, &de) {
		row, _ := de.Position()
		key := ""
		if k := de.Key(); len(k) > 0 {
			key = strings.Join(k, ".") + ": "
		}
		return badInputf("--config %s line %d: %s%s (the file is TOML: one KEY = \"VALUE\" a line, every value a quoted string, for example adult_equation = \"ckd-epi-2021\")", path, row, key, strings.TrimPrefix(de.Error(), "toml: "))
	}
	return badInputf("--config %s: %v", path, err)
}

// keyLines finds the line of each top-level key (and table header) with
// the TOML library's parser; a file with a syntax error has been refused
// before.
func keyLines(data []byte) map[string]int {
	lines := map[string]int{}
	var p unstable.Parser
	p.Reset(data)
	for p.NextExpression() {
		e := p.Expression()
		if e.Kind != unstable.KeyValue && e.Kind != unstable.Table && e.Kind != unstable.ArrayTable {
			continue
		}
		it := e.Key()
		if !it.Next() {
			continue
		}
		n := it.Node()
		if _, seen := lines[string(n.Data)]; !seen {
			lines[string(n.Data)] = p.Shape(n.Raw).Start.Line
		}
	}
	return lines
}
