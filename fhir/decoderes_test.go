package fhir

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

// TestFieldNamesListTags: each struct's fieldNames hold exactly the json
// names of its fields, as other's case check needs.
func TestFieldNamesListTags(t *testing.T) {
	for _, c := range []struct {
		v     any
		names *fieldNames
	}{
		{coding{}, codingNames}, {codeableConcept{}, ccNames}, {reference{}, referenceNames}, {quantity{}, quantityNames},
		{extension{}, extensionNames}, {period{}, periodNames}, {component{}, componentNames}, {dosage{}, dosageNames},
		{metaSource{}, metaNames}, {entryRaw{}, entryNames}, {timing{}, timingNames}, {timingRepeat{}, repeatNames},
		{doseAndRate{}, doseAndRateNames}, {dispenseRequest{}, dispenseNames}, {resource{}, resourceNames},
	} {
		typ := reflect.TypeOf(c.v)
		var tags []string
		for f := range typ.Fields() {
			if tag, _, _ := strings.Cut(f.Tag.Get("json"), ","); tag != "" {
				tags = append(tags, tag)
			}
		}
		got := slices.Clone(c.names.names)
		slices.Sort(got)
		slices.Sort(tags)
		if !slices.Equal(got, tags) {
			t.Errorf("%v: names %v; json tags %v", typ, got, tags)
		}
		var lens uint64
		for _, n := range tags {
			lens |= 1 << len(n)
		}
		if c.names.lens != lens {
			t.Errorf("%v: lens %b; want %b", typ, c.names.lens, lens)
		}
	}
}
