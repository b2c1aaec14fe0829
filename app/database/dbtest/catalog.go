package dbtest

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/database"
)

// Column is one column of a table, as the database's own catalogue lists it.
type Column struct {
	Table, Name string
	Type        string // as declared (SQLite) or information_schema's data_type (PostgreSQL), lower case
}

// Integer tells whether the column holds whole numbers (ids among them).
func (c Column) Integer() bool {
	return strings.Contains(c.Type, "int") // integer, bigint, smallint
}

// Text tells whether the column holds text.
func (c Column) Text() bool {
	return strings.Contains(c.Type, "char") || strings.Contains(c.Type, "text")
}

// Columns lists every column of every table of the database (the test's schema on
// PostgreSQL), read from the catalogue rather than from a list someone keeps: a table added
// tomorrow is in it.
func Columns(t testing.TB, db *bun.DB) []Column {
	t.Helper()
	ctx := context.Background()
	q := `SELECT m.name, p.name, lower(p.type) FROM sqlite_master AS m, pragma_table_info(m.name) AS p
WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name, p.cid`
	if database.IsPostgres(db) {
		q = `SELECT c.table_name, c.column_name, lower(c.data_type) FROM information_schema.columns AS c
JOIN information_schema.tables AS t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
ORDER BY c.table_name, c.ordinal_position`
	}
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []Column
	for rows.Next() {
		var c Column
		if err := rows.Scan(&c.Table, &c.Name, &c.Type); err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(out) == 0 {
		t.Fatal("the catalogue lists no columns")
	}
	return out
}

// IDLike tells whether the column's name says it holds an id: id, or ending in _id or _by.
func (c Column) IDLike() bool {
	return c.Name == "id" || strings.HasSuffix(c.Name, "_id") || strings.HasSuffix(c.Name, "_by")
}

// Mentions searches every table for id in every id-like integer column, and for each of
// words (case-insensitively) and the id's digits in every text column. It returns where it
// found them, "table.column: what", or nothing.
func Mentions(t testing.TB, db *bun.DB, id int64, words ...string) []string {
	t.Helper()
	ctx := context.Background()
	var found []string
	for _, c := range Columns(t, db) {
		var look []any
		var where string
		switch {
		case c.Integer() && c.IDLike():
			where, look = "? = ?", []any{id}
		case c.Text():
			where = "lower(?) LIKE ?"
			look = append(look, "%"+strconv.FormatInt(id, 10)+"%")
			for _, w := range words {
				look = append(look, "%"+strings.ToLower(w)+"%")
			}
		default:
			continue
		}
		for _, v := range look {
			n, err := db.NewSelect().Table(c.Table).Where(where, bun.Ident(c.Name), v).Count(ctx)
			if err != nil {
				t.Fatalf("search %s.%s: %v", c.Table, c.Name, err)
			}
			if n > 0 {
				found = append(found, fmt.Sprintf("%s.%s: %v (%d rows)", c.Table, c.Name, v, n))
			}
		}
	}
	return found
}

// RestartIDs makes the next row inserted into table get the id next (tests that search
// the whole database for one account's id give it a number no other row holds).
func RestartIDs(t testing.TB, db *bun.DB, table string, next int64) {
	t.Helper()
	ctx := context.Background()
	var err error
	if database.IsPostgres(db) {
		_, err = db.ExecContext(ctx, "ALTER TABLE ? ALTER COLUMN id RESTART WITH ?", bun.Ident(table), next)
	} else {
		// AUTOINCREMENT continues after the largest id sqlite_sequence has seen.
		if _, err = db.ExecContext(ctx, "DELETE FROM sqlite_sequence WHERE name = ?", table); err == nil {
			_, err = db.ExecContext(ctx, "INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", table, next-1)
		}
	}
	if err != nil {
		t.Fatalf("restart the ids of %s at %d: %v", table, next, err)
	}
}
