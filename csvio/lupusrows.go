package csvio

import (
	"bufio"
	"bytes"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"renalwatch/fhir"
	"renalwatch/lupus"
	"renalwatch/record"
	"renalwatch/units"
)

// isSemicolon reports whether the header line (peeked, not consumed) is
// semicolon-separated (SemicolonHeader).
func isSemicolon(br *bufio.Reader) bool {
	head, _ := br.Peek(64 << 10)
	return SemicolonHeader(head)
}

// SemicolonHeader reports whether a file whose text starts with head is
// semicolon-separated: its first line has a semicolon and no comma. Only
// then is a decimal comma read (DecimalNumber); it is never guessed from
// the values. The import and the calculators' tables (--in) both ask it.
func SemicolonHeader(head []byte) bool {
	if i := bytes.IndexByte(head, '\n'); i >= 0 {
		head = head[:i]
	}
	return bytes.IndexByte(head, ';') >= 0 && bytes.IndexByte(head, ',') < 0
}

// SeparatorHint says, in parentheses after a leading space, why a header
// read as one column looks separated by something other than commas or
// semicolons (a tab, a vertical bar, or both semicolons and commas); ""
// otherwise.
func SeparatorHint(header []string, semicolon bool) string {
	if len(header) != 1 || semicolon {
		return ""
	}
	switch {
	case strings.Contains(header[0], "\t"):
		return " (the header is tab-separated: save the file as CSV, comma- or semicolon-separated)"
	case strings.Contains(header[0], ";") && strings.Contains(header[0], ","):
		return " (the header holds both semicolons and commas: separate the columns with one of them)"
	case strings.Contains(header[0], "|"):
		return " (the header is separated by vertical bars: save the file as CSV, comma- or semicolon-separated)"
	}
	return ""
}

// system is the row's source column, or the file's source system.
func system(f *fields, sys string) string {
	if f.get("source") != "" {
		return f.get("source")
	}
	return sys
}

// rowID is the row's id column, or an id derived from the given content.
func rowID(f *fields, kind string, content ...string) string {
	if f.get("id") != "" {
		return f.get("id")
	}
	return record.DeriveID(kind, content...)
}

// therapyClass reads a therapy column: a class name (mycophenolate,
// raas_blockade, …) or a drug by generic or brand name (mycophenolate
// mofetil, CellCept, ramipril), with the vocabulary of the FHIR reader
// (fhir.TherapyByName). It returns the class and the name kept.
func therapyClass(s string) (record.TherapyClass, string, error) {
	if c, ok := record.ParseTherapyClass(s); ok {
		return c, c.String(), nil
	}
	if c, name, ok := fhir.TherapyByName(s); ok {
		return c, name, nil
	}
	return 0, "", fmt.Errorf("%w: therapy %q is neither a class nor a known drug name; classes: %s; drugs by generic or brand name (prednisone, mycophenolate mofetil, CellCept, tacrolimus, ramipril, …), or \"other\"",
		ErrBadValue, s, therapyNames())
}

// diagnosisNames are the names the diagnoses layout reads; each maps to
// the ConditionKind the FHIR reader maps the SNOMED codes of that
// diagnosis to (fhir/codes.go: 55464009 SLE, 68815009 lupus nephritis,
// 73211009 diabetes, 38341003 hypertension, 709044004 CKD).
var diagnosisNames = []string{"sle", "lupus_nephritis", "diabetes", "hypertension", "ckd"}

func (rd *Reader) diagnosis(res *Result, f *fields, file string, line int, sys string) error {
	if err := need(f, "patient_id", "diagnosis", "onset"); err != nil {
		return err
	}
	d := strings.ReplaceAll(strings.ToLower(f.get("diagnosis")), " ", "_")
	var (
		kind  record.ConditionKind
		stage string
		ok    bool
		code  record.Coding
	)
	if strings.Trim(d, "0123456789") == "" {
		kind, stage, ok = fhir.ConditionBySNOMED(d)
		code = record.Coding{System: "http://snomed.info/sct", Code: d}
	} else if slices.Contains(diagnosisNames, d) {
		kind, ok = record.ParseConditionKind(d)
	}
	if !ok {
		return fmt.Errorf("%w: diagnosis %q; accepted: %s, or a SNOMED CT code the FHIR import maps (55464009 SLE, 68815009 lupus nephritis, 709044004 CKD, 433144002 CKD stage 3, …)",
			ErrBadValue, f.get("diagnosis"), strings.Join(diagnosisNames, ", "))
	}
	onset, err := rd.date("onset", f.get("onset"))
	if err != nil {
		return err
	}
	abate, err := rd.end(f, "abatement", onset, "onset")
	if err != nil {
		return err
	}
	res.Batch.Conditions = append(res.Batch.Conditions, record.Condition{
		ID: rowID(f, "Condition", f.get("patient_id"), d, f.get("onset")), PatientID: f.get("patient_id"), Kind: kind, Stage: stage,
		Onset: onset, Abatement: abate,
		Provenance: record.Provenance{System: system(f, sys), ResourceType: "csv", ResourceID: f.get("id"), Code: code, Value: f.get("diagnosis"), File: file, Line: line},
	})
	return nil
}

