package kfre_test

import (
	"testing"

	"renalwatch/internal/deptest"
)

func TestImports(t *testing.T) {
	deptest.CheckCore(t, "renalwatch/kfre", "renalwatch/units", "renalwatch/egfr", "renalwatch/ckd")
}
