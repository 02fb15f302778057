package fhir

import "renalwatch/record"

// ReadBytesTo reads data as ReadBytes does with chunk 0, but appends the
// items to b (whose capacity it reuses) rather than to a new batch: a
// caller that reads many small files, one patient each (renalwatch
// cohort), reuses one batch's arrays instead of growing new ones every
// time. The Result holds the rejections and counts; its Batch is *b as
// ReadBytesTo left it.
func (rd *Reader) ReadBytesTo(name string, data []byte, b *record.Batch) (*Result, error) {
	f := &file{r: rd, res: &Result{File: name, Batch: *b}, meds: map[string]codeableConcept{}}
	err := f.readBytes(data)
	*b = f.res.Batch
	if err != nil {
		return nil, err
	}
	return f.finish(), nil
}
