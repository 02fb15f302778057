package server

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"renalwatch/store"
)

// multipartBody builds a form from (field, file name, content) parts in
// order; an empty file name makes a plain field.
func multipartBody(t *testing.T, parts ...[3]string) (*bytes.Buffer, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for _, p := range parts {
		var w io.Writer
		var err error
		if p[1] == "" {
			w, err = mw.CreateFormField(p[0])
		} else {
			w, err = mw.CreateFormFile(p[0], p[1])
		}
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.WriteString(w, p[2])
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return &b, mw.FormDataContentType()
}

// TestImportFormReadWhole (trial-web #5, #6): a multipart import is read to
// its end before anything is imported: "strict" after the file part
// applies, a second file part is refused with 400 and nothing imported, a
// bad strict value is 400, and the spooled copy is removed.
func TestImportFormReadWhole(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	type call struct {
		name   string
		body   string
		strict bool
	}
	var calls []call
	imp := func(_ context.Context, _ store.Store, name string, r io.Reader, strict bool) (any, error) {
		b, err := io.ReadAll(r)
		calls = append(calls, call{name, string(b), strict})
		return map[string]any{"file": name, "strict": strict}, err
	}
	s, _ := newTestServer(t, Config{Import: imp})
	post := func(parts ...[3]string) (int, string) {
		body, ct := multipartBody(t, parts...)
		resp := do(t, s, "POST", "/api/import", body, map[string]string{"Content-Type": ct})
		return resp.StatusCode, string(readAll(t, resp))
	}
	csv := "patient_id,birth_date,sex\np1,1980-01-01,female\n"
	for _, tc := range []struct {
		name  string
		parts [][3]string
	}{
		{"strict before", [][3]string{{"strict", "", "true"}, {"file", "a.csv", csv}}},
		{"strict after", [][3]string{{"file", "a.csv", csv}, {"strict", "", "true"}}},
	} {
		calls = nil
		code, body := post(tc.parts...)
		if code != 200 || len(calls) != 1 || !calls[0].strict || calls[0].body != csv || calls[0].name != "a.csv" {
			t.Errorf("%s: %d %s %+v", tc.name, code, body, calls)
		}
	}
	calls = nil
	code, body := post([3]string{"file", "people.csv", csv}, [3]string{"file", "obs.csv", "x"})
	if code != http.StatusBadRequest || len(calls) != 0 || !strings.Contains(body, "one file per request") || !strings.Contains(body, `"field": "file"`) {
		t.Errorf("two files: %d %s, %d imports", code, body, len(calls))
	}
	code, body = post([3]string{"file", "a.csv", csv}, [3]string{"strict", "", "yes please"})
	if code != http.StatusBadRequest || len(calls) != 0 || !strings.Contains(body, `"field": "strict"`) {
		t.Errorf("bad strict: %d %s, %d imports", code, body, len(calls))
	}
	code, _ = post([3]string{"strict", "", "true"})
	if code != http.StatusBadRequest || len(calls) != 0 {
		t.Errorf("no file: %d", code)
	}
	left, _ := filepath.Glob(filepath.Join(os.Getenv("TMPDIR"), "renalwatch-upload-*"))
	if len(left) > 0 {
		t.Errorf("spooled uploads left behind: %v", left)
	}
}
