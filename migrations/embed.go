// Package migrations holds the SQL that builds the schema, one numbered step a pair of
// files. Dialect differences are template placeholders filled in by app/database.
// Never import app/model here: a migration describes the schema as it was when written.
package migrations

import (
	"embed"

	"github.com/uptrace/bun/migrate"
)

//go:embed *.sql
var files embed.FS

// Set returns the embedded migrations, ready for a migrator.
func Set() (*migrate.Migrations, error) {
	m := migrate.NewMigrations()
	if err := m.Discover(files); err != nil {
		return nil, err
	}
	return m, nil
}
