package cli

import (
	"errors"
	"fmt"

	"github.com/cairn-lms/cairn/app/database"
)

// runRestore puts a backup made by `cairn backup` in place of the SQLite database, safely:
// only while no server runs, with the old files (WAL included) kept aside, and the copy
// checked before and after. See database.RestoreSQLite for why a plain copy is not enough.
func runRestore(args []string, env Env) error {
	cfg, fs, err := loadConfig("restore", args, env, nil)
	if err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError("restore takes the backup file, for example: cairn restore cairn-backup.db")
	}
	if cfg.UsesPostgres() {
		// Into an empty database: --clean drops only what the dump holds, so tables that a
		// later migration added would stay, and the next upgrade would fail on them.
		return errors.New("cairn restore puts back a SQLite backup; for PostgreSQL, stop every instance and restore the pg_dump file into an empty database (dropdb, createdb, then pg_restore --exit-on-error --single-transaction; docs/deploy.md, \"Backups and restore\")")
	}
	unlock, err := database.LockSQLite(cfg.SQLitePath(), true)
	if err != nil {
		return err
	}
	defer unlock()
	ctx, stop := signalContext()
	defer stop()
	done, err := database.RestoreSQLite(ctx, fs.Arg(0), cfg.SQLitePath())
	if err != nil {
		if len(done.Aside) > 0 {
			return fmt.Errorf("%w (the previous database was moved to %s)", err, done.Aside[0])
		}
		return fmt.Errorf("%w; nothing was changed", err)
	}
	fmt.Fprintf(env.Stdout, "restored %s to %s (checked)\n", fs.Arg(0), cfg.SQLitePath())
	for _, f := range done.Aside {
		fmt.Fprintf(env.Stdout, "kept the previous file as %s\n", f)
	}
	fmt.Fprintln(env.Stdout, "start the server again; it applies any migrations the backup lacks")
	return nil
}
