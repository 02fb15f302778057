package worklist

import (
	"runtime"
	"sync"

	"renalwatch/store"
)

// Rows makes one row per patient with row, on as many goroutines as there
// are processors (each row is one store read and one assessment), in the
// order of ps. The first error in that order is returned.
func Rows[R any](ps []store.PatientSummary, row func(store.PatientSummary) (R, error)) ([]R, error) {
	out := make([]R, len(ps))
	errs := make([]error, len(ps))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), max(len(ps), 1)) {
		wg.Go(func() {
			for i := range next {
				out[i], errs[i] = row(ps[i])
			}
		})
	}
	for i := range ps {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
