package store

import (
	"fmt"
	"io/fs"
	"slices"
	"strconv"
	"strings"
)

// Migration is one migrations/NNNN_name.sql file a store embeds.
type Migration struct {
	Version int
	Name    string // the file's base name
	File    string // its path in the file system it came from
}

// Migrations lists the migrations/*.sql files of fsys by version: each
// file's name starts with its version number.
func Migrations(fsys fs.FS) ([]Migration, error) {
	names, err := fs.Glob(fsys, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var out []Migration
	for _, name := range names {
		base := strings.TrimPrefix(name, "migrations/")
		num, _, _ := strings.Cut(base, "_")
		version, err := strconv.Atoi(num)
		if err != nil {
			return nil, fmt.Errorf("migration %s: name must start with a number", base)
		}
		out = append(out, Migration{version, base, name})
	}
	slices.SortFunc(out, func(a, b Migration) int { return a.Version - b.Version })
	return out, nil
}

// NewestVersion is the version of the last of ms (sorted by Migrations),
// 0 when there is none: the newest schema a build knows.
func NewestVersion(ms []Migration) int {
	if len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].Version
}

// NewerSchema is why a store whose schema version is applied, newer than
// the known one of this build, is refused (and left unchanged).
func NewerSchema(applied, known int) string {
	return fmt.Sprintf("made by a newer RenalWatch (schema %d, this one knows up to %d); it was left unchanged", applied, known)
}
