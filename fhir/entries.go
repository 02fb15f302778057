package fhir

// RawEntry is one resource held in memory: its JSON and the fullUrl it had in
// a Bundle ("" when none).
type RawEntry struct {
	FullURL  string
	Resource []byte
}

// ReadEntries reads resources held in memory as the entries of one
// collection Bundle named name: the result is what Read gives for a Bundle
// holding them in this order (references resolve across all of them: a
// MedicationStatement and its Medication, a fullUrl and its Patient), but
// nothing is copied, wrapped or scanned twice. A CDS Hooks service reads
// its prefetch so, straight from the request body. Entries with no
// resource are skipped, as in a Bundle. The Resource bytes are not kept.
func (rd *Reader) ReadEntries(name string, entries []RawEntry) *Result {
	f := &file{r: rd, res: &Result{File: name}, meds: map[string]codeableConcept{}}
	b := resource{ResourceType: "Bundle", entries: make([]bundleEntry, len(entries))}
	for i, e := range entries {
		be := &b.entries[i]
		be.fullURL, be.raw = e.FullURL, e.Resource
		if fastDecode && len(e.Resource) > 0 && e.Resource[0] == '{' {
			s := f.scanner()
			s.reset(e.Resource)
			if be.ok = decResource(s, &be.res, false) && s.i == len(e.Resource); !be.ok {
				be.res = resource{} // bundle() decodes it again with encoding/json and words the error
			}
		}
	}
	f.bundle(&b)
	return f.finish()
}
