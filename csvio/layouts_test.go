package csvio_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"renalwatch/csvio"
	"renalwatch/record"
	"renalwatch/units"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// reasons returns the rejection texts of a result, one per line.
func reasons(res *csvio.Result) string {
	var s []string
	for _, r := range res.Rejected {
		s = append(s, r.Error())
	}
	return strings.Join(s, "\n")
}

func TestColumnsInAnyOrder(t *testing.T) {
	res := read(t, "\ufeffUnit,Value,Analyte,Time,Patient_ID\r\nmg/dL,\"1,4\",creatinine,2024-03-01,p1\r\nmg/dL,1.4,creatinine,2024-03-02,p1\r\n")
	if res.Kind != "observations" || len(res.Batch.Observations) != 1 {
		t.Fatalf("kind %s, %d observations, rejected:\n%s; want 1 (the decimal comma of a comma file rejected)", res.Kind, len(res.Batch.Observations), reasons(res))
	}
	if o := res.Batch.Observations[0]; o.Value.Value != 1.4 || !o.Time.Equal(day(2024, 3, 2)) {
		t.Errorf("observation %+v, want 1.4 mg/dL on 2024-03-02", o)
	}
	if got := reasons(res); !strings.Contains(got, "test.csv:2:") || !strings.Contains(got, "use a decimal point") {
		t.Errorf("rejection %q, want line 2 and a decimal point hint", got)
	}
}

func TestHeaderErrors(t *testing.T) {
	for _, tt := range []struct{ header, want string }{
		{"patient_id,time,analyte,value,unit,dosage", `the observations layout has no column "dosage"`},
		{"patient_id,therapy,start", "the therapies layout needs a end column"},
		{"patient_id,time,analyte,value,unit,unit", `column "unit" is given twice`},
		{"patient_id,analyte,therapy,time,value,unit,start,end", "more than one layout"},
		{"foo,bar", "\n  diagnoses:    patient_id,diagnosis,onset"},
		{"patient_id\ttime\tanalyte\tvalue\tunit", "tab-separated"},
		{"patient_id|time|analyte|value|unit", "separated by vertical bars"},
	} {
		r := csvio.Reader{Now: now}
		_, err := r.Read("h.csv", strings.NewReader(tt.header+"\n"))
		if !errors.Is(err, csvio.ErrHeader) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("header %q: %v; want ErrHeader mentioning %q", tt.header, err, tt.want)
		}
	}
}

