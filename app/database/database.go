// Package database opens the SQLite or PostgreSQL database and keeps its schema current.
package database

import (
	"context"
	"fmt"
	"os"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/config"
)

// Open connects to the database the configuration names: PostgreSQL when a postgres://
// URL is given, otherwise a SQLite file inside the data directory (created if missing).
func Open(ctx context.Context, cfg config.Config) (*bun.DB, error) {
	if cfg.UsesPostgres() {
		db, err := openPostgres(ctx, cfg.DatabaseURL)
		if err == nil {
			db.SetMaxOpenConns(cfg.DBMaxConns)
			db.SetMaxIdleConns(cfg.DBMaxConns)
		}
		return db, err
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("create data directory %s: %w", cfg.DataDir, err)
	}
	return openSQLite(ctx, cfg.SQLitePath(), cfg.SQLiteSynchronous)
}

// Ping checks that the database answers.
func Ping(ctx context.Context, db *bun.DB) error {
	var one int
	return db.NewSelect().ColumnExpr("1").Scan(ctx, &one)
}
