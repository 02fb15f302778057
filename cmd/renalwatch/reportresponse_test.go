package main

import "testing"

// Trial #27: therapy classes by name in the response line ("mesenchymal
// stem cell infusion", not "msc_infusion").
func TestResponseWords(t *testing.T) {
	if got := classNames([]string{"glucocorticoid", "msc_infusion", "raas_blockade"}); got != "glucocorticoid + mesenchymal stem cell infusion + RAAS blockade" {
		t.Errorf("classNames = %q", got)
	}
}
