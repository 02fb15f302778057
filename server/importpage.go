package server

import (
	"encoding/json"
	"net/http"
)

// importView is the part of the import summary (that of "renalwatch
// import --json") the import page shows.
type importView struct {
	Files []struct {
		File        string `json:"file"`
		Format      string `json:"format"`
		NotImported bool   `json:"not_imported"`
	} `json:"files"`
	Totals struct {
		Read, Imported, Unchanged, Duplicates, Rejected, Unmapped int
		// Retractions and Corrected count the retractions and corrections
		// stored (entered-in-error; amended or corrected values).
		Retractions, Corrected int
	} `json:"totals"`
	Rejected []struct {
		Line         int    `json:"line"`
		Entry        int    `json:"entry"`
		ResourceType string `json:"resource_type"`
		ID           string `json:"id"`
		Reason       string `json:"reason"`
	} `json:"rejected"`
	Unmapped []codeView `json:"unmapped"`
	Ignored  []codeView `json:"ignored"`
	Skipped  []codeView `json:"skipped"`
	Notes    []codeView `json:"notes"`
}

type codeView struct {
	ResourceType string `json:"resource_type"`
	System       string `json:"system"`
	Code         string `json:"code"`
	Display      string `json:"display"`
	Reason       string `json:"reason"`
	Count        int    `json:"count"`
}

type importPage struct {
	Summary *importView
	JSON    string
	Error   *Error
}

func (s *Server) pageImport(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "import.html", page{Title: "Import", Body: importPage{}})
}

// postImport stores the uploaded file with the code of POST /api/import and
// shows its summary, or the error with its status.
func (s *Server) postImport(w http.ResponseWriter, r *http.Request) {
	sum, err := s.importUpload(w, r)
	if err != nil {
		status, e := statusOf(err)
		if status == http.StatusInternalServerError {
			s.pageError(w, r, err)
			return
		}
		s.render(w, r, status, "import.html", page{Title: "Import", Body: importPage{Error: e}})
		return
	}
	b, err := json.MarshalIndent(sum, "", "  ")
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	var v importView
	if err := json.Unmarshal(b, &v); err != nil {
		s.pageError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "import.html", page{Title: "Import", Body: importPage{Summary: &v, JSON: string(b)}})
}
