// Package dbtest gives tests a freshly migrated database of each kind: SQLite in a
// temporary directory and PostgreSQL in a throwaway schema of CAIRN_TEST_DATABASE_URL.
package dbtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/config"
	"github.com/cairn-lms/cairn/app/database"
)

// Kinds names the databases Each runs on.
var Kinds = []string{"sqlite", "postgres"}

// Each runs fn once on SQLite and once on PostgreSQL, as subtests named after the database.
func Each(t *testing.T, fn func(t *testing.T, db *bun.DB)) {
	t.Helper()
	for _, kind := range Kinds {
		t.Run(kind, func(t *testing.T) {
			fn(t, Open(t, kind))
		})
	}
}

// Open returns a migrated database of the given kind, closed and removed after the test.
func Open(t testing.TB, kind string) *bun.DB {
	t.Helper()
	db := OpenEmpty(t, kind)
	m, err := database.NewMigrator(db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Up(context.Background()); err != nil {
		t.Fatalf("migrate %s: %v", kind, err)
	}
	return db
}

// OpenEmpty returns an unmigrated database of the given kind.
func OpenEmpty(t testing.TB, kind string) *bun.DB {
	t.Helper()
	if kind == "postgres" {
		return openPostgres(t)
	}
	cfg := config.Defaults()
	cfg.DataDir = t.TempDir()
	db, err := database.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// PostgresURL returns the test server URL, skipping the test when there is none, unless
// CAIRN_TEST_REQUIRE_POSTGRES=1 (CI) turns the skip into a failure.
func PostgresURL(t testing.TB) string {
	t.Helper()
	url := os.Getenv("CAIRN_TEST_DATABASE_URL")
	if url == "" {
		if os.Getenv("CAIRN_TEST_REQUIRE_POSTGRES") == "1" {
			t.Fatal("CAIRN_TEST_DATABASE_URL is not set but CAIRN_TEST_REQUIRE_POSTGRES=1")
		}
		t.Skip("PostgreSQL half skipped: set CAIRN_TEST_DATABASE_URL=postgres://… to run it")
	}
	return url
}

func openPostgres(t testing.TB) *bun.DB {
	t.Helper()
	url := PostgresURL(t)
	ctx := context.Background()
	admin, err := database.OpenPostgres(ctx, url)
	if err != nil {
		t.Fatalf("PostgreSQL at CAIRN_TEST_DATABASE_URL: %v", err)
	}
	schema := NewSchemaName()
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		_ = admin.Close()
		t.Fatal(err)
	}
	db, err := database.OpenPostgres(ctx, url, database.WithSearchPath(schema))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = db.Close()
		_, _ = admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
		_ = admin.Close()
	})
	return db
}

// NewSchemaName returns a random, valid, unquoted schema name.
func NewSchemaName() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return "cairn_test_" + hex.EncodeToString(b)
}
