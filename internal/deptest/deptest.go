// Package deptest checks a package's imports, in the manner of tailscale's
// tstest/deptest: the core packages (units egfr ckd kfre lupus record assess)
// may import only the standard library, minus I/O, and each other downward.
package deptest

import (
	"os/exec"
	"strings"
	"testing"
)

// forbiddenStd are standard-library packages the pure core must not import.
var forbiddenStd = []string{"os", "net", "net/http", "database/sql", "log", "log/slog", "os/exec"}

// CheckCore fails t if pkg (an import path such as "renalwatch/egfr")
// imports, directly or indirectly, anything outside the standard library other
// than the renalwatch packages in allowed, or any of the I/O packages the core
// must not use.
func CheckCore(t *testing.T, pkg string, allowed ...string) {
	t.Helper()
	out, err := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{else}}std:{{.ImportPath}}{{end}}", pkg).Output()
	if err != nil {
		t.Fatalf("go list -deps %s: %v", pkg, err)
	}
	ok := map[string]bool{pkg: true}
	for _, a := range allowed {
		ok[a] = true
	}
	bad := map[string]bool{}
	for _, f := range forbiddenStd {
		bad["std:"+f] = true
	}
	// Only direct imports of the package itself are held to the I/O rule;
	// the standard library's own internals (fmt imports os) are its business.
	direct, err := exec.Command("go", "list", "-f", `{{join .Imports "\n"}}`, pkg).Output()
	if err != nil {
		t.Fatalf("go list %s: %v", pkg, err)
	}
	for _, imp := range strings.Fields(string(direct)) {
		if bad["std:"+imp] {
			t.Errorf("%s imports %s; the core does no I/O", pkg, imp)
		}
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.HasPrefix(dep, "std:") {
			continue
		}
		if !ok[dep] {
			t.Errorf("%s depends on %s; allowed: the standard library and %v", pkg, dep, allowed)
		}
	}
}
