package ckd

import (
	"math"

	"renalwatch/units"
)

func nan() float64 { return math.NaN() }
func inf() float64 { return math.Inf(1) }

func q(mgPerG float64) units.Quantity { return units.Q(mgPerG, units.MgPerG) }