// presence reads the present column of a finding.
func presence(s string) (bool, bool) {
	switch strings.ToLower(s) {
	case "yes", "y", "true", "1", "present":
		return true, true
	case "no", "n", "false", "0", "absent":
		return false, true
	}
	return false, false
}

func (rd *Reader) finding(res *Result, f *fields, file string, line int, sys string) error {
	if err := need(f, "patient_id", "time", "finding"); err != nil {
		return err
	}
	code := strings.ReplaceAll(strings.ReplaceAll(strings.ToLower(f.get("finding")), "-", "_"), " ", "_")
	if !slices.Contains(record.FindingCodes(), code) {
		return fmt.Errorf("%w: finding %q; accepted: the SLEDAI-2K descriptors %s, or %s with the total in score",
			ErrBadValue, f.get("finding"), strings.Join(record.FindingCodes()[:len(record.FindingCodes())-1], ", "), record.FindingSLEDAI2KScore)
	}
	t, err := rd.date("time", f.get("time"))
	if err != nil {
		return err
	}
	fd := record.Finding{ID: rowID(f, "Finding", f.get("patient_id"), f.get("time"), code), PatientID: f.get("patient_id"), Code: code, Time: t,
		Provenance: record.Provenance{System: system(f, sys), ResourceType: "csv", ResourceID: f.get("id"), Value: f.get("present") + f.get("score"), File: file, Line: line}}
	if code == record.FindingSLEDAI2KScore {
		// A total SLEDAI-2K is a whole number 0-105 (Gladman 2002), as the
		// FHIR reader checks it.
		vs, err := number("score", f.get("score"), res.Semicolon)
		if err != nil {
			return err
		}
		v, err := units.ParseNumber(vs)
		if f.get("score") == "" || err != nil || v < 0 || v > 105 || v != math.Trunc(v) {
			return fmt.Errorf("%w: score %q: a SLEDAI-2K total is a whole number from 0 to 105", ErrImplausible, f.get("score"))
		}
		fd.Score, fd.Present = &v, v > 0
	} else {
		if f.get("score") != "" {
			return fmt.Errorf("%w: score %q is only read with %s; a descriptor is present or absent", ErrBadValue, f.get("score"), record.FindingSLEDAI2KScore)
		}
		p, ok := presence(f.get("present"))
		if !ok {
			return fmt.Errorf("%w: present %q; accepted: yes, no (also y, n, true, false, 1, 0, present, absent)", ErrBadValue, f.get("present"))
		}
		fd.Present = p
	}
	res.Batch.Findings = append(res.Batch.Findings, fd)
	return nil
}

