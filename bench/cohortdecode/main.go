// Command cohortdecode is the decode-only baseline of bench/cohort: it reads
// FHIR NDJSON files with the decoder and mapping the cohort and the import
// use (fhir.Reader.ReadChunks: the fhir package's single-pass decoder into
// the reader's resource structs, then the mapping to record types) and
// discards the items. The cohort pipeline cannot be faster than this.
//
// Usage: cohortdecode [-workers N] FILE...   (files are read in parallel,
// one per worker; prints resources read and rejections)
package main

import (
	"flag"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"renalwatch/fhir"
	"renalwatch/record"
)

func main() {
	workers := flag.Int("workers", 1, "files decoded in parallel")
	flag.Parse()
	files := make(chan string)
	var read, rejected atomic.Int64
	var wg sync.WaitGroup
	rd := fhir.Reader{Now: time.Now()}
	for range *workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for name := range files {
				f, err := os.Open(name)
				if err != nil {
					fmt.Fprintln(os.Stderr, err)
					os.Exit(1)
				}
				res, err := rd.ReadChunks(name, f, 4096, func(b *record.Batch, rej []fhir.Rejection) error {
					rejected.Add(int64(len(rej)))
					return nil
				})
				f.Close()
				if err != nil {
					fmt.Fprintln(os.Stderr, err)
					os.Exit(1)
				}
				read.Add(int64(res.Read))
			}
		}()
	}
	for _, a := range flag.Args() {
		files <- a
	}
	close(files)
	wg.Wait()
	fmt.Printf("read %d resources, %d rejected\n", read.Load(), rejected.Load())
}
