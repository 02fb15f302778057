package record_test

import (
	"testing"

	"renalwatch/internal/deptest"
)

func TestImports(t *testing.T) { deptest.CheckCore(t, "renalwatch/record", "renalwatch/units") }