// biopsy reads a kidney biopsy: the ISN/RPS class (2003 or 2018 spelling)
// and the modified NIH activity and chronicity, each either the index
// total (activity 0-24, chronicity 0-12) or its items as key=value pairs
// ("endocapillary_hypercellularity=2 fibrinoid_necrosis=25%"), checked by
// lupus.Biopsy as the biopsy command checks them.
func (rd *Reader) biopsy(res *Result, f *fields, file string, line int, sys string) error {
	if err := need(f, "patient_id", "date", "class"); err != nil {
		return err
	}
	t, err := rd.date("date", f.get("date"))
	if err != nil {
		return err
	}
	c, err := lupus.ParseClass(f.get("class"), lupus.ISNRPS2003)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrBadValue, err)
	}
	b := record.Biopsy{ID: rowID(f, "Biopsy", f.get("patient_id"), f.get("date"), f.get("class")), PatientID: f.get("patient_id"), Time: t, Classes: []string{c.Base},
		Provenance: record.Provenance{System: system(f, sys), ResourceType: "csv", ResourceID: f.get("id"), Value: f.get("class"), File: file, Line: line}}
	if c.Membranous {
		b.Classes = append(b.Classes, "V")
	}
	items := map[string]map[string]lupus.BiopsyValue{"activity": {}, "chronicity": {}}
	for _, col := range []string{"activity", "chronicity"} {
		s := f.get(col)
		if s == "" {
			continue
		}
		if n, err := strconv.Atoi(s); err == nil {
			hi, total := 24, &b.ActivityIndex
			if col == "chronicity" {
				hi, total = 12, &b.ChronicityIndex
			}
			if n < 0 || n > hi {
				return fmt.Errorf("%w: %s %q: the modified NIH %s index is 0 to %d (Bajema 2018)", ErrImplausible, col, s, col, hi)
			}
			*total = &n
			continue
		}
		for _, kv := range strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' || r == ';' || r == '|' }) {
			k, v, ok := strings.Cut(kv, "=")
			if !ok {
				return fmt.Errorf("%w: %s %q: give the index total (a whole number) or items as key=value, such as fibrinoid_necrosis=1", ErrBadValue, col, s)
			}
			bv, err := lupus.ParseBiopsyValue(col+" "+strings.TrimSpace(k), v) // the item named (trial-cli #22), as the biopsy command does
			if err != nil {
				return fmt.Errorf("%w: %v", ErrBadValue, err)
			}
			items[col][strings.TrimSpace(k)] = bv
		}
	}
	r, err := lupus.Biopsy(c.Base, lupus.ISNRPS2018, items["activity"], items["chronicity"])
	if err != nil {
		return fmt.Errorf("%w: %v", ErrBadValue, err)
	}
	for key, it := range r.Items {
		if p := biopsyItem(&b, key); p != nil {
			s := it.Score
			*p = &s
		}
	}
	res.Batch.Biopsies = append(res.Batch.Biopsies, b)
	return nil
}

// biopsyItem is the record field of a modified NIH item key.
func biopsyItem(b *record.Biopsy, key string) **int {
	switch key {
	case "endocapillary_hypercellularity":
		return &b.EndocapillaryHypercellularity
	case "neutrophils_karyorrhexis":
		return &b.Neutrophils
	case "fibrinoid_necrosis":
		return &b.FibrinoidNecrosis
	case "hyaline_deposits":
		return &b.HyalineDeposits
	case "cellular_fibrocellular_crescents":
		return &b.CellularCrescents
	case "interstitial_inflammation":
		return &b.InterstitialInflammation
	case "glomerulosclerosis":
		return &b.GlomerularSclerosis
	case "fibrous_crescents":
		return &b.FibrousCrescents
	case "tubular_atrophy":
		return &b.TubularAtrophy
	case "interstitial_fibrosis":
		return &b.InterstitialFibrosis
	}
	return nil
}

// eventNames are the dialysis and transplant events the events layout
// reads (record.ReplacementKind names).
var eventNames = []string{"dialysis", "hemodialysis", "peritoneal_dialysis", "kidney_transplant"}

func (rd *Reader) event(res *Result, f *fields, file string, line int, sys string) error {
	if err := need(f, "patient_id", "event", "start"); err != nil {
		return err
	}
	e := strings.ReplaceAll(strings.ToLower(f.get("event")), " ", "_")
	var (
		k  record.ReplacementKind
		ok bool
	)
	if strings.Trim(e, "0123456789") == "" {
		k, ok = fhir.ReplacementBySNOMED(e)
	} else {
		k, ok = record.ParseReplacementKind(e)
	}
	if !ok {
		return fmt.Errorf("%w: event %q; accepted: %s, or the SNOMED CT code of one (265764009 dialysis, 302497006 hemodialysis, 71192002 peritoneal dialysis, 70536003 kidney transplant)",
			ErrBadValue, f.get("event"), strings.Join(eventNames, ", "))
	}
	start, err := rd.date("start", f.get("start"))
	if err != nil {
		return err
	}
	if f.get("end") != "" && k == record.KidneyTransplant {
		return fmt.Errorf("%w: end %q: a kidney transplant is an event on one date; leave end empty (a later dialysis start records graft failure)", ErrBadValue, f.get("end"))
	}
	end, err := rd.end(f, "end", start, "start")
	if err != nil {
		return err
	}
	res.Batch.Replacements = append(res.Batch.Replacements, record.Replacement{
		ID: rowID(f, "Replacement", f.get("patient_id"), e, f.get("start")), PatientID: f.get("patient_id"), Kind: k, Start: start, End: end,
		Provenance: record.Provenance{System: system(f, sys), ResourceType: "csv", ResourceID: f.get("id"), Value: f.get("event"), File: file, Line: line},
	})
	return nil
}
