package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"renalwatch/lupus"
)

const biopsyExample = `  renalwatch biopsy --class IV+V --activity endocapillary_hypercellularity=60%,neutrophils_karyorrhexis=1,fibrinoid_necrosis=1,hyaline_deposits=2,cellular_fibrocellular_crescents=20%,interstitial_inflammation=1
  renalwatch biopsy --class III --chronicity glomerulosclerosis=10%,fibrous_crescents=0,tubular_atrophy=1,interstitial_fibrosis=1 --json`

// runBiopsy implements "renalwatch biopsy --class C [--activity k=v,…]
// [--chronicity k=v,…] [--json]" under the ISN/RPS 2018 rule set.
func runBiopsy(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	keys := func(items []lupus.NIHItem) string {
		s := make([]string, len(items))
		for i, it := range items {
			s[i] = it.Key
		}
		return strings.Join(s, " ")
	}
	fs := newFlagSet("biopsy", "biopsy --class C [--activity k=v,…] [--chronicity k=v,…] [--json]",
		biopsyExample+"\n\nActivity keys: "+keys(lupus.NIHActivityItems())+"\nChronicity keys: "+keys(lupus.NIHChronicityItems())+
			"\nValues: a score 0..3, or a percentage of glomeruli (of cortex for interstitial items) such as 35%", stderr)
	class := fs.String("class", "", "ISN/RPS 2018 `CLASS`: I, II, III, IV, V, VI, III+V or IV+V")
	activity := fs.String("activity", "", "modified NIH activity items as `k=v,…`")
	chronicity := fs.String("chronicity", "", "modified NIH chronicity items as `k=v,…`")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parseFlags(fs, args, stdout)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return badInputf("biopsy takes no positional arguments, got %q; give the class with --class and items with --activity/--chronicity", pos[0])
	}
	if *class == "" {
		return badInputf("biopsy: --class is required (ISN/RPS class I, II, III, IV, V, VI, III+V or IV+V)")
	}
	act, err := parseBiopsyItems("activity", *activity)
	if err != nil {
		return err
	}
	chr, err := parseBiopsyItems("chronicity", *chronicity)
	if err != nil {
		return err
	}
	r, err := lupus.Biopsy(*class, lupus.ISNRPS2018, act, chr)
	if err != nil {
		return lupusInputError("biopsy", err)
	}
	if *asJSON {
		return writeJSON(stdout, r)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "ISN/RPS 2018 class %s: %s\n", r.Class, r.ClassName)
	index := func(title string, v *int, max int, items []lupus.NIHItem) {
		if v != nil {
			fmt.Fprintf(&b, "%s (modified NIH): %d of %d\n", title, *v, max)
		} else {
			fmt.Fprintf(&b, "%s (modified NIH): not computed, not every item was given\n", title)
		}
		for _, it := range items {
			if got, ok := r.Items[it.Key]; ok {
				fmt.Fprintf(&b, "  %-34s %-5s → %d ×%d = %d\n", it.Key, got.Given, got.Score, got.Weight, got.Points)
			} else {
				fmt.Fprintf(&b, "  %-34s not assessed\n", it.Key)
			}
		}
	}
	index("Activity index", r.ActivityIndex, 24, lupus.NIHActivityItems())
	index("Chronicity index", r.ChronicityIndex, 12, lupus.NIHChronicityItems())
	b.WriteString("Percentages are banded 0 absent, 1 <25%, 2 25–50%, 3 >50% (Bajema 2018).\n")
	b.WriteString(r.Note + "\n")
	_, err = io.WriteString(stdout, b.String())
	return err
}

// parseBiopsyItems reads "k=v,k=v" into item values; a repeated key is an
// error.
func parseBiopsyItems(flagName, s string) (map[string]lupus.BiopsyValue, error) {
	out := map[string]lupus.BiopsyValue{}
	if strings.TrimSpace(s) == "" {
		return out, nil
	}
	for _, part := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(part, "=")
		k = strings.TrimSpace(k)
		if !ok || k == "" {
			return nil, badInputf("biopsy: --%s %q: each item is key=value, such as fibrinoid_necrosis=1 or fibrinoid_necrosis=20%%", flagName, part)
		}
		if _, dup := out[k]; dup {
			return nil, badInputf("biopsy: --%s: %q is given more than once; give each item once", flagName, k)
		}
		bv, err := lupus.ParseBiopsyValue(flagName+" "+k, v)
		if err != nil {
			return nil, lupusInputError("biopsy", err)
		}
		out[k] = bv
	}
	return out, nil
}