// A header that is none of the layouts is refused in lines a terminal
// shows whole: the header quoted short, then the layouts one a line
// (trial 13 F10b: one line of about 600 characters).
func TestHeaderErrorReadable(t *testing.T) {
	header := "patient_id,date,lab,value,unit," + strings.Repeat("comment,", 40) + "end_of_header"
	r := csvio.Reader{Now: now}
	_, err := r.Read("h.csv", strings.NewReader(header+"\n"))
	if !errors.Is(err, csvio.ErrHeader) {
		t.Fatal(err)
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != 9 || !strings.HasPrefix(lines[0], `h.csv line 1: unrecognised header "patient_id,date,lab,value,unit,comment,`) ||
		!strings.HasSuffix(lines[0], "(364 bytes): it has none of the identifying columns") || lines[3] != "  observations: patient_id,time,analyte,value,unit[,id][,source]" {
		t.Errorf("error:\n%v\nwant the header cut, then a line per layout", err)
	}
	for _, l := range lines {
		if len(l) > 160 {
			t.Errorf("line of %d bytes: %s", len(l), l)
		}
	}
}

// A European spreadsheet export: semicolons between fields, a decimal
// comma in the values.
func TestSemicolonFile(t *testing.T) {
	res := read(t, "patient_id;time;analyte;value;unit\np1;2024-03-01;creatinine;1,4;mg/dL\np1;2024-03-02;upcr;0,5;g/g\np1;2024-03-03;creatinine;1.234,5;umol/L\n")
	if !res.Semicolon || len(res.Batch.Observations) != 2 {
		t.Fatalf("semicolon %v, %d observations, rejected:\n%s; want 2", res.Semicolon, len(res.Batch.Observations), reasons(res))
	}
	if v := res.Batch.Observations[0].Value.Value; v != 1.4 {
		t.Errorf("1,4 mg/dL read as %v", v)
	}
	// upcr is pcr; 0.5 g/g is 500 mg/g.
	if o := res.Batch.Observations[1]; o.Analyte != units.PCR || o.Value.Value != 500 {
		t.Errorf("upcr 0,5 g/g read as %v %v, want pcr 500 mg/g", o.Analyte, o.Value)
	}
	if got := reasons(res); !strings.Contains(got, "thousands separators") {
		t.Errorf("1.234,5: %q, want a thousands-separator hint", got)
	}
}

func TestDatesWithPrecision(t *testing.T) {
	res := read(t, "sex,birth_date,patient_id\nF,1980,p1\nm,1981-05,p2\nfemale,1982-06-07,p3\nfemale,07.06.1982,p4\n")
	want := []struct {
		birth time.Time
		prec  record.DatePrecision
		sex   record.Sex
	}{{day(1980, 1, 1), record.PrecisionYear, record.Female}, {day(1981, 5, 1), record.PrecisionMonth, record.Male}, {day(1982, 6, 7), record.PrecisionDay, record.Female}}
	if len(res.Batch.Patients) != 3 {
		t.Fatalf("%d patients, rejected:\n%s", len(res.Batch.Patients), reasons(res))
	}
	for i, w := range want {
		p := res.Batch.Patients[i]
		if !p.BirthDate.Equal(w.birth) || p.BirthPrecision != w.prec || p.Sex != w.sex {
			t.Errorf("patient %s: %v %v %v, want %v %v %v", p.ID, p.BirthDate, p.BirthPrecision, p.Sex, w.birth, w.prec, w.sex)
		}
	}
	if got := reasons(res); !strings.Contains(got, "write the year first") {
		t.Errorf("07.06.1982: %q, want the day-first hint", got)
	}
	// A time without a zone keeps its date, day precision; a year alone is
	// not a lab time.
	obs := read(t, "patient_id,time,analyte,value,unit\np1,2024-10-12 08:30,creatinine,1.1,mg/dL\np1,2024,creatinine,1.1,mg/dL\n")
	if len(obs.Batch.Observations) != 1 {
		t.Fatalf("%d observations, rejected:\n%s", len(obs.Batch.Observations), reasons(obs))
	}
	if o := obs.Batch.Observations[0]; !o.Time.Equal(day(2024, 10, 12)) || o.TimePrecision != record.PrecisionDay {
		t.Errorf("2024-10-12 08:30 read as %v (%v), want 2024-10-12 with day precision", o.Time, o.TimePrecision)
	}
}

func TestTherapyNames(t *testing.T) {
	res := read(t, "patient_id,therapy,start,end,dose\np1,CellCept,2024-01-01,,1 g twice daily\np1,tacrolimus,2024-01-01,2024-06-01,\np1,raas_blockade,2024-01-01,,\np1,aspirin,2024-01-01,,\n")
	if len(res.Batch.Therapies) != 3 {
		t.Fatalf("%d therapies, rejected:\n%s", len(res.Batch.Therapies), reasons(res))
	}
	want := []struct {
		class      record.TherapyClass
		name, dose string
	}{{record.Mycophenolate, "mycophenolate mofetil", "1 g twice daily"}, {record.CalcineurinInhibitor, "tacrolimus", ""}, {record.RAASBlockade, "raas_blockade", ""}}
	for i, w := range want {
		th := res.Batch.Therapies[i]
		if th.Class != w.class || th.Name != w.name || th.Dose != w.dose {
			t.Errorf("therapy %d: %v %q %q, want %v %q %q", i, th.Class, th.Name, th.Dose, w.class, w.name, w.dose)
		}
	}
	if got := reasons(res); !strings.Contains(got, `therapy "aspirin"`) || !strings.Contains(got, "mycophenolate") || !strings.Contains(got, "CellCept") {
		t.Errorf("aspirin: %q, want the classes and drug names accepted", got)
	}
}

func TestDiagnoses(t *testing.T) {
	res := read(t, "patient_id,diagnosis,onset,abatement\np1,lupus_nephritis,2023-11-02,\np1,SLE,2020-01-01,\np1,433144002,2022-01-01,\np1,Hypertension,2021-01-01,2021-06-01\np1,gout,2021-01-01,\np1,99999999,2021-01-01,\n")
	if len(res.Batch.Conditions) != 4 {
		t.Fatalf("%d conditions, rejected:\n%s", len(res.Batch.Conditions), reasons(res))
	}
	want := []struct {
		kind  record.ConditionKind
		stage string
	}{{record.LupusNephritis, ""}, {record.SLE, ""}, {record.CKD, "3"}, {record.Hypertension, ""}}
	for i, w := range want {
		c := res.Batch.Conditions[i]
		if c.Kind != w.kind || c.Stage != w.stage || !c.Established() {
			t.Errorf("condition %d: %v stage %q, want %v stage %q, established", i, c.Kind, c.Stage, w.kind, w.stage)
		}
	}
	if !res.Batch.Conditions[3].Abatement.Equal(day(2021, 6, 1)) {
		t.Errorf("abatement %v", res.Batch.Conditions[3].Abatement)
	}
	if got := reasons(res); strings.Count(got, "accepted: sle, lupus_nephritis, diabetes, hypertension, ckd") != 2 {
		t.Errorf("gout and an unknown code: %q, want the accepted names twice", got)
	}
}

func TestFindings(t *testing.T) {
	res := read(t, "patient_id,time,finding,present,score\np1,2024-03-01,Arthritis,yes,\np1,2024-03-01,low-complement,no,\np1,2024-03-01,sledai_2k_score,,12\np1,2024-03-01,headache,yes,\np1,2024-03-01,sledai_2k_score,,106\np1,2024-03-01,rash,maybe,\n")
	if len(res.Batch.Findings) != 3 {
		t.Fatalf("%d findings, rejected:\n%s", len(res.Batch.Findings), reasons(res))
	}
	f := res.Batch.Findings
	if f[0].Code != record.FindingArthritis || !f[0].Present || f[1].Code != record.FindingLowComplement || f[1].Present {
		t.Errorf("findings %+v %+v, want arthritis present and low_complement absent", f[0], f[1])
	}
	if f[2].Score == nil || *f[2].Score != 12 || !f[2].Present {
		t.Errorf("score finding %+v, want 12", f[2])
	}
	got := reasons(res)
	for _, w := range []string{`finding "headache"`, "lupus_headache", "0 to 105", `present "maybe"`} {
		if !strings.Contains(got, w) {
			t.Errorf("rejections %q, want %q", got, w)
		}
	}
}

func TestBiopsies(t *testing.T) {
	res := read(t, `patient_id,date,class,activity,chronicity
p1,2023-11-02,IV+V,10,3
p1,2023-11-03,III,"endocapillary_hypercellularity=2 fibrinoid_necrosis=30%",
p1,2023-11-04,G4,,
p1,2023-11-05,IV,25,
p1,2023-11-06,IV,necrosis=1,
`)
	if len(res.Batch.Biopsies) != 2 {
		t.Fatalf("%d biopsies, rejected:\n%s", len(res.Batch.Biopsies), reasons(res))
	}
	b := res.Batch.Biopsies
	if len(b[0].Classes) != 2 || b[0].Classes[0] != "IV" || b[0].Classes[1] != "V" || *b[0].ActivityIndex != 10 || *b[0].ChronicityIndex != 3 {
		t.Errorf("biopsy 0: %+v", b[0])
	}
	// 30% of glomeruli scores 2 (25-50%, Bajema 2018).
	if b[1].EndocapillaryHypercellularity == nil || *b[1].EndocapillaryHypercellularity != 2 || b[1].FibrinoidNecrosis == nil || *b[1].FibrinoidNecrosis != 2 || b[1].ActivityIndex != nil {
		t.Errorf("biopsy 1: %+v", b[1])
	}
	got := reasons(res)
	for _, w := range []string{"CKD GFR categories", "0 to 24", "necrosis"} {
		if !strings.Contains(got, w) {
			t.Errorf("rejections %q, want %q", got, w)
		}
	}
}

func TestEvents(t *testing.T) {
	res := read(t, "patient_id,event,start,end\np1,hemodialysis,2024-01-01,2024-03-01\np1,70536003,2024-04-01,\np1,kidney_transplant,2024-04-01,2024-05-01\np1,plasma_exchange,2024-01-01,\n")
	if len(res.Batch.Replacements) != 2 {
		t.Fatalf("%d events, rejected:\n%s", len(res.Batch.Replacements), reasons(res))
	}
	if r := res.Batch.Replacements; r[0].Kind != record.Hemodialysis || !r[0].End.Equal(day(2024, 3, 1)) || r[1].Kind != record.KidneyTransplant {
		t.Errorf("events %+v", r)
	}
	if got := reasons(res); !strings.Contains(got, "leave end empty") || !strings.Contains(got, "accepted: dialysis, hemodialysis, peritoneal_dialysis, kidney_transplant") {
		t.Errorf("rejections %q", got)
	}
}

func TestKnownHeader(t *testing.T) {
	for line, want := range map[string]bool{
		"\ufeffpatient_id,time,analyte,value,unit\r": true,
		"Patient_ID;Diagnosis;Onset":                 true,
		`"patient_id","event","start"`:               true,
		"package main":                               false,
		"patient_id,time,analyte,value,unit,x":       false,
	} {
		if got := csvio.KnownHeader(line); got != want {
			t.Errorf("KnownHeader(%q) = %v, want %v", line, got, want)
		}
	}
}

// FuzzReadLayouts reads arbitrary files in the new layouts (comma and
// semicolon) and checks that what is kept is in range: no panic, biopsy
// items 0-3 and indices 0-24 / 0-12, SLEDAI-2K totals 0-105, dates not
// after the reading time, end not before start.
func FuzzReadLayouts(f *testing.F) {
	f.Add("patient_id,date,class,activity,chronicity\np1,2023-11-02,IV+V,10,3\np1,2023-11-03,III,\"endocapillary_hypercellularity=2 fibrinoid_necrosis=30%\",\n")
	f.Add("patient_id;time;finding;present;score\np1;2024-03-01;sledai_2k_score;;12,0\np1;2024-03-01;arthritis;yes;\n")
	f.Add("\ufeffpatient_id,diagnosis,onset,abatement\r\np1,433144002,2022-01-01,\r\np1,\"lupus nephritis\",2020-01-01,2019-01-01\r\n")
	f.Add("event,patient_id,start,end\nhemodialysis,p1,2024-01-01 08:30,2024-03-01\n70536003,p1,2024-04-01,\n")
	f.Add("patient_id;time;analyte;value;unit\np1;2024-03-01;upcr;0,5;g/g\n")
	f.Add("sex,birth_date,patient_id\nF,1980,p1\nm,1981-05,p2\n")
	f.Fuzz(func(t *testing.T, data string) {
		r := csvio.Reader{Now: now}
		res, err := r.Read("fuzz.csv", strings.NewReader(data))
		if err != nil {
			return
		}
		item := func(p *int, hi int, what string) {
			if p != nil && (*p < 0 || *p > hi) {
				t.Errorf("kept %s %d", what, *p)
			}
		}
		for _, b := range res.Batch.Biopsies {
			for _, p := range []*int{b.EndocapillaryHypercellularity, b.Neutrophils, b.FibrinoidNecrosis, b.HyalineDeposits, b.CellularCrescents,
				b.InterstitialInflammation, b.GlomerularSclerosis, b.FibrousCrescents, b.TubularAtrophy, b.InterstitialFibrosis} {
				item(p, 3, "biopsy item")
			}
			item(b.ActivityIndex, 24, "activity index")
			item(b.ChronicityIndex, 12, "chronicity index")
			if b.Time.After(now) || len(b.Classes) == 0 {
				t.Errorf("kept biopsy %+v", b)
			}
		}
		for _, fd := range res.Batch.Findings {
			if fd.Score != nil && (*fd.Score < 0 || *fd.Score > 105) || fd.Time.After(now) {
				t.Errorf("kept finding %+v", fd)
			}
		}
		for _, c := range res.Batch.Conditions {
			if c.Kind == 0 || c.Onset.After(now) || !c.Abatement.IsZero() && c.Abatement.Before(c.Onset) {
				t.Errorf("kept condition %+v", c)
			}
		}
		for _, x := range res.Batch.Replacements {
			if x.Kind == 0 || x.Start.After(now) || !x.End.IsZero() && x.End.Before(x.Start) {
				t.Errorf("kept event %+v", x)
			}
		}
		for _, p := range res.Batch.Patients {
			if p.BirthDate.After(now) {
				t.Errorf("kept patient %+v", p)
			}
		}
	})
}

// An end column (therapy end, diagnosis abatement, event end) is optional;
// a bad one, or one before its start, rejects the row with the columns
// named.
func TestEndColumns(t *testing.T) {
	for _, tt := range []struct{ file, want string }{
		{"patient_id,therapy,start,end\np1,tacrolimus,2024-02-01,2024-01-01\n", "bad date: end 2024-01-01 is before start 2024-02-01"},
		{"patient_id,therapy,start,end\np1,tacrolimus,2024-02-01,soon\n", `bad date: end "soon"`},
		{"patient_id,diagnosis,onset,abatement\np1,SLE,2024-02-01,2023-12-31\n", "bad date: abatement 2023-12-31 is before onset 2024-02-01"},
		{"patient_id,event,start,end\np1,hemodialysis,2024-02-01,2024-01-31\n", "bad date: end 2024-01-31 is before start 2024-02-01"},
		{"patient_id,event,start,end\np1,kidney_transplant,2024-02-01,2024-01-31\n", `bad value: end "2024-01-31": a kidney transplant is an event on one date`},
	} {
		res := read(t, tt.file)
		if got := reasons(res); len(res.Rejected) != 1 || !strings.Contains(got, tt.want) {
			t.Errorf("%q: rejected %q; want one row rejected with %q", tt.file, got, tt.want)
		}
	}
}
