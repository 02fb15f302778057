package assess_test

import (
	"testing"

	"renalwatch/internal/deptest"
)

func TestImports(t *testing.T) {
	deptest.CheckCore(t, "renalwatch/assess", "renalwatch/units", "renalwatch/egfr", "renalwatch/ckd",
		"renalwatch/kfre", "renalwatch/lupus", "renalwatch/record", "renalwatch/internal/labtext")
}
