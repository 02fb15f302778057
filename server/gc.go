package server

// GCPercent is the garbage collector's target percentage (GOGC) that
// renalwatch serve sets when the GOGC environment variable is not set.
//
// A server's live heap is small (a few MiB), while each CDS Hooks call
// allocates about as much again while it decodes and assesses a ten-year
// prefetch: at Go's default of 100 the collector ran about once per call
// and took over a third of the server's CPU time (bench/README.md, CDS
// Hooks under load). At 400 the heap may grow to five times the live data
// before a collection (at least 16 MiB) instead of twice. GOGC=100 restores
// the default; GOMEMLIMIT caps the heap where memory is tight (the
// collector then runs as often as the cap needs).
const GCPercent = 400
