package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// stdin is what "--in -" reads; tests replace it.
var stdin io.Reader = os.Stdin

// batchFlags are the --in and --out flags every calculator takes.
type batchFlags struct {
	in, out string
}

// addBatchFlags defines --in and --out on fs and appends help (the batch
// section of the command's --help) to its usage.
func addBatchFlags(fs *flag.FlagSet, help string) *batchFlags {
	b := &batchFlags{}
	fs.StringVar(&b.in, "in", "", "read a CSV `TABLE` (- for stdin) and write one result row per input row (see Batch below)")
	fs.StringVar(&b.out, "out", "-", "with --in, write the result CSV to `FILE` (- for stdout)")
	usage := fs.Usage
	fs.Usage = func() {
		usage()
		fmt.Fprintf(fs.Output(), "\nBatch (--in TABLE):\n%s\n%s\n", help, batchCommonHelp)
	}
	return b
}

// batchCommonHelp ends the batch section of every calculator's --help.
const batchCommonHelp = `
Every input column is kept as it was and the result columns are appended.
A unit comes from the column name's suffix (creatinine_mg_dl) or from each
cell (106umol/L); a number with neither is an error for that row, never a
guess. Header names are matched without regard to case or surrounding
spaces; other columns are passed through. A result column whose name the
table already has (warnings, error of a table written by another --in run)
is prefixed with the command's name (stage_error). Each row is validated as the
single calculator validates its flags (units, plausible ranges). A row that
cannot be computed keeps its input, leaves the result columns empty and
says why in the error column; the other rows are still computed. Numbers
are written unrounded (shortest form that reads back to the same float64).
Exit status: 0 when every row was computed. 2 when some rows could not be
computed: the output is still complete (every other row computed) and
stderr gives the count. 2 also when the table cannot be read (a required
column missing, a malformed CSV quote): stderr says why, and --out FILE
is not written (on stdout, rows before a malformed line may have been).
Accepted: a UTF-8 byte order mark, CRLF line endings, quoted fields
("1,2" is one field), and semicolon-separated tables as import reads them
(a header with semicolons and no comma), in which a decimal comma is read
(1,2) and a comma before three digits (1,000) is refused as ambiguous; the
results are written comma-separated with decimal points. A header read as
one column holding a tab or a vertical bar is refused: its separator is not
recognised. --out FILE is written only when the run completes.`

// on reports whether --in was given.
func (b *batchFlags) on() bool { return b.in != "" }

// check rejects flags given with --in other than the allowed ones: with a
// table, per-row inputs come from its columns.
func (b *batchFlags) check(fs *flag.FlagSet, allowed ...string) error {
	if !b.on() {
		return badInputf("%s: --out needs --in TABLE (--out writes the results of a table)", fs.Name())
	}
	var bad []string
	fs.Visit(func(f *flag.Flag) {
		if f.Name != "in" && f.Name != "out" && !slices.Contains(allowed, f.Name) {
			bad = append(bad, "--"+f.Name)
		}
	})
	if len(bad) > 0 {
		return badInputf("%s: %s cannot be combined with --in: with a table every input comes from its columns (run 'renalwatch %s --help')", fs.Name(), strings.Join(bad, ", "), fs.Name())
	}
	return nil
}

// batchCalc computes one calculator's result columns for each row.
type batchCalc struct {
	// cols are the result column names, appended before "error".
	cols []string
	// row appends len(cols) cells to dst, each preceded by a comma (see
	// appendCell, appendFloat), or returns an error for the row; f has
	// exactly as many fields as the header.
	row func(dst []byte, f [][]byte) ([]byte, error)
	// perWorker, when not nil, returns the calculator one worker uses (the
	// same columns and results, with the worker's own caches).
	perWorker func() *batchCalc
}

// tableHeader is a table's header: the column names as written (BOM
// removed), and whether the table is semicolon-separated
// (csvio.SemicolonHeader, the import's rule), in which a number's decimal
// comma is read (csvio.DecimalNumber).
type tableHeader struct {
	names     []string
	semicolon bool
}

// batchSetup builds the calculator from the header. An error (a missing or
// ambiguous column) stops the run.
type batchSetup func(h tableHeader) (*batchCalc, error)

