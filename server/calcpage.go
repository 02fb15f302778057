package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"

	"renalwatch/egfr"
	"renalwatch/lupus"
)

// calcField is one input of a calculator form; Name is the CLI flag
// without dashes, so the form posts what POST /api/calc/{name} takes.
type calcField struct {
	Name, Label, Hint string
	Choices           []string // a select; "" first means optional
	Check             bool     // a checkbox sending "true"
	Value             string   // as the user gave it
	Checked           bool
	Error             string // shown next to the field
}

// calcForm is one calculator: its form, and after a POST its result or
// error.
type calcForm struct {
	Name, Title, Source string
	Fields              []calcField
	Items               []calcField // checkboxes of positional items (sledai, classify)
	Text                string      // the CLI's text of the result (rounded, units, source)
	Result              string      // the calculator's JSON, indented
	Command             string      // the same calculation on the command line
	Error               string      // an error not about one field
}

// itemLabels are the SLEDAI-2K descriptors (Gladman 2002) and EULAR/ACR
// 2019 criteria (Aringer 2019) whose machine names do not read as the
// papers write them; the form posts the machine name.
var itemLabels = map[string]string{
	"cva":                                 "CVA (cerebrovascular accident)",
	"increased_dna_binding":               "Increased DNA binding (anti-dsDNA)",
	"low_complement":                      "Low complement (CH50, C3 or C4)",
	"anti_dsdna_or_anti_sm":               "Anti-dsDNA or anti-Sm antibodies",
	"low_c3_or_low_c4":                    "Low C3 or low C4",
	"low_c3_and_low_c4":                   "Low C3 and low C4",
	"biopsy_class_ii_or_v":                "Biopsy: class II or V lupus nephritis",
	"biopsy_class_iii_or_iv":              "Biopsy: class III or IV lupus nephritis",
	"subacute_cutaneous_or_discoid_lupus": "Subacute cutaneous or discoid lupus",
	"non_scarring_alopecia":               "Non-scarring alopecia",
	"proteinuria":                         "Proteinuria",
	"antiphospholipid_antibodies":         "Antiphospholipid antibodies",
}

// itemLabel is an item as a person reads it: "Lupus headache" for
// lupus_headache, or its entry of itemLabels.
func itemLabel(name string) string {
	if l, ok := itemLabels[name]; ok {
		return l
	}
	l := strings.ReplaceAll(name, "_", " ")
	return strings.ToUpper(l[:1]) + l[1:]
}

func names[T ~string](xs []T) []string {
	out := []string{}
	for _, x := range xs {
		out = append(out, string(x))
	}
	return out
}

