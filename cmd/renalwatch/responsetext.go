package main

import (
	"time"

	"renalwatch/assess"
)

// responseStateLine is the text report's line under "Renal response": the
// best response reached and when it was first reached, then the current
// state (lupus.response.best and .current). Empty when neither was judged.
func responseStateLine(rs *assess.Response) string {
	if rs == nil || rs.Current == nil {
		return ""
	}
	s := "  Best response: none reached"
	if b := rs.Best; b != nil {
		s = "  Best response: " + b.Response + ", first reached " + b.Date.Format(time.DateOnly) + " (UPCR " + measuredQ(b.UPCR) + ", " + derived(b.Months) + " months)"
		if b.Provisional {
			s += ", provisional"
		}
	}
	c := rs.Current
	s += "; now: " + c.State
	if c.State == assess.StateFlare {
		s += " since " + c.Date.Format(time.DateOnly)
	} else if c.FlareDate != nil {
		s += " (after a flare on " + c.FlareDate.Format(time.DateOnly) + ")"
	}
	return s + ", latest UPCR " + measuredQ(c.UPCR) + " on " + c.UPCRDate.Format(time.DateOnly) + "\n"
}
