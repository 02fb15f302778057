package fhir

import "renalwatch/record"

// ReadBytesTo reads data as ReadBytes does with chunk 0, but appends the
// items to b (whose capacity it reuses) rather than to a new batch: a
// caller that reads many small files, one patient each (renalwatch
// cohort), reuses one batch's arrays instead of growing new ones every
// time. The Result holds the rejections and counts; its Batch is *b as
// ReadBytesTo left it. A Session does the same and also keeps the
// decoder's tables from one call to the next.
func (rd *Reader) ReadBytesTo(name string, data []byte, b *record.Batch) (*Result, error) {
	return rd.NewSession().ReadBytesTo(name, data, b)
}

// A Session reads many small inputs one after another with one Reader,
// keeping what the decoder remembers between them: the strings it
// interned, its arena blocks, the keys and values last seen at each
// member place, the value texts, the last date parsed, the mapped
// quantities (quantitymemo.go), the shared record.Sources (source.go) and
// what the code tables say of each code (codememo.go). All of these
// are checked byte for byte (or keyed by the value) before use, so a
// Session reads each input exactly as a fresh ReadBytesTo does; it only
// saves setting them up again (about 80 KB zeroed, 150 KB once a
// quantity is mapped, and cold tables, per call: renalwatch cohort calls
// once per patient). Nothing else carries
// over: each call has its own Result, counts, Medications and Bundle
// references. A Session is not safe for concurrent use.
type Session struct {
	f file
}

// NewSession returns a Session that reads with rd.
func (rd *Reader) NewSession() *Session {
	return &Session{f: file{r: rd, meds: map[string]codeableConcept{}}}
}

// ReadBytesTo is Reader.ReadBytesTo on the session's tables.
func (s *Session) ReadBytesTo(name string, data []byte, b *record.Batch) (*Result, error) {
	f := &s.f
	f.res = &Result{File: name, Batch: *b}
	f.line, f.entry, f.chunk, f.emit, f.fullURLs, f.typeTwice = 0, 0, 0, nil, nil, false
	clear(f.meds)
	f.unmapped, f.ignored, f.skipped, f.notes = counter{}, counter{}, counter{}, counter{}
	err := f.readBytes(data)
	*b = f.res.Batch
	f.cur = resource{} // let go of what the last document pointed to
	if err != nil {
		f.res = nil
		return nil, err
	}
	res := f.finish()
	f.res = nil
	return res, nil
}

// TypeTwice reports whether the last ReadBytesTo rejected a document whose
// text holds the key "resourceType" more than once. A document that gives
// resourceType twice as a member of the resource is always rejected (the
// fast decoder gives up on a member given twice, and encoding/json's
// reading is refused by checkFields), whatever was read before it; one
// that is read has its other "resourceType" keys inside its own members
// (contained resources, which are read within the document). renalwatch
// cohort asks, to read such a line with the rest of its bucket, as it
// reads a Bundle or a Medication.
func (s *Session) TypeTwice() bool { return s.f.typeTwice }
