package lupus_test

import (
	"testing"

	"renalwatch/internal/deptest"
)

func TestImports(t *testing.T) { deptest.CheckCore(t, "renalwatch/lupus", "renalwatch/units") }
