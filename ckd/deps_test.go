package ckd_test

import (
	"testing"

	"renalwatch/internal/deptest"
)

func TestImports(t *testing.T) {
	deptest.CheckCore(t, "renalwatch/ckd", "renalwatch/units", "renalwatch/egfr")
}