// calcForms are the calculators' forms, in the order of the CLI's help.
func calcForms() []calcForm {
	sex := []string{"", "female", "male"}
	tf := []string{"", "true", "false"}
	items := func(xs []string) []calcField {
		var out []calcField
		for _, x := range xs {
			out = append(out, calcField{Name: x, Label: itemLabel(x), Check: true})
		}
		return out
	}
	return []calcForm{
		{Name: "egfr", Title: "eGFR", Fields: []calcField{
			{Name: "equation", Label: "Equation", Choices: egfr.Names()},
			{Name: "creatinine", Label: "Serum creatinine (IDMS-traceable)", Hint: "1.2mg/dL or 106umol/L"},
			{Name: "cystatin", Label: "Cystatin C", Hint: "with unit: 1.1mg/L"},
			{Name: "age", Label: "Age (years)", Hint: "a number"},
			{Name: "sex", Label: "Sex (administrative, as recorded)", Choices: sex},
			{Name: "height", Label: "Height", Hint: "with unit: 140cm (CKiD U25, Schwartz)"},
			{Name: "weight", Label: "Weight", Hint: "with unit: 70kg (Cockcroft-Gault)"},
			{Name: "black", Label: "Legacy race coefficient (CKD-EPI 2009, MDRD only)", Check: true},
		}},
		{Name: "kfre", Title: "Kidney Failure Risk Equation", Fields: []calcField{
			{Name: "age", Label: "Age (years)"}, {Name: "sex", Label: "Sex", Choices: sex},
			{Name: "egfr", Label: "eGFR (mL/min/1.73 m²)", Hint: "a number"},
			{Name: "acr", Label: "Urine ACR", Hint: "with unit: 800mg/g or 90mg/mmol"},
			{Name: "calcium", Label: "Calcium (8-variable)", Hint: "9.2mg/dL"}, {Name: "phosphate", Label: "Phosphate (8-variable)", Hint: "4.1mg/dL"},
			{Name: "bicarbonate", Label: "Bicarbonate (8-variable)", Hint: "22mmol/L"}, {Name: "albumin", Label: "Albumin (8-variable)", Hint: "3.9g/dL"},
			{Name: "diabetes", Label: "Diabetes (6-variable)", Choices: tf}, {Name: "hypertension", Label: "Hypertension (6-variable)", Choices: tf},
			{Name: "region", Label: "Calibration", Choices: []string{"north-america", "other"}},
		}},
		{Name: "stage", Title: "KDIGO stage and risk", Fields: []calcField{
			{Name: "egfr", Label: "eGFR (mL/min/1.73 m²)"}, {Name: "acr", Label: "Urine ACR", Hint: "35mg/mmol"}, {Name: "pcr", Label: "or urine PCR", Hint: "0.6g/g"},
			{Name: "age", Label: "Age (years, optional)", Hint: "under 2: no G category (KDIGO 2024)"},
		}},
		{Name: "sledai", Title: "SLEDAI-2K", Fields: []calcField{
			{Name: "window", Label: "Attribution window (days)", Choices: []string{"10", "30"}},
			{Name: "none", Label: "No descriptor present (a deliberate score of 0)", Check: true},
		}, Items: items(lupus.SLEDAIItems())},
		{Name: "classify", Title: "EULAR/ACR 2019 SLE classification", Fields: []calcField{
			{Name: "ana-positive", Label: "ANA ≥1:80 on HEp-2 cells at least once (entry criterion)", Check: true},
			{Name: "none", Label: "No criterion present", Check: true},
		}, Items: items(lupus.EULARACR2019Items())},
		{Name: "response", Title: "Renal response", Fields: []calcField{
			{Name: "rule", Label: "Rule", Choices: names(lupus.ResponseRules())},
			{Name: "baseline-upcr", Label: "UPCR at the start of therapy", Hint: "3g/g"}, {Name: "upcr", Label: "Current UPCR", Hint: "0.3g/g"},
			{Name: "baseline-egfr", Label: "Baseline eGFR"}, {Name: "egfr", Label: "Current eGFR"},
			{Name: "months", Label: "Months since the start of therapy"},
		}},
		{Name: "flare", Title: "Renal flare", Fields: []calcField{
			{Name: "rule", Label: "Rule", Choices: names(lupus.FlareRules())},
			{Name: "baseline-upcr", Label: "Last UPCR before", Hint: "0.4g/g"}, {Name: "upcr", Label: "Current UPCR", Hint: "1.2g/g"},
			{Name: "baseline-creatinine", Label: "Last creatinine before", Hint: "0.9mg/dL"}, {Name: "creatinine", Label: "Current creatinine", Hint: "1.2mg/dL"},
			{Name: "baseline-rbc", Label: "Urine RBC/HPF before"}, {Name: "rbc", Label: "Urine RBC/HPF now"},
			{Name: "casts", Label: "Recurrence of red or white cell casts", Choices: tf},
			{Name: "sediment", Label: "Urinary sediment", Choices: []string{"", "active", "inactive"}},
			{Name: "after", Label: "Follows a response", Choices: []string{"", "complete", "partial"}},
		}},
	}
}

// calcAllErrors runs calculator name and, while it refuses one given
// field, runs it again without that field, so that the form shows every
// field's error at once (trial-web #24) rather than one per submission;
// the calculator's own code finds each. fieldErrs collects the field
// errors (field name to message, including a required field left empty);
// the error returned is one about no field, or not an *Error.
func (s *Server) calcAllErrors(r *http.Request, name string, params map[string]json.RawMessage, fieldErrs map[string]string) (json.RawMessage, error) {
	p := maps.Clone(params)
	for range len(params) + 1 {
		out, err := s.cfg.Calc(r.Context(), name, p)
		var e *Error
		if err == nil || !errors.As(err, &e) || e.Field == "" {
			if len(fieldErrs) > 0 && err == nil {
				return nil, nil // no result while a field is refused
			}
			return out, err
		}
		if fieldErrs[e.Field] != "" {
			return nil, nil // the same field again (now missing): said already
		}
		fieldErrs[e.Field] = e.Message
		if p[e.Field] == nil {
			return nil, nil // a required field left empty: the calculator stops there
		}
		delete(p, e.Field)
	}
	return nil, nil
}

