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
// member place, the value texts and the last date parsed. All of these
// are checked byte for byte (or keyed by the value) before use, so a
// Session reads each input exactly as a fresh ReadBytesTo does; it only
// saves setting them up again (about 45 KB zeroed, and cold tables, per
// call: renalwatch cohort calls once per patient). Nothing else carries
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
	f.line, f.entry, f.chunk, f.emit, f.fullURLs = 0, 0, 0, nil, nil
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
