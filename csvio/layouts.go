package csvio

import (
	"fmt"
	"slices"
	"strings"
)

// layout is one CSV layout: the column that identifies it, the columns it
// requires and those it also reads.
type layout struct {
	kind     string
	key      string   // the column that tells this layout from the others
	required []string // in the documented order
	optional []string
	example  string // one data row
}

// layouts are the CSV layouts, in the order the package doc lists them.
var layouts = []layout{
	{"patients", "birth_date", []string{"patient_id", "birth_date", "sex"}, nil, "p1,1980-05-14,female"},
	{"observations", "analyte", []string{"patient_id", "time", "analyte", "value", "unit"}, []string{"id", "source"}, "p1,2024-03-01,creatinine,1.4,mg/dL"},
	{"therapies", "therapy", []string{"patient_id", "therapy", "start", "end"}, []string{"dose", "id", "source"}, "p1,CellCept,2024-03-01,,1 g twice daily"},
	{"diagnoses", "diagnosis", []string{"patient_id", "diagnosis", "onset"}, []string{"abatement", "id", "source"}, "p1,lupus_nephritis,2023-11-02,"},
	{"findings", "finding", []string{"patient_id", "time", "finding", "present"}, []string{"score", "id", "source"}, "p1,2024-03-01,arthritis,yes,"},
	{"biopsies", "class", []string{"patient_id", "date", "class"}, []string{"activity", "chronicity", "id", "source"}, "p1,2023-11-02,IV+V,10,3"},
	{"events", "event", []string{"patient_id", "event", "start"}, []string{"end", "id", "source"}, "p1,hemodialysis,2024-06-01,"},
}

// Layouts returns each layout's kind and header line (required columns,
// then optional ones in brackets), for help texts.
func Layouts() [][2]string {
	out := make([][2]string, len(layouts))
	for i, l := range layouts {
		out[i] = [2]string{l.kind, l.header()}
	}
	return out
}

func (l layout) header() string {
	h := strings.Join(l.required, ",")
	for _, o := range l.optional {
		h += "[," + o + "]"
	}
	return h
}

// layoutList lists the layouts, one a line, indented under the line that
// refers to them (trial 13 F10b: one line of about 600 characters).
func layoutList() string {
	var b strings.Builder
	for _, l := range layouts {
		fmt.Fprintf(&b, "\n  %-13s %s", l.kind+":", l.header())
	}
	return b.String()
}

// findLayout identifies the layout of a header: columns are found by name,
// in any order, in any letter case. A column no layout reads, a column
// given twice or a required column missing is an error naming it: a
// misspelt optional column ("dosage") would otherwise be dropped without a
// word. hint (SeparatorHint) ends the error's first line.
func findLayout(cols []string, hint string) (layout, error) {
	var found []layout
	for _, l := range layouts {
		if slices.Contains(cols, l.key) {
			found = append(found, l)
		}
	}
	if len(found) != 1 {
		why := "it has none of the identifying columns"
		if len(found) > 1 {
			why = "it has the identifying columns of more than one layout"
		}
		return layout{}, fmt.Errorf("%w %s: %s%s\nThe layouts (columns in any order, those in brackets optional; README \"Import\"):%s",
			ErrHeader, quoteShort(strings.Join(cols, ",")), why, hint, layoutList())
	}
	l := found[0]
	seen := map[string]bool{}
	var unknown []string
	for _, c := range cols {
		if seen[c] {
			return layout{}, fmt.Errorf("%w: column %q is given twice%s", ErrHeader, c, hint)
		}
		seen[c] = true
		if !slices.Contains(l.required, c) && !slices.Contains(l.optional, c) {
			unknown = append(unknown, fmt.Sprintf("%q", c))
		}
	}
	if len(unknown) > 0 {
		return layout{}, fmt.Errorf("%w: the %s layout has no column %s; its columns are %s (any order)%s", ErrHeader, l.kind, strings.Join(unknown, ", "), l.header(), hint)
	}
	for _, c := range l.required {
		if !seen[c] {
			return layout{}, fmt.Errorf("%w: the %s layout needs a %s column; its columns are %s (any order)%s", ErrHeader, l.kind, c, l.header(), hint)
		}
	}
	return l, nil
}

// KnownHeader reports whether line, the first line of a file, is the
// header of one of the layouts (comma- or semicolon-separated, columns in
// any order, a byte-order mark allowed): importers use it to tell a CSV
// file by its content rather than its name.
func KnownHeader(line string) bool {
	line = strings.TrimPrefix(strings.TrimSpace(line), "\ufeff")
	sep := ","
	if strings.Contains(line, ";") && !strings.Contains(line, ",") {
		sep = ";"
	}
	var cols []string
	for _, c := range strings.Split(line, sep) {
		cols = append(cols, strings.ToLower(strings.Trim(strings.TrimSpace(c), `"`)))
	}
	_, err := findLayout(cols, "")
	return err == nil
}
