package server

import (
	"encoding/json"
	"net/http"
	"slices"
	"sort"
	"strings"

	"renalwatch/fhir/cdshooks"
	"renalwatch/internal/textfmt"
)

// The API documentation page (/docs/api) is generated from openapi.json
// at request time, so it cannot drift from the document the API serves;
// it needs no script and nothing from another site (trial-web #25).

// apiDoc is the part of openapi.json the page shows.
type apiDoc struct {
	Info struct {
		Title, Version, Summary, Description string
		License                              struct{ Name, Identifier string }
	}
	Paths map[string]map[string]apiOperation
}

type apiOperation struct {
	OperationID string `json:"operationId"`
	Summary     string
	Description string
	Parameters  []struct {
		Name, In, Description string
		Required              bool
		Schema                json.RawMessage
	}
	RequestBody *struct {
		Content map[string]json.RawMessage
	} `json:"requestBody"`
	Responses map[string]struct {
		Ref         string `json:"$ref"`
		Description string
	}
}

// docOperation is one operation as the page lists it.
type docOperation struct {
	Method, Path, ID, Summary, Description string
	Params                                 []docParam
	Bodies, Statuses                       []string
}

type docParam struct{ Name, In, Type, Description, Required string }

type apiDocsPage struct {
	Title, Version, Summary, Description, License string
	Operations                                    []docOperation
}

func (s *Server) pageAPIDocs(w http.ResponseWriter, r *http.Request) {
	b, err := assets.ReadFile("openapi.json")
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	var d apiDoc
	if err := json.Unmarshal(b, &d); err != nil {
		s.pageError(w, r, err)
		return
	}
	p := apiDocsPage{Title: d.Info.Title, Version: d.Info.Version, Summary: d.Info.Summary, Description: d.Info.Description,
		License: d.Info.License.Name + " (" + d.Info.License.Identifier + ")"}
	paths := make([]string, 0, len(d.Paths))
	for path := range d.Paths {
		paths = append(paths, path)
	}
	sort.Strings(paths)
	for _, path := range paths {
		methods := make([]string, 0, len(d.Paths[path]))
		for m := range d.Paths[path] {
			methods = append(methods, m)
		}
		slices.Sort(methods)
		for _, m := range methods {
			op := d.Paths[path][m]
			o := docOperation{Method: strings.ToUpper(m), Path: path, ID: op.OperationID, Summary: op.Summary, Description: op.Description}
			for _, pa := range op.Parameters {
				req := "optional"
				if pa.Required {
					req = "required"
				}
				o.Params = append(o.Params, docParam{Name: pa.Name, In: pa.In, Type: schemaType(pa.Schema), Description: pa.Description, Required: req})
			}
			if op.RequestBody != nil {
				for ct := range op.RequestBody.Content {
					o.Bodies = append(o.Bodies, ct)
				}
				slices.Sort(o.Bodies)
			}
			for code, resp := range op.Responses {
				text := resp.Description
				if text == "" && resp.Ref != "" {
					text = "error: {\"error\":{\"code\",\"message\",\"field\"}}"
				}
				o.Statuses = append(o.Statuses, code+" "+http.StatusText(atoi(code))+": "+text)
			}
			slices.Sort(o.Statuses)
			p.Operations = append(p.Operations, o)
		}
	}
	s.render(w, r, http.StatusOK, "docs.html", page{Title: "API documentation", Body: p})
}

// schemaType is a parameter schema in words: "string", "integer", "one
// of: asc, desc".
func schemaType(raw json.RawMessage) string {
	var sc struct {
		Type    any
		Enum    []any
		Minimum *float64
		Maximum *float64
	}
	if json.Unmarshal(raw, &sc) != nil {
		return ""
	}
	if len(sc.Enum) > 0 {
		var vs []string
		for _, v := range sc.Enum {
			b, _ := json.Marshal(v)
			vs = append(vs, strings.Trim(string(b), `"`))
		}
		return "one of: " + strings.Join(vs, ", ")
	}
	t := ""
	switch v := sc.Type.(type) {
	case string:
		t = v
	case []any:
		var ts []string
		for _, x := range v {
			if s, ok := x.(string); ok {
				ts = append(ts, s)
			}
		}
		t = strings.Join(ts, " or ")
	}
	if sc.Minimum != nil && sc.Maximum != nil {
		t += ", " + textfmt.Measured(*sc.Minimum) + " to " + textfmt.Measured(*sc.Maximum)
	}
	return t
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0
		}
		n = 10*n + int(c-'0')
	}
	return n
}

// feedbackRow is one alert code of the CDS feedback page.
type feedbackRow struct {
	Code                         string
	Accepted, Overridden, Total  int
	AcceptedShare, OverrideShare string // of the feedback received for the code
}

type feedbackPage struct {
	On    bool // CDS Hooks is served
	Rows  []feedbackRow
	Total feedbackRow
}

// pageCDSFeedback shows the CDS Hooks feedback counts per alert code (the
// data of GET /api/cds/feedback) as a table a clinical lead can read:
// how often each card was accepted or overridden, and the share of each
// among the feedback received for it (trial-web #25). Cards with no
// feedback are not counted: a share is of the feedback, not of the cards
// shown.
func (s *Server) pageCDSFeedback(w http.ResponseWriter, r *http.Request) {
	p := feedbackPage{On: s.cdsFeedback != nil}
	if p.On {
		cs, err := s.cdsFeedback.Counts(r.Context())
		if err != nil {
			s.pageError(w, r, err)
			return
		}
		slices.SortFunc(cs, func(a, b cdshooks.FeedbackCount) int { return strings.Compare(a.AlertCode, b.AlertCode) })
		for _, c := range cs {
			p.Rows = append(p.Rows, shares(feedbackRow{Code: c.AlertCode, Accepted: c.Accepted, Overridden: c.Overridden}))
			p.Total.Accepted += c.Accepted
			p.Total.Overridden += c.Overridden
		}
		p.Total = shares(p.Total)
	}
	s.render(w, r, http.StatusOK, "feedback.html", page{Title: "CDS feedback", Body: p})
}

// shares fills the total and the shares, as percentages with one decimal
// (4 significant digits, docs/report.md: "any other computed number").
func shares(r feedbackRow) feedbackRow {
	r.Total = r.Accepted + r.Overridden
	if r.Total > 0 {
		r.AcceptedShare = textfmt.Derived(100*float64(r.Accepted)/float64(r.Total)) + "%"
		r.OverrideShare = textfmt.Derived(100*float64(r.Overridden)/float64(r.Total)) + "%"
	}
	return r
}
