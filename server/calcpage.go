package server

import (
	"bytes"
	"encoding/json"
	"errors"
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
			out = append(out, calcField{Name: x, Label: strings.ReplaceAll(x, "_", " "), Check: true})
		}
		return out
	}
	return []calcForm{
		{Name: "egfr", Title: "eGFR", Fields: []calcField{
			{Name: "equation", Label: "Equation", Choices: egfr.Names()},
			{Name: "creatinine", Label: "Serum creatinine", Hint: "with unit: 1.2mg/dL or 106umol/L (IDMS-traceable)"},
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
	for j := range f.Fields {
		fd := &f.Fields[j]
		v := strings.TrimSpace(r.PostForm.Get(fd.Name))
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
		params[fd.Name], _ = json.Marshal(v)
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
	out, err := s.cfg.Calc(r.Context(), f.Name, params)
	status := http.StatusOK
	if err != nil {
		var e *Error
		if !errors.As(err, &e) {
			s.pageError(w, r, err)
			return
		}
		status, _ = statusOf(e)
		placed := false
		for j := range f.Fields {
			if f.Fields[j].Name == e.Field {
				f.Fields[j].Error, placed = e.Message, true
			}
		}
		if !placed {
			f.Error = e.Message
		}
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
