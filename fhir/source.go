package fhir

import "renalwatch/record"

// sourceTable shares the record.Source of the observations a file reads:
// a blood pressure, a creatinine in mg/dL from one system and file, …
// repeat from observation to observation, and record.Source may be shared
// (observations must not modify it). A direct-mapped table found by the
// code and the unit, each entry checked whole, so an observation gets
// exactly the Source it would get alone.
type sourceTable struct {
	slot [64]*record.Source
}

// set sets o's provenance to p (o.SetProvenance(p)), with a shared Source.
func (t *sourceTable) set(o *record.Observation, p record.Provenance) {
	src := record.Source{System: p.System, ResourceType: p.ResourceType, Code: p.Code, Unit: p.Unit, File: p.File}
	if src == (record.Source{}) {
		o.SetProvenance(p)
		return
	}
	h := uint(len(p.Code.Code))*7 + uint(len(p.Unit))
	if c := p.Code.Code; c != "" {
		h = h*31 + uint(c[len(c)-1])
	}
	if u := p.Unit; u != "" {
		h = h*31 + uint(u[0])
	}
	e := &t.slot[h%uint(len(t.slot))]
	if *e == nil || **e != src {
		n := src // allocated only here: src itself stays on the stack
		*e = &n
	}
	o.Source, o.ResourceID, o.SourceValue, o.Line = *e, p.ResourceID, p.Value, p.Line
}
