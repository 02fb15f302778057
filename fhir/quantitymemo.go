package fhir

import (
	"math"

	"renalwatch/record"
	"renalwatch/units"
)

// quantityMemo remembers what the mapping made of the quantities it read:
// lab values repeat (a creatinine of 0.9 mg/dL, a blood pressure of 120
// mm[Hg]), and mapping one (quantitySpelling, units.LookupUnit,
// Normalize, the value's text) costs more than decoding it. The result
// depends only on the analyte, the value, the comparator, the unit and the
// code (the code's coding only for a quantity without unit, which gets a
// note and is not remembered; nor are errors), so an entry is found by
// those and checked on all of them: the mapping is exactly what mapping
// again would give. A direct-mapped table, made when first used.
type quantityMemo struct {
	slot [512]quantityMapped
}

type quantityMapped struct {
	a              units.Analyte
	bits           uint64 // the value's
	comparator     string
	unitText, code string // the quantity's unit and code
	value          units.Quantity
	unit, text     string // quantityUnit and the value's text
	cmp            record.Comparator
}

// mappedQuantity is f.quantity(a, cd, q), with quantityUnit(q) and the value's
// text (f.values.text(q)) for the provenance.
func (f *file) mappedQuantity(a units.Analyte, cd coding, q *quantity) (o record.Observation, unit, text string, err error) {
	if q.Value == nil {
		o, err = f.quantity(a, cd, q)
		return o, "", "", err
	}
	if f.quantities == nil {
		f.quantities = new(quantityMemo)
	}
	b := math.Float64bits(*q.Value)
	h := (b ^ b>>29 ^ b>>47 ^ uint64(a)*0x9E3779B97F4A7C15 ^ uint64(len(q.Code))<<3 ^ uint64(len(q.Unit))) % uint64(len(f.quantities.slot))
	e := &f.quantities.slot[h]
	if e.a == a && e.bits == b && e.a != 0 && e.comparator == q.Comparator && e.code == q.Code && e.unitText == q.Unit {
		o.Analyte, o.Value, o.Comparator = a, e.value, e.cmp
		return o, e.unit, e.text, nil
	}
	if o, err = f.quantity(a, cd, q); err != nil {
		return o, "", "", err
	}
	unit, text = quantityUnit(q), f.values.text(q)
	if len(o.Notes) == 0 {
		*e = quantityMapped{a: a, bits: b, comparator: q.Comparator, unitText: q.Unit, code: q.Code,
			value: o.Value, unit: unit, text: text, cmp: o.Comparator}
	}
	return o, unit, text, nil
}
