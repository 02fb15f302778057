package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"renalwatch/assess"
	"renalwatch/lupus"
	"renalwatch/units"
)

const configExample = `  renalwatch config
  renalwatch config --config docs/renalwatch.example.toml --kfre-region north-america
  renalwatch config --json > settings.json`

// configFlags are the settings flags shared by report, patients and
// config: --config FILE, then one flag for each common setting. Flags
// override the file; the file overrides the defaults (assess.DefaultConfig).
type configFlags struct {
	file string
	// given holds the flags given, in order: flag name and value.
	given []struct{ key, flag, value, example string }
}

// configFlagKeys maps each settings flag to its key in the file.
var configFlagKeys = []struct{ flag, key, usage string }{
	{"kfre-region", "kfre_region", "KFRE calibration `REGION`: north-america or other (Tangri 2016)"},
	{"adult-equation", "adult_equation", "creatinine eGFR `EQUATION` from 18 years: " + strings.Join(assess.AdultEquations(), " or ")},
	{"response-rule", "response_rule", "lupus nephritis response `RULE`: " + joinNames(lupus.ResponseRules())},
	{"flare-rule", "flare_rule", "lupus nephritis flare `RULE`: " + joinNames(lupus.FlareRules())},
	{"kfre-5y-referral", "kfre_5y_referral", "5-year KFRE risk for the referral alert, as a percentage (`PCT`, e.g. 3%)"},
	{"potassium-high", "potassium_high", "potassium warning threshold (`Q`, e.g. 5.5mmol/L)"},
	{"potassium-critical", "potassium_critical", "potassium critical threshold (`Q`, e.g. 6mmol/L)"},
}

// addConfigFlags defines --config and the settings flags on fs.
func addConfigFlags(fs *flag.FlagSet) *configFlags {
	cf := &configFlags{}
	fs.StringVar(&cf.file, "config", "", "settings `FILE` (TOML; see docs/report.md and docs/renalwatch.example.toml); flags below override it")
	for _, f := range configFlagKeys {
		fs.Func(f.flag, f.usage, func(v string) error {
			_, ex, _ := strings.Cut(f.usage, "e.g. ")
			ex, _, _ = strings.Cut(ex, ")")
			cf.given = append(cf.given, struct{ key, flag, value, example string }{f.key, f.flag, v, ex})
			return nil
		})
	}
	return cf
}

// resolve returns the effective configuration and, for each key not at its
// default, where it was set ("FILE line N" or "--flag").
func (cf *configFlags) resolve() (assess.Config, map[string]string, error) {
	c := assess.DefaultConfig()
	from := map[string]string{}
	if cf.file != "" {
		lines, err := readConfigFile(cf.file, &c)
		if err != nil {
			return c, nil, err
		}
		for k, l := range lines {
			from[k] = fmt.Sprintf("%s line %d", cf.file, l)
		}
	}
	for _, g := range cf.given {
		s, _ := settingNamed(g.key)
		if err := s.set(&c, g.value); err != nil {
			if errors.Is(err, units.ErrNoUnit) && g.example != "" {
				// The flag's own example, not creatinine's (trial-cli #22).
				return c, nil, badInputf("--%s %s: %q has no unit: write the unit in the same token, for example %s", g.flag, g.value, g.value, g.example)
			}
			return c, nil, badInputf("--%s %s: %v", g.flag, g.value, err)
		}
		from[g.key] = "--" + g.flag
	}
	// Validate once, after the file and the flags: a flag may repair what
	// the file alone would leave inconsistent (potassium_high below
	// potassium_critical). The error names where the key was set.
	if err := c.Validate(); err != nil {
		var ce *assess.ConfigError
		if errors.As(err, &ce) {
			if ce.Problem == "is not a probability" {
				// Given as a percentage (trial-cli #22: "--kfre-5y-referral
				// 150%" read "1.5 is not a probability").
				if v, perr := strconv.ParseFloat(ce.Value, 64); perr == nil {
					err = fmt.Errorf("%s %s is not a risk: give a percentage above 0%% and below 100%%, such as 5%%", ce.Key, strconv.FormatFloat(v*100, 'g', 6, 64)+"%")
				}
			}
			switch where := from[ce.Key]; {
			case strings.HasPrefix(where, "--"):
				return c, nil, badInputf("%s: %v", where, err)
			case where != "":
				return c, nil, badInputf("--config %s: %v", where, err)
			}
		}
		return c, nil, badInput(err)
	}
	return c, from, nil
}

// configJSON is "renalwatch config --json".
type configJSON struct {
	Config assess.Config `json:"config"` // as in report --json
	File   *string       `json:"file"`   // the --config file, null when none
	// SetBy names, for each file key not at its default, where it was set:
	// "FILE line N" or "--flag".
	SetBy map[string]string `json:"set_by"`
	Note  string            `json:"note"`
}

// runConfig implements "renalwatch config [--config FILE] [flags] [--json]".
func runConfig(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("config", "config [--config FILE] [--kfre-region R] [--adult-equation E] [...] [--json]", configExample, stderr)
	cf := addConfigFlags(fs)
	asJSON := fs.Bool("json", false, "print JSON (the config object of report --json, with where each setting came from)")
	pos, err := parseFlags(fs, args, stdout)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return badInputf("config takes no arguments, got %q", strings.Join(pos, " "))
	}
	c, from, err := cf.resolve()
	if err != nil {
		return err
	}
	if *asJSON {
		out := configJSON{Config: c, SetBy: from, Note: bpTargetNote}
		if cf.file != "" {
			out.File = &cf.file
		}
		return writeJSON(stdout, out)
	}
	return writeConfigTOML(stdout, c, from)
}

// writeConfigTOML prints c as a configuration file that --config reads
// back: each key with what it means and accepts, and where it was set
// when not at its default.
func writeConfigTOML(w io.Writer, c assess.Config, from map[string]string) error {
	var b strings.Builder
	b.WriteString("# RenalWatch settings in effect: defaults, then the --config file, then flags.\n")
	b.WriteString("# Save this output as a file and pass it with --config to apply the same settings.\n")
	b.WriteString("# " + bpTargetNote + "\n")
	for _, s := range settings {
		fmt.Fprintf(&b, "\n# %s\n%s = %s", s.doc, s.key, s.get(c))
		if f, ok := from[s.key]; ok {
			fmt.Fprintf(&b, "  # set by %s", f)
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}
