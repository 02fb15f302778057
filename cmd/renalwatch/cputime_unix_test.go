//go:build unix

package main

import "syscall"

// cpuSeconds returns the process's user + system CPU time, so benchmarks can
// report the cost of a row apart from the wall time a loaded machine gives.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}
