package main

import (
	"context"
	"fmt"
	"io"

	"renalwatch/units"
)

const convertExample = `  renalwatch convert 1.2mg/dL --to umol/L --analyte creatinine
  renalwatch convert 30mg/mmol --to mg/g --analyte acr --json
  renalwatch convert 12.1g/dL --to g/L`

// runConvert implements "renalwatch convert QUANTITY --to UNIT [--analyte NAME] [--json]".
func runConvert(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("convert", "convert QUANTITY (--to UNIT | --units conventional|si) [--analyte NAME] [--json]\n       renalwatch convert --in TABLE [--out FILE] --analyte NAME --to UNIT", convertExample, stderr)
	to := fs.String("to", "", "target `UNIT` (UCUM, e.g. umol/L)")
	analyteName := fs.String("analyte", "", "analyte `NAME`, needed for mass<->molar conversions: "+analyteNames())
	asJSON := fs.Bool("json", false, "print JSON")
	var unitSys unitsFlag
	fs.Var(&unitSys, "units", "convert to the unit `SYSTEM` conventional or si uses for --analyte (creatinine mg/dL or µmol/L, haemoglobin g/dL or g/L, ACR mg/g or mg/mmol ...), instead of --to")
	batch := addBatchFlags(fs, convertBatchHelp)
	pos, err := parseFlags(fs, args, stdout)
	if err != nil {
		return err
	}
	if batch.on() || batch.out != "-" {
		if len(pos) > 0 {
			return badInputf("convert: --in reads the quantities from the table; remove %q", pos[0])
		}
		return convertBatch(ctx, fs, batch, *analyteName, *to, stdout, stderr)
	}
	if len(pos) != 1 {
		return badInputf("convert takes exactly one QUANTITY such as 1.2mg/dL, got %d arguments", len(pos))
	}
	parse := units.Parse
	if a, ok := units.ParseAnalyte(*analyteName); ok {
		parse = a.Parse // a unit error lists this analyte's units only
	}
	q, err := parse(pos[0])
	if err != nil {
		return badInputf("convert: %w", err)
	}
	if *to == "" && unitSys.system() != unitsReported {
		a, ok := units.ParseAnalyte(*analyteName)
		if !ok {
			return badInputf("convert: --units %s needs --analyte NAME (the unit depends on the analyte), for example --analyte creatinine", unitSys.system())
		}
		u, ok := displayUnits[unitSys.system()][a]
		if !ok {
			return badInputf("convert: --units %s has no unit for %s; give --to UNIT", unitSys.system(), a)
		}
		*to = string(u)
	}
	if *to == "" {
		return badInputf("convert: --to UNIT (or --units conventional|si with --analyte) is required (for example --to umol/L)")
	}
	target, ok := units.LookupUnit(*to)
	if !ok {
		return badInputf("convert: --to %q is not a known unit; known units: %s", *to, joinUnits(units.KnownUnits()))
	}
	var out units.Quantity
	if *analyteName != "" {
		a, ok := units.ParseAnalyte(*analyteName)
		if !ok {
			return badInputf("convert: --analyte %q is not known; known analytes: %s", *analyteName, analyteNames())
		}
		if _, err := a.Normalize("", q); err != nil { // the message names the quantity (trial #29: no "QUANTITY" placeholder)
			return badInputf("convert: %w", err)
		}
		out, err = a.Convert(q, target)
	} else {
		out, err = q.ConvertTo(target)
	}
	if err != nil {
		return badInputf("convert: %w", err)
	}
	if *asJSON {
		return writeJSON(stdout, out)
	}
	_, err = fmt.Fprintf(stdout, "%s = %s\n", measuredQ(q), measuredQ(out))
	return err
}

func analyteNames() string {
	var s string
	for i, a := range units.Analytes() {
		if i > 0 {
			s += ", "
		}
		s += a.String()
	}
	return s
}

func joinUnits(us []units.Unit) string {
	var s string
	for i, u := range us {
		if i > 0 {
			s += ", "
		}
		s += u.Symbol()
	}
	return s
}
