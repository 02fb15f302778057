package main

import (
	"strings"
	"testing"
)

// TestBatchEGFRCystatinNotUsedSaid: without --equation a table's column is
// ckd-epi-2021 (creatinine only), where the single calculator given both
// markers computes ckd-epi-2021-cys; a row whose cystatin C is left out says
// so in its warnings, and a row without one does not.
func TestBatchEGFRCystatinNotUsedSaid(t *testing.T) {
	table := "id,creatinine_mg_dl,cystatin_c_mg_l,age,sex\np1,1.4,1.3,62,female\np2,1.4,,62,female\n"
	code, recs, errOut := runTable(t, table, "egfr")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	w, ok := col["warnings"]
	if !ok || len(recs) != 3 {
		t.Fatalf("unexpected output: %v", recs)
	}
	if got := recs[1][w]; !strings.HasPrefix(got, "cystatin C not used: ") || !strings.Contains(got, "--equation ckd-epi-2021-cys") {
		t.Errorf("row with a cystatin C: warnings %q, want the cystatin C named as not used", got)
	}
	if got := recs[2][w]; got != "" {
		t.Errorf("row without a cystatin C: warnings %q, want none", got)
	}
	// Named explicitly, the equation reads only its columns, as the help says.
	_, recs, _ = runTable(t, table, "egfr", "--equation", "ckd-epi-2021")
	if got := recs[1][w]; got != "" {
		t.Errorf("--equation ckd-epi-2021: warnings %q, want none", got)
	}
}
