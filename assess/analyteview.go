package assess

import (
	"slices"

	"renalwatch/record"
	"renalwatch/units"
)

// upTo returns the observations of an analyte taken at or before asOf.
func (a *assessor) upTo(an units.Analyte) []record.Observation {
	v := a.view(an)
	if v == nil {
		obs := a.values(an)
		i := firstAfter(obs, a.asOf)
		return obs[:i:i]
	}
	if !v.upToDone {
		obs := a.values(an)
		i := firstAfter(obs, a.asOf)
		v.upTo, v.upToDone = obs[:i:i], true
	}
	return v.upTo
}

// analyteView is what an assessment has read of one analyte: values and
// upTo, each looked up once (they are asked for thousands of times: a map
// lookup and a binary search each time).
type analyteView struct {
	vals, upTo         []record.Observation
	valsDone, upToDone bool
}

// analyteRoom is the room made at once for the per-analyte tables (views,
// obsStamps): every analyte units lists, so they grow once.
var analyteRoom = int(slices.Max(units.Analytes())) + 1

// view returns the analyte's view, or nil for an analyte out of the
// table's range (read uncached).
func (a *assessor) view(an units.Analyte) *analyteView {
	i := int(an)
	if i < 0 || i > 255 {
		return nil
	}
	if i >= len(a.views) {
		a.views = append(a.views, make([]analyteView, max(i+1, analyteRoom)-len(a.views))...)
	}
	return &a.views[i]
}
