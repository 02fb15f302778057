package main

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestTableSemicolon is trial 8 F3: "egfr --in" of a semicolon-separated
// table (which import reads, by the csvio package's rule) said "no column
// gives age" although it had one. Every --in calculator now reads such a
// table, decimal commas included, as import does, and computes what the
// same table comma-separated with decimal points gives.
func TestTableSemicolon(t *testing.T) {
	for _, tc := range []struct {
		args          []string
		semi, comma   string
		inputs, width int // input columns; result columns including error
	}{
		{[]string{"egfr"}, "id;creatinine_mg_dl;age;sex\np1;1,2;54;female\np2;1.4;62;female\n",
			"id,creatinine_mg_dl,age,sex\np1,1.2,54,female\np2,1.4,62,female\n", 4, 4},
		{[]string{"egfr", "--equation", "ckid-u25"}, "id;creatinine;height_cm;age;sex\np1;0,6mg/dL;140;10;male\n",
			"id,creatinine,height_cm,age,sex\np1,0.6mg/dL,140,10,male\n", 5, 4},
		{[]string{"stage"}, "id;egfr;acr_mg_mmol;age\np1;22,5;35;54\n", "id,egfr,acr_mg_mmol,age\np1,22.5,35,54\n", 4, 6},
		{[]string{"kfre"}, "id;age;sex;egfr;acr_mg_g\np1;62;female;22,4;800\n", "id,age,sex,egfr,acr_mg_g\np1,62,female,22.4,800\n", 5, 6},
		{[]string{"convert", "--analyte", "creatinine", "--to", "umol/L"}, "id;creatinine_mg_dl\np1;1,2\n", "id,creatinine_mg_dl\np1,1.2\n", 2, 2},
	} {
		code, semi, errs := runTable(t, tc.semi, tc.args...)
		if code != 0 {
			t.Errorf("%v semicolon table: exit %d: %s", tc.args, code, errs)
			continue
		}
		_, comma, _ := runTable(t, tc.comma, tc.args...)
		if len(semi) != len(comma) || len(semi[0]) != tc.inputs+tc.width {
			t.Errorf("%v: %d rows of %d columns, want %d of %d:\n%q", tc.args, len(semi), len(semi[0]), len(comma), tc.inputs+tc.width, semi)
			continue
		}
		for i := range semi {
			if d := cmp.Diff(comma[i][tc.inputs:], semi[i][tc.inputs:]); d != "" {
				t.Errorf("%v row %d: results differ (-comma +semicolon):\n%s", tc.args, i, d)
			}
			if i > 0 && semi[i][len(semi[i])-1] != "" {
				t.Errorf("%v row %d: error %q", tc.args, i, semi[i][len(semi[i])-1])
			}
		}
		if got := strings.Split(strings.TrimSpace(tc.semi), "\n")[1]; strings.Join(semi[1][:tc.inputs], ";") != got {
			t.Errorf("%v: input cells %q, want them as written (%s)", tc.args, semi[1][:tc.inputs], got)
		}
	}
}

// TestTableSemicolonNumbers: numbers of a semicolon table follow the
// import's rule (csvio.DecimalNumber): a comma before three digits is
// ambiguous, a thousandfold apart, and is refused naming both readings;
// a number with a unit in the cell is read the same way.
func TestTableSemicolonNumbers(t *testing.T) {
	code, recs, errs := runTable(t, "id;acr;age\np1;1,000mg/g;54\np2;30,5mg/g;54\n", "stage")
	if code != 2 || len(recs) != 3 {
		t.Fatalf("exit %d, %d records (%s); want 2 with every row (one refused)", code, len(recs), errs)
	}
	// id,acr,age,g_category,a_category,a_source,kdigo_risk,notes,error
	if e := recs[1][8]; !strings.Contains(e, `"1,000" is ambiguous`) || !strings.Contains(e, "1.000") || !strings.Contains(e, "1000") {
		t.Errorf("1,000mg/g: error %q, want both readings named", e)
	}
	if r := recs[2]; r[4] != "A2" || r[8] != "" {
		t.Errorf("30,5mg/g: %q, want A2 (KDIGO: 30 mg/g or more)", r)
	}
}

// TestTableSeparatorNotRecognised: a header read as one column that holds a
// tab or a vertical bar says the separator was not recognised, not that a
// column is missing (trial 8 F3).
func TestTableSeparatorNotRecognised(t *testing.T) {
	for _, table := range []string{"id\tcreatinine_mg_dl\tage\tsex\np1\t1.2\t54\tfemale\n", "id|creatinine_mg_dl|age|sex\np1|1.2|54|female\n"} {
		code, _, errs := runTable(t, table, "egfr")
		if code != 2 || !strings.Contains(errs, "the column separator was not recognised") || strings.Contains(errs, "no column gives") {
			t.Errorf("%q: exit %d, %q", table, code, errs)
		}
	}
}