func (s *Server) pageCalculators(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "calc.html", page{Title: "Calculators", Body: calcForms()})
}

// postCalculator runs one calculator from its form with the same code as
// POST /api/calc/{name} and shows the page again with the result, or the
// error next to its field (422).
func (s *Server) postCalculator(w http.ResponseWriter, r *http.Request) {
	forms := calcForms()
	i := slices.IndexFunc(forms, func(f calcForm) bool { return f.Name == r.PathValue("name") })
	if i < 0 || s.cfg.Calc == nil {
		s.pageError(w, r, Errorf(KindNotFound, "name", "no such calculator"))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxCalcBody)
	if err := r.ParseForm(); err != nil {
		s.pageError(w, r, bodyError(err))
		return
	}
	f := &forms[i]
	params := map[string]json.RawMessage{}
	cmd := []string{"renalwatch", f.Name}
	fieldErrs := map[string]string{}
	for j := range f.Fields {
		fd := &f.Fields[j]
		v := strings.TrimSpace(r.PostForm.Get(fd.Name))
		if vs := r.PostForm[fd.Name]; len(vs) > 1 {
			// Get takes the first of a field sent twice; the API refuses
			// an input given twice (duplicate key), and so does the form.
			fd.Value = v
			fieldErrs[fd.Name] = fmt.Sprintf("given %d times (%s); give it once", len(vs), strings.Join(vs, ", "))
			continue
		}
		if fd.Check {
			fd.Checked = v == "true"
			if !fd.Checked {
				continue
			}
		}
		fd.Value = v
		if v == "" {
			continue
		}
		raw, err := formValue(fd.Name, v)
		if err != nil {
			fieldErrs[fd.Name] = err.Error()
			continue
		}
		params[fd.Name] = raw
		if fd.Check {
			cmd = append(cmd, "--"+fd.Name)
		} else {
			cmd = append(cmd, "--"+fd.Name, v)
		}
	}
	var items []string
	for j := range f.Items {
		if r.PostForm.Get("item-"+f.Items[j].Name) == "true" {
			f.Items[j].Checked = true
			items = append(items, f.Items[j].Name)
		}
	}
	if len(items) > 0 {
		params["items"], _ = json.Marshal(items)
		cmd = append(cmd, items...)
	}
	f.Command = strings.Join(cmd, " ")
	out, err := s.calcAllErrors(r, f.Name, params, fieldErrs)
	status := http.StatusOK
	if err != nil || len(fieldErrs) > 0 {
		var e *Error
		if err != nil && !errors.As(err, &e) {
			s.pageError(w, r, err)
			return
		}
		status = http.StatusUnprocessableEntity
		if e != nil {
			status, _ = statusOf(e)
		}
		var other []string
		for _, k := range slices.Sorted(maps.Keys(fieldErrs)) {
			j := slices.IndexFunc(f.Fields, func(fd calcField) bool { return fd.Name == k })
			if j < 0 {
				other = append(other, fieldErrs[k]) // items
				continue
			}
			f.Fields[j].Error = fieldErrs[k]
		}
		if e != nil {
			other = append(other, e.Message)
		}
		f.Error = strings.Join(other, "; ")
	} else {
		var b bytes.Buffer
		if json.Indent(&b, out, "", "  ") == nil {
			f.Result = b.String()
		}
		// The text as the CLI prints it: the JSON's bare numbers (a
		// probability of 0.28 for 28%) are not for reading at the bedside.
		if s.cfg.CalcText != nil {
			text, err := s.cfg.CalcText(r.Context(), f.Name, params)
			if err != nil {
				s.pageError(w, r, err)
				return
			}
			f.Text = text
		}
	}
	s.render(w, r, status, "calc.html", page{Title: "Calculators", Body: forms})
}
