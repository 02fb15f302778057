package assess

import (
	"bytes"
	"encoding/json"
	"iter"
	"slices"
	"time"

	"renalwatch/units"
)

// EGFRSeries is kidney.egfr_series: the eGFR of every creatinine at or
// before as_of, in time order, one EGFRPoint each. Its JSON form is the
// array of those points (null for the zero EGFRSeries, [] for an
// assessment without creatinine).
//
// An assessment's series is not a materialised []EGFRPoint: a patient may
// have a million creatinines (issue 8 item 4), and an EGFRPoint is 232
// bytes besides its value. Each point is assembled when asked for (At,
// All) from the creatinine in the timeline and the eGFR computed for it;
// only what most points leave empty (a reason, warnings, a cystatin C or
// height used, an age not computed from the sample) is kept per point, and
// only for the points that have it. The points are the same whichever way
// they are read. A series is read-only: the Value of a point it returns
// points into the series and must not be modified.
type EGFRSeries struct {
	pts      []point // the creatinines' eGFR points, one per element
	birth    time.Time
	extraAt  []int32 // ascending indexes of the points with extras
	extras   []pointExtra
	list     []EGFRPoint // a series given whole (NewEGFRSeries, JSON)
	nonEmpty bool        // not the zero EGFRSeries: JSON [] rather than null when empty
}

// pointExtra holds the fields of an EGFRPoint that the creatinine and its
// eGFR do not give (set only on some points).
type pointExtra struct {
	age       float64
	reason    string
	warnings  []string
	cystatinC *units.Quantity
	height    *units.Quantity
}

// NewEGFRSeries returns the series of the points given (for tests and
// for writers that build a report by hand).
func NewEGFRSeries(points []EGFRPoint) EGFRSeries {
	return EGFRSeries{list: slices.Clip(points), nonEmpty: true}
}

// newSeries starts the series of an assessment of a patient born at birth
// with room for n points.
func newSeries(birth time.Time, n int) EGFRSeries {
	return EGFRSeries{pts: make([]point, 0, n), birth: birth, nonEmpty: true}
}

// add appends the point of pt, whose EGFRPoint is ep; it keeps from ep
// only what At cannot assemble from pt. sampleAge says that ep.AgeYears
// was computed as ageYears(birth, pt.obs.Time) (ageYearsAt is), so it is
// not computed again.
func (s *EGFRSeries) add(pt point, ep *EGFRPoint, sampleAge bool) {
	s.pts = append(s.pts, pt)
	i := len(s.pts) - 1
	if ep.Reason == "" && ep.Warnings == nil && ep.CystatinC == nil && ep.Height == nil && (sampleAge || ep.AgeYears == ageYears(s.birth, pt.obs.Time)) {
		return
	}
	x := pointExtra{age: ep.AgeYears, reason: ep.Reason, warnings: ep.Warnings, cystatinC: ep.CystatinC, height: ep.Height}
	if n := len(s.extras); n > 0 && s.extras[n-1].reason == x.reason {
		x.reason = s.extras[n-1].reason // one copy of a reason that repeats
	}
	s.extraAt = append(s.extraAt, int32(i))
	s.extras = append(s.extras, x)
}

// Len returns the number of points.
func (s EGFRSeries) Len() int {
	if s.list != nil {
		return len(s.list)
	}
	return len(s.pts)
}

// At returns point i (0 <= i < Len()).
func (s EGFRSeries) At(i int) EGFRPoint {
	if s.list != nil {
		return s.list[i]
	}
	var x *pointExtra
	if k, ok := slices.BinarySearch(s.extraAt, int32(i)); ok {
		x = &s.extras[k]
	}
	return s.point(i, x)
}

// All yields every point with its index, in time order.
func (s EGFRSeries) All() iter.Seq2[int, EGFRPoint] {
	return func(yield func(int, EGFRPoint) bool) {
		if s.list != nil {
			for i, p := range s.list {
				if !yield(i, p) {
					return
				}
			}
			return
		}
		k := 0
		for i := range s.pts {
			var x *pointExtra
			if k < len(s.extraAt) && int(s.extraAt[k]) == i {
				x = &s.extras[k]
				k++
			}
			if !yield(i, s.point(i, x)) {
				return
			}
		}
	}
}

// point assembles point i, whose extras are x (nil for none).
func (s EGFRSeries) point(i int, x *pointExtra) EGFRPoint {
	pt := &s.pts[i]
	o := pt.obs
	ep := EGFRPoint{Date: o.Time, Creatinine: o.Value, Comparator: string(o.Comparator), ObservationID: o.ID, Notes: o.Notes}
	if x != nil {
		ep.AgeYears, ep.Reason, ep.Warnings, ep.CystatinC, ep.Height = x.age, x.reason, x.warnings, x.cystatinC, x.height
	} else {
		ep.AgeYears = ageYears(s.birth, o.Time)
	}
	if pt.shown {
		ep.Value = &pt.value
		ep.Equation = pt.eq.String()
		ep.CystatinObservationID = pt.cysID()
		ep.Markers = markers(pt)
	}
	return ep
}

// Equal reports whether s and t hold the same points (go-cmp uses it).
func (s EGFRSeries) Equal(t EGFRSeries) bool {
	if s.Len() != t.Len() || s.nonEmpty != t.nonEmpty {
		return false
	}
	for i, p := range s.All() {
		a, _ := json.Marshal(p)
		b, _ := json.Marshal(t.At(i))
		if !bytes.Equal(a, b) {
			return false
		}
	}
	return true
}

// MarshalJSON writes the series as the JSON array of its points: the
// bytes a []EGFRPoint of the same points gives, whatever the encoder's
// indentation and HTML escaping (encoding/json applies both to this
// output as to its own).
func (s EGFRSeries) MarshalJSON() ([]byte, error) {
	if !s.nonEmpty {
		return []byte("null"), nil
	}
	b := []byte{'['}
	var err error
	for i, p := range s.All() {
		if i > 0 {
			b = append(b, ',')
		}
		// Not HTML-escaped: the caller's encoder escapes, or not.
		if b, err = p.AppendJSON(b); err != nil {
			return nil, err
		}
	}
	return append(b, ']'), nil
}

// UnmarshalJSON reads the array MarshalJSON writes.
func (s *EGFRSeries) UnmarshalJSON(b []byte) error {
	var list []EGFRPoint
	if err := json.Unmarshal(b, &list); err != nil {
		return err
	}
	if list == nil {
		*s = EGFRSeries{}
		return nil
	}
	*s = NewEGFRSeries(list)
	return nil
}
