package store

import (
	"fmt"
	"testing"
	"testing/fstest"
)

func TestMigrations(t *testing.T) {
	ms, err := Migrations(fstest.MapFS{
		"migrations/10_later.sql": {}, "migrations/9_earlier.sql": {}, "migrations/README": {},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(ms); got != "[{9 9_earlier.sql migrations/9_earlier.sql} {10 10_later.sql migrations/10_later.sql}]" {
		t.Errorf("Migrations = %s; want 9 then 10, by number, and no README", got)
	}
	if NewestVersion(ms) != 10 || NewestVersion(nil) != 0 {
		t.Errorf("NewestVersion = %d, %d of none; want 10, 0", NewestVersion(ms), NewestVersion(nil))
	}
	if _, err := Migrations(fstest.MapFS{"migrations/init.sql": {}}); err == nil {
		t.Error("a migration whose name has no number was accepted")
	}
}
