package synth

import (
	"testing"

	"renalwatch/internal/deptest"
)

// TestImports: the generator is pure (no file, network or clock access),
// and needs no other RenalWatch package.
func TestImports(t *testing.T) {
	deptest.CheckCore(t, "renalwatch/synth")
}
