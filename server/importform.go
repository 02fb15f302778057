package server

import (
	"errors"
	"io"
	"mime/multipart"
	"os"
	"path"
	"strconv"
	"strings"
)

// importForm is a multipart import request read to its end before anything
// is imported (trial-web #5, #6): a "strict" field after the file part
// applies to it, and a second file is refused rather than dropped.
type importForm struct {
	name   string
	file   *os.File // the file part, spooled; removed on close
	strict bool
}

// readImportForm reads every part of a multipart import form. The file
// part is copied to a temporary file (mode 0600, removed when the request
// ends; the body is already bounded by MaxBody) so that the fields after it
// are known before the import starts. Fields: "file" (exactly one),
// "strict" (true or false); other fields are ignored, as before.
func readImportForm(body io.Reader, boundary string) (*importForm, error) {
	f := &importForm{}
	mr := multipart.NewReader(body, boundary)
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			f.close()
			return nil, bodyError(err)
		}
		switch p.FormName() {
		case "strict":
			b, err := io.ReadAll(io.LimitReader(p, 16))
			if err != nil {
				f.close()
				return nil, bodyError(err)
			}
			v := strings.TrimSpace(string(b))
			on, perr := strconv.ParseBool(v)
			if perr != nil {
				f.close()
				return nil, Errorf(KindBadRequest, "strict", "strict %q: want true or false", v)
			}
			f.strict = f.strict || on // strict anywhere in the request wins
		case "file":
			if f.file != nil {
				f.close()
				return nil, Errorf(KindBadRequest, "file", "one file per request: the form has a second file part (%q after %q); send each file in its own request, nothing was imported", path.Base(p.FileName()), f.name)
			}
			f.name = path.Base(p.FileName())
			if f.name == "" || f.name == "." || f.name == "/" {
				f.close()
				return nil, Errorf(KindBadRequest, "file", "the uploaded file has no name; its extension (.json, .ndjson, .csv) selects the format")
			}
			if err := f.spool(p); err != nil {
				f.close()
				return nil, err
			}
		}
	}
	if f.file == nil {
		return nil, Errorf(KindBadRequest, "file", "the form has no file field")
	}
	if _, err := f.file.Seek(0, io.SeekStart); err != nil {
		f.close()
		return nil, err
	}
	return f, nil
}

// spool copies the file part to a new temporary file.
func (f *importForm) spool(r io.Reader) error {
	tmp, err := os.CreateTemp("", "renalwatch-upload-*")
	if err != nil {
		return err
	}
	f.file = tmp
	if _, err := io.Copy(tmp, r); err != nil {
		return bodyError(err)
	}
	return nil
}

// close removes the spooled file.
func (f *importForm) close() {
	if f.file != nil {
		name := f.file.Name()
		_ = f.file.Close()
		_ = os.Remove(name)
		f.file = nil
	}
}
