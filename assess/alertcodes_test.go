package assess_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"renalwatch/assess"
)

// TestAlertCodesComplete: every exported string constant named Alert… in
// the package's source is in AlertCodes, so a new alert can be filtered on
// (patients --filter alert=CODE) as soon as it exists.
func TestAlertCodesComplete(t *testing.T) {
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var found []string
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, e.Name(), nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			vs, ok := n.(*ast.ValueSpec)
			if !ok {
				return true
			}
			for i, name := range vs.Names {
				if !strings.HasPrefix(name.Name, "Alert") || i >= len(vs.Values) {
					continue
				}
				if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
					v, _ := strconv.Unquote(lit.Value)
					found = append(found, v)
				}
			}
			return true
		})
	}
	if len(found) < 10 {
		t.Fatalf("found only %d alert constants: %v", len(found), found)
	}
	codes := assess.AlertCodes()
	for _, c := range found {
		if !slices.Contains(codes, c) {
			t.Errorf("alert code %q is not in AlertCodes", c)
		}
	}
	if len(codes) != len(found) {
		t.Errorf("AlertCodes has %d codes, the source %d: %v", len(codes), len(found), found)
	}
}
