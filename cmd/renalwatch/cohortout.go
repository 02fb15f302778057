package main

import (
	"fmt"
	"io"
	"time"

	"renalwatch/assess"
	"renalwatch/cohort"
	"renalwatch/internal/inputs"
)

// interruptedError is a run stopped by Ctrl-C (SIGINT): exitCode prints
// its message as it is and exits 130, the shell's code for a command
// ended by SIGINT (128 + 2), rather than "context canceled" with 1
// (trial 12 F14).
type interruptedError struct{ msg string }

func (e *interruptedError) Error() string { return e.msg }

// sharingLine opens the summary printed for sharing under --min-cell. What
// comes before it on stderr is for the operator of the run and is not to
// be shared: the problem lines name files, lines and patient ids; the
// "Wrote" line counts files, lines and resources, and shows the number of
// patients as the summary does (<K below K; trial 12 F13: "Wrote the rows
// of 100 patients" stood right above "Cohort: <200 patients").
const sharingLine = "--min-cell %d applies to the summary below (to share); the lines above it are for the operator:\n"

// patientCount is "12 patients", or "<K patients" when minCell K > 0 and
// the count is below it (as the summary shows it).
func patientCount(n, minCell int64) string {
	if minCell > 0 && n > 0 && n < minCell {
		return fmt.Sprintf("<%d patients", minCell)
	}
	return count(n, "patient")
}

// listSkipped lists the files of a folder that were not read, as import
// lists them (trial 12 F10: truth.ndjson and an old rows.ndjson in the
// folder went unmentioned).
func listSkipped(w io.Writer, skipped []inputs.Skipped) {
	if len(skipped) == 0 {
		return
	}
	fmt.Fprintf(w, "Files of the folder not read (%d):\n", len(skipped))
	for _, f := range skipped {
		fmt.Fprintf(w, "  %s: %s\n", safeText(f.File), f.Reason)
	}
}

// summaryJSON is the --summary document: the summary's fields (a contract:
// their names do not change), then what the run was (trial 12 F12: shards
// of different dates or settings merged silently). The fields below are
// additions only.
type summaryJSON struct {
	*cohort.Summary
	// AsOf is the as-of date every patient was assessed at.
	AsOf string `json:"as_of"`
	// Version is the renalwatch that produced it (renalwatch --version).
	Version string `json:"renalwatch_version"`
	// Config is the settings the patients were assessed with (the config
	// object of report --json); shards to merge must have equal ones.
	Config assess.Config `json:"config"`
	// MinCell is --min-cell (0: none). It applies to the text summary
	// only: the counts in this document are exact.
	MinCell int64 `json:"min_cell"`
	// Input counts what was read: files, lines, resources, and problems
	// (lines and resources rejected, items of patients without a Patient
	// resource; each listed on stderr). --workers and --memory are not
	// recorded: they change neither the rows nor the counts.
	Input summaryInput `json:"input"`
}

type summaryInput struct {
	Files     int   `json:"files"`
	Lines     int64 `json:"lines"`
	Resources int64 `json:"resources"`
	Problems  int64 `json:"problems"`
}

func newSummaryJSON(s *cohort.Summary, st cohort.Stats, day time.Time, cfg assess.Config, minCell int64) summaryJSON {
	return summaryJSON{Summary: s, AsOf: day.Format(time.DateOnly), Version: fullVersion(), Config: cfg, MinCell: minCell,
		Input: summaryInput{Files: st.Files, Lines: st.Lines, Resources: st.Resources, Problems: st.Problems}}
}