// runBatch reads the table named by b.in, computes every row with the
// calculator that setup builds from the header, and writes the result CSV.
func runBatch(ctx context.Context, cmd string, b *batchFlags, setup batchSetup, stdout, stderr io.Writer) (err error) {
	var in io.Reader = stdin
	if b.in != "-" {
		f, err := os.Open(b.in)
		if err != nil {
			return badInputf("%s: --in: %w", cmd, err)
		}
		defer f.Close()
		if st, err := f.Stat(); err == nil && st.IsDir() {
			return badInputf("%s: --in %s is a directory; give a CSV file", cmd, b.in)
		}
		in = f
	}
	var out io.Writer = stdout
	if b.out != "-" {
		if b.in != "-" && sameFile(b.in, b.out) {
			return badInputf("%s: --out %s is the input table; write the results to another file", cmd, b.out)
		}
		tmp, cerr := os.CreateTemp(filepath.Dir(b.out), ".renalwatch-*.csv")
		if cerr != nil {
			return badInputf("%s: --out: %w", cmd, outError(b.out, cerr))
		}
		// The deferred function reads the named result err.
		defer func() {
			if cerr := tmp.Close(); err == nil && cerr != nil {
				err = cerr
			}
			var failed *rowsFailed
			if err == nil || errors.As(err, &failed) {
				if rerr := os.Rename(tmp.Name(), b.out); rerr != nil {
					err = rerr
				}
			}
			if err != nil && !errors.As(err, &failed) {
				os.Remove(tmp.Name())
			}
		}()
		out = tmp
	}
	w := bufio.NewWriterSize(out, 1<<16)
	n, failed, err := batchCopy(ctx, cmd, in, w, setup)
	if err != nil {
		return err
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if failed > 0 {
		return badInput(&rowsFailed{cmd: cmd, failed: failed, rows: n})
	}
	return nil
}

// rowsFailed reports rows that could not be computed: bad input, exit
// status 2 as for import's rejected items, but the output is complete.
type rowsFailed struct {
	cmd          string
	failed, rows int
}

func (e *rowsFailed) Error() string {
	return fmt.Sprintf("%s: %d of %d rows could not be computed; see their error column", e.cmd, e.failed, e.rows)
}

func sameFile(a, b string) bool {
	sa, err1 := os.Stat(a)
	sb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(sa, sb)
}

// resultColumns returns the names of the result columns: a name the table
// already has (the warnings and error columns of a table that "egfr --in"
// wrote, read again by "stage --in") is prefixed with the command's name.
func resultColumns(cmd string, header, cols []string) ([]string, error) {
	taken := func(c string) bool {
		return slices.ContainsFunc(header, func(h string) bool { return strings.EqualFold(strings.TrimSpace(h), c) })
	}
	out := make([]string, len(cols))
	for i, c := range cols {
		if taken(c) {
			c = cmd + "_" + c
		}
		if taken(c) {
			return nil, badInputf("%s: --in: the table already has a column %q, which the results would repeat; rename it", cmd, c)
		}
		out[i] = c
	}
	return out, nil
}

// appendCell appends a comma and s as a CSV field.
func appendCell(dst []byte, s string) []byte {
	return appendField(append(dst, ','), s)
}

// appendField appends s as one CSV field, quoted as encoding/csv's Writer
// quotes: when it holds a comma, a quote, a CR or LF, or starts with a space.
func appendField(dst []byte, s string) []byte {
	if !fieldNeedsQuotes(s) {
		return append(dst, s...)
	}
	dst = append(dst, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			dst = append(dst, '"')
		}
		dst = append(dst, s[i])
	}
	return append(dst, '"')
}

func fieldNeedsQuotes(s string) bool {
	if s == "" {
		return false
	}
	if s == `\.` {
		return true
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '"' || c == ',' || c == '\r' || c == '\n' {
			return true
		}
	}
	if s[0] < utf8.RuneSelf {
		return asciiSpace[s[0]]
	}
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsSpace(r)
}

// asciiSpace[b] is unicode.IsSpace(rune(b)) for the ASCII bytes.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}
