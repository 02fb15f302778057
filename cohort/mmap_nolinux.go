//go:build !linux

package cohort

import (
	"errors"
	"os"
)

// mapFile is not used here: the scan reads through a bufio.Reader.
func mapFile(f *os.File, off, n int64) ([]byte, func(), error) {
	return nil, nil, errors.ErrUnsupported
}
