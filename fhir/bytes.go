package fhir

import (
	"bytes"

	"renalwatch/record"
)

// ReadBytes reads one file already in memory, as ReadChunks reads it from
// an io.Reader (the same Result, the same chunks), without copying it: the
// NDJSON lines, or the one document (a Bundle), are decoded where they
// are. Nothing in the Result or the chunks refers to data, which the
// caller may reuse once ReadBytes returns.
func (rd *Reader) ReadBytes(name string, data []byte, chunk int, emit func(b *record.Batch, rejected []Rejection) error) (*Result, error) {
	f := &file{r: rd, res: &Result{File: name}, meds: map[string]codeableConcept{}}
	if chunk > 0 && emit != nil {
		f.chunk, f.emit = chunk, emit
	}
	if err := f.readBytes(data); err != nil {
		return nil, err
	}
	if err := f.flush(0); err != nil {
		return nil, err
	}
	return f.finish(), nil
}

// readBytes is read for data in memory. NDJSON whose first line is a JSON
// document is read line by line in place; anything else (one document
// over several lines, a bad or long first line) goes through read.
func (f *file) readBytes(data []byte) error {
	first, _ := cutLine(data)
	if len(first) > MaxLine || !isJSON(bytes.TrimSpace(first)) {
		return f.read(bytes.NewReader(data))
	}
	for n, rest := 1, data; len(rest) > 0; n++ {
		var l []byte
		l, rest = cutLine(rest)
		long := len(l) > MaxLine
		if long {
			l = l[:4096] // for the rejection's resource type and id, as readLine keeps
		}
		if err := f.readLineN(n, l, long); err != nil {
			return err
		}
	}
	return nil
}

// cutLine splits off data's first line, with its newline.
func cutLine(data []byte) (line, rest []byte) {
	i := bytes.IndexByte(data, '\n')
	if i < 0 {
		return data, nil
	}
	return data[:i+1], data[i+1:]
}
