package itemdoc

import (
	"bytes"
	"fmt"
	"time"

	"renalwatch/record"
	"renalwatch/units"
)

// provSep separates the fields of a packed observation provenance (ASCII
// unit separator).
const provSep = '\x1f'

// PackProv joins an observation's provenance into the one column both
// stores keep it in (binding one parameter instead of eight is a large
// part of import throughput): source system, resource type, resource id,
// code system, code, display, unit and value as the source wrote them.
// The file and line are not stored.
func PackProv(o *record.Observation) string {
	var s record.Source
	if o.Source != nil {
		s = *o.Source
	}
	const sep = string(provSep)
	return s.System + sep + s.ResourceType + sep + o.ResourceID + sep + s.Code.System + sep + s.Code.Code + sep +
		s.Code.Display + sep + s.Unit + sep + o.SourceValue
}

// ProvReader unpacks the packed provenance of the observations read for
// one patient (issue 8 item 4: a report on a million observations holds
// each one once and little more). What repeats from row to row is shared:
// the Source, the resource id when it is the
// observation's id, and short value texts ("1.10"), which a laboratory
// series repeats. The zero value is ready to use.
type ProvReader struct {
	key    []byte                    // the shared fields of the last row
	last   *record.Source            // their Source
	byKey  map[string]*record.Source // Source by shared fields
	values map[string]string
}

// Bounds on what a ProvReader remembers, so that it cannot grow without
// bound on unusual data: longer values, and values past the count, are
// copied per row as without sharing.
const (
	maxSharedValue  = 16
	maxSharedValues = 1 << 16
)

// Set unpacks packed (a stored provenance column; the buffer may be
// reused afterwards) into o, whose ID must already be set.
func (r *ProvReader) Set(o *record.Observation, packed []byte) error {
	var f [8][]byte
	rest := packed
	for i := range f {
		if i == len(f)-1 {
			if bytes.IndexByte(rest, provSep) >= 0 {
				return fmt.Errorf("stored provenance has more than 8 fields")
			}
			f[i] = rest
			break
		}
		j := bytes.IndexByte(rest, provSep)
		if j < 0 {
			return fmt.Errorf("stored provenance has %d fields, want 8", i+1)
		}
		f[i], rest = rest[:j], rest[j+1:]
	}
	// The shared fields are the packed text without the resource id and
	// the value: bytes 0 to the start of the id, then from its end.
	idStart := len(f[0]) + len(f[1]) + 2
	idEnd := idStart + len(f[2])
	shared := packed[:len(packed)-len(f[7])]
	same := r.byKey != nil && len(r.key) == len(shared)-len(f[2]) &&
		bytes.Equal(r.key[:idStart], shared[:idStart]) && bytes.Equal(r.key[idStart:], shared[idEnd:])
	if !same {
		r.key = append(append(r.key[:0], shared[:idStart]...), shared[idEnd:]...)
		src, ok := r.byKey[string(r.key)]
		if !ok {
			s := record.Source{System: string(f[0]), ResourceType: string(f[1]),
				Code: record.Coding{System: string(f[3]), Code: string(f[4]), Display: string(f[5])}, Unit: string(f[6])}
			if s != (record.Source{}) { // none given: nil, as record.Sources does
				src = &s
			}
			if r.byKey == nil {
				r.byKey = map[string]*record.Source{}
			}
			if len(r.byKey) < maxSharedValues {
				r.byKey[string(r.key)] = src
			}
		}
		r.last = src
	}
	o.Source, o.Line = r.last, 0
	if string(f[2]) == o.ID {
		o.ResourceID = o.ID
	} else {
		o.ResourceID = string(f[2])
	}
	o.SourceValue = r.value(f[7])
	return nil
}

// value returns v as a string, shared with earlier rows when short.
func (r *ProvReader) value(v []byte) string {
	if len(v) == 0 {
		return ""
	}
	if len(v) > maxSharedValue {
		return string(v)
	}
	if s, ok := r.values[string(v)]; ok {
		return s
	}
	s := string(v)
	if r.values == nil {
		r.values = map[string]string{}
	}
	if len(r.values) < maxSharedValues {
		r.values[s] = s
	}
	return s
}

// SetStored fills in o (its ID set) from a stored observation row: the
// analyte by name and its unit (the analytes table), the time and the
// packed provenance. The comparator and the time's precision, coded per
// store, are the caller's.
func SetStored(o *record.Observation, analyte, unit string, t time.Time, prov []byte) error {
	var pr ProvReader
	if err := pr.Set(o, prov); err != nil {
		return fmt.Errorf("observation %s: %w", o.ID, err)
	}
	a, ok := units.ParseAnalyte(analyte)
	if !ok {
		return fmt.Errorf("observation %s: analyte %q in the store is unknown", o.ID, analyte)
	}
	o.Analyte, o.Value.Unit, o.Time = a, units.Unit(unit), t
	return nil
}
