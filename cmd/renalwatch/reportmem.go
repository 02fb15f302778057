package main

import (
	"runtime/debug"

	"renalwatch/record"
)

// largeTimeline is the number of observations from which report returns
// the garbage of the store read to the operating system before assessing.
const largeTimeline = 100_000

// releaseReadGarbage collects the garbage the store read of a large
// timeline left (database/sql boxes every column of every row: about 67
// bytes a row) and returns it to the operating system, so that the
// assessment's allocations (its eGFR points, one block) do not add to it.
// It is a complement to holding each observation once, compactly (issue 8
// item 4): report --json on a patient with 1,000,000 creatinines peaks at
// about 293 MiB with it, 337 MiB without, for one extra collection (about
// 0.3 s of CPU at that size). Smaller timelines skip it.
func releaseReadGarbage(tl *record.Timeline) {
	if tl.Len() >= largeTimeline {
		debug.FreeOSMemory()
	}
}

// streamGCPercent is the GOGC report uses while it streams the FHIR bundle
// of a large timeline.
const streamGCPercent = 10

// lowGarbage runs write with the collector's goal at streamGCPercent when
// tl is large. Writing the FHIR bundle makes short-lived garbage for every
// eGFR Observation (its Resource, strings, the encoder's work) on top of
// the live timeline and assessment: at the default GOGC of 100 the heap
// grows to about twice that live heap between collections, and report
// --format fhir on a patient with 1,000,000 creatinines peaked at 553 MiB,
// above the 400 bytes per observation of issue 8 item 4. At 25 it peaks at
// 379 MiB, at 10 at 346 MiB (324 bytes per observation over the base) for
// about 1.5 s more CPU (17 -> 18.6 s user+sys; bench/README.md). Smaller
// timelines keep the default.
func lowGarbage(tl *record.Timeline, write func() error) error {
	if tl.Len() >= largeTimeline {
		defer debug.SetGCPercent(debug.SetGCPercent(streamGCPercent))
	}
	return write()
}
