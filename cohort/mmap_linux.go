//go:build linux

package cohort

import (
	"os"
	"syscall"
)

// mapFile maps n bytes of f from offset off read-only into memory. The
// pages count in the process's resident memory once touched, until unmap.
func mapFile(f *os.File, off, n int64) (data []byte, unmap func(), err error) {
	if n <= 0 || int64(int(n)) != n {
		return nil, nil, syscall.EINVAL
	}
	page := int64(os.Getpagesize())
	at := off &^ (page - 1)
	m, err := syscall.Mmap(int(f.Fd()), at, int(n+off-at), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil, nil, err
	}
	_ = syscall.Madvise(m, syscall.MADV_SEQUENTIAL)
	return m[off-at:], func() { syscall.Munmap(m) }, nil
}
