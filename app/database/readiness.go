package database

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/uptrace/bun"
)

// ProbeWrite rewrites the one row of the readiness table: the cheapest write there is, so
// a database that answers reads but cannot write (out of space, read-only, a standby after
// a failover, a file it can no longer write) is reported before a person's change fails.
func ProbeWrite(ctx context.Context, db bun.IDB, at time.Time) error {
	res, err := db.NewUpdate().Table("readiness").Set("checked_at = ?", at.UTC()).Where("id = 1").Exec(ctx)
	if err != nil {
		return fmt.Errorf("write probe: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return errors.New("write probe: the readiness row is missing")
	}
	return nil
}

// MinFreeBytes is the free space below which a SQLite data directory is reported not
// ready: 64 MiB, or a fiftieth of a smaller filesystem. A full disk fails writes (and
// SQLite's checkpoints) for everyone; saying so first lets a load balancer or an operator
// act while reads still work.
func MinFreeBytes(total uint64) uint64 { return min(64<<20, total/50) }

// SQLiteDir is the directory of the SQLite database's file, as SQLite itself opened it;
// "" on PostgreSQL or for a database in memory.
func SQLiteDir(ctx context.Context, db bun.IDB) (string, error) {
	if IsPostgres(db) {
		return "", nil
	}
	var seq int
	var name, file string
	if err := db.QueryRowContext(ctx, "PRAGMA database_list").Scan(&seq, &name, &file); err != nil {
		return "", fmt.Errorf("database file: %w", err)
	}
	if file == "" {
		return "", nil
	}
	return filepath.Dir(file), nil
}

// CheckFreeSpace reports a data directory whose filesystem is nearly full.
func CheckFreeSpace(dir string) error {
	free, total, err := diskSpace(dir)
	if err != nil {
		return fmt.Errorf("free space of %s: %w", dir, err)
	}
	if free < MinFreeBytes(total) {
		return fmt.Errorf("only %d KiB free in %s", free>>10, dir)
	}
	return nil
}
