package postgres_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"renalwatch/store"
	"renalwatch/store/postgres"
	"renalwatch/store/postgres/pgtest"
	"renalwatch/store/storetest"
)

func openTemp(t testing.TB) *postgres.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), pgtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return openTemp(t) })
}

func TestReopenAndNewerSchema(t *testing.T) {
	ctx := context.Background()
	conn := pgtest.NewDatabase(t)
	db, err := postgres.Open(ctx, conn)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if db, err = postgres.Open(ctx, conn); err != nil {
		t.Fatalf("reopen: %v", err)
	}
	db.Close()
	c, err := pgx.Connect(ctx, conn)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	if _, err := c.Exec(ctx, `INSERT INTO schema_migrations VALUES (999, '0999_future.sql')`); err != nil {
		t.Fatal(err)
	}
	_, err = postgres.Open(ctx, conn)
	if !errors.Is(err, postgres.ErrNewerSchema) {
		t.Fatalf("open of schema 999: %v, want ErrNewerSchema", err)
	}
	want := "made by a newer RenalWatch (schema 999, this one knows up to 5)"
	if !strings.Contains(err.Error(), want) {
		t.Errorf("error %q lacks %q", err, want)
	}
}

func TestForeignDatabaseUntouched(t *testing.T) {
	ctx := context.Background()
	conn := pgtest.NewDatabase(t)
	c, err := pgx.Connect(ctx, conn)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	if _, err := c.Exec(ctx, `CREATE TABLE invoices (id int)`); err != nil {
		t.Fatal(err)
	}
	if _, err := postgres.Open(ctx, conn); !errors.Is(err, postgres.ErrForeign) {
		t.Fatalf("open of a database with other tables: %v, want ErrForeign", err)
	}
	var n int
	if err := c.QueryRow(ctx, `SELECT count(*) FROM pg_tables WHERE schemaname = 'public'`).Scan(&n); err != nil || n != 1 {
		t.Errorf("tables after the refused open: %d (%v), want only invoices", n, err)
	}
}

// The password of the connection string never shows in an error, whether
// the server refuses it, cannot be reached, or the string is malformed.
func TestPasswordNotInErrors(t *testing.T) {
	ctx := context.Background()
	const secret = "s3cr3t-Pa55word"
	for _, conn := range []string{
		"postgres://nosuchuser:" + secret + "@127.0.0.1:5432/nosuchdb?sslmode=disable&connect_timeout=5",
		"postgres://u:" + secret + "@127.0.0.1:1/x?sslmode=disable&connect_timeout=5", // nothing listens on port 1
		"postgres://u@127.0.0.1:1/x?sslmode=disable&password=" + secret + "&connect_timeout=5",
		"postgres://u:" + secret + "@127.0.0.1:5432/x?sslmode=nonsense",
	} {
		db, err := postgres.Open(ctx, conn)
		if err == nil {
			db.Close()
			t.Fatalf("Open(%s) succeeded", postgres.Redact(conn))
		}
		if strings.Contains(err.Error(), secret) {
			t.Errorf("error shows the password: %v", err)
		}
		if strings.Contains(postgres.Redact(conn), secret) {
			t.Errorf("Redact shows the password: %s", postgres.Redact(conn))
		}
	}
}

// reopen opens a second pool on the database of db.
func reopen(t *testing.T, db *postgres.DB) *postgres.DB {
	t.Helper()
	b, err := postgres.Open(context.Background(), postgres.ConnString(db))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestAudit(t *testing.T) {
	ctx := context.Background()
	conn := pgtest.NewDatabase(t)
	db, err := postgres.Open(ctx, conn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	c, err := pgx.Connect(ctx, conn)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	storetest.RunAudit(t, db, func(q string) error { _, err := c.Exec(ctx, q); return err })
	if _, err := c.Exec(ctx, `TRUNCATE audit`); err == nil {
		t.Error("TRUNCATE audit: accepted")
	}
}
