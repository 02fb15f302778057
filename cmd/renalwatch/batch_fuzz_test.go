package main

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"io"
	"slices"
	"testing"

	"renalwatch/internal/csvfast"
)

// FuzzBatchBlocks: cutting a table into blocks with readRecords (here tiny
// ones, so that every record boundary is tried) and reading each block with
// csvfast gives the records encoding/csv reads from the whole table, and
// fails where it fails.
func FuzzBatchBlocks(f *testing.F) {
	for _, s := range []string{"a,b\n1,2\n", "a,\"b\nc\"\n\"d\"\"\",e\r\n", "x\n\n\"y,\nz\"", "\"\n\"\n\"\n", "a\"b\nc\n"} {
		f.Add([]byte(s), uint8(3))
	}
	f.Fuzz(func(t *testing.T, data []byte, size uint8) {
		cr := csv.NewReader(bytes.NewReader(data))
		cr.FieldsPerRecord = -1
		var want [][]string
		var werr error
		for {
			rec, err := cr.Read()
			if err != nil {
				if err != io.EOF {
					werr = err
				}
				break
			}
			want = append(want, rec)
		}
		var got [][]string
		var gerr error
		br := bufio.NewReaderSize(bytes.NewReader(data), 16)
		rd := csvfast.NewReader(nil)
		for gerr == nil {
			block, err := readRecords(br, nil, int(size))
			if err != nil && err != io.EOF {
				t.Fatal(err)
			}
			rd.Reset(bytes.NewReader(block), 1)
			for {
				f, rerr := rd.Read()
				if rerr == io.EOF {
					break
				}
				if rerr != nil {
					gerr = rerr
					break
				}
				rec := make([]string, len(f))
				for i, b := range f {
					rec[i] = string(b)
				}
				got = append(got, rec)
			}
			if err == io.EOF {
				break
			}
		}
		if (werr == nil) != (gerr == nil) {
			t.Fatalf("%q: encoding/csv error %v, blocks error %v", data, werr, gerr)
		}
		if !slices.EqualFunc(want, got, slices.Equal) {
			t.Fatalf("%q: encoding/csv %q, blocks %q", data, want, got)
		}
	})
}
