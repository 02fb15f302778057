package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// outError names the output file the user gave when writing the temporary
// file beside it failed: "cannot write /sys/x.csv: permission denied", not
// "open /sys/.renalwatch-108501918.csv: permission denied", a name the user
// never gave (trial-cli #22). Other errors are returned as they are.
func outError(out string, err error) error {
	var pe *os.PathError
	if !errors.As(err, &pe) || filepath.Dir(pe.Path) != filepath.Dir(out) || !strings.HasPrefix(filepath.Base(pe.Path), ".") {
		return err
	}
	return fmt.Errorf("cannot write %s: %w", safeText(out), pe.Err)
}
