package cli

import (
	"fmt"
	"os"

	"github.com/cairn-lms/cairn/app/database"
)

// runBackup writes a copy of the SQLite database that is safe to take while the server
// runs. The container image has no sqlite3 shell, so the binary brings its own.
func runBackup(args []string, env Env) error {
	cfg, fs, err := loadConfig("backup", args, env, nil)
	if err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError("backup takes the file to write, for example: cairn backup cairn-backup.db")
	}
	if cfg.UsesPostgres() {
		return database.ErrBackupPostgres
	}
	target := fs.Arg(0)
	if _, err := os.Stat(target); err == nil {
		return fmt.Errorf("%s already exists; choose a new file name", target)
	}
	if _, err := os.Stat(cfg.SQLitePath()); err != nil {
		return fmt.Errorf("no database at %s (is --data-dir right?)", cfg.SQLitePath())
	}
	ctx, stop := signalContext()
	defer stop()
	db, err := database.Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := database.BackupSQLite(ctx, db, target); err != nil {
		_ = os.Remove(target)
		return err
	}
	info, err := os.Stat(target)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "wrote a consistent copy of %s to %s (%d bytes)\n", cfg.SQLitePath(), target, info.Size())
	fmt.Fprintf(env.Stdout, "to restore: stop the server, then run: cairn restore %s\n", target)
	return nil
}
