package egfr_test

import (
	"testing"

	"renalwatch/internal/deptest"
)

func TestImports(t *testing.T) {
	deptest.CheckCore(t, "renalwatch/egfr", "renalwatch/units")
}
