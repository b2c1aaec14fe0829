package database

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// Restored says where RestoreSQLite put things.
type Restored struct {
	Aside []string // the database files that were replaced, kept under new names
}

// RestoreSQLite puts the backup at src in place of the database at dbPath. The caller holds
// the exclusive lock (LockSQLite), so no server has the database open.
//
// Copying a backup over cairn.db by hand is how a database gets corrupted: a cairn.db-wal
// left by a crash holds pages of the old database, and SQLite applies them to the new file
// at the next open. So the old database file, its -wal and its -shm are moved aside
// together (still a consistent set, should they be needed), and the backup is copied to a
// private temporary file, checked in full (integrity_check), and only then renamed into
// place; the result is checked again.
func RestoreSQLite(ctx context.Context, src, dbPath string) (Restored, error) {
	var out Restored
	if err := checkBackup(ctx, src); err != nil {
		return out, err
	}
	dir := filepath.Dir(dbPath)
	tmpDir, err := os.MkdirTemp(dir, ".cairn-restore-")
	if err != nil {
		return out, err
	}
	defer os.RemoveAll(tmpDir)
	tmp := filepath.Join(tmpDir, filepath.Base(dbPath))
	if err := copyFile(src, tmp); err != nil {
		return out, fmt.Errorf("copy %s: %w", src, err)
	}
	// The copy, not the source, is what gets served: check it where it will live.
	if err := checkFile(ctx, tmp, "integrity_check"); err != nil {
		return out, fmt.Errorf("the copy of %s: %w", src, err)
	}
	stamp := time.Now().UTC().Format("20060102T150405Z")
	base := dbPath[:len(dbPath)-len(filepath.Ext(dbPath))]
	aside := base + ".before-restore-" + stamp + filepath.Ext(dbPath)
	// The -wal and -shm keep their suffixes, so that the set opens as one database.
	for _, suffix := range []string{"", "-wal", "-shm"} {
		from := dbPath + suffix
		if _, err := os.Lstat(from); errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err := os.Rename(from, aside+suffix); err != nil {
			return out, fmt.Errorf("move %s aside: %w", from, err)
		}
		out.Aside = append(out.Aside, aside+suffix)
	}
	if err := os.Rename(tmp, dbPath); err != nil {
		return out, fmt.Errorf("put the copy in place: %w", err)
	}
	syncDir(dir)
	if err := checkFile(ctx, dbPath, "quick_check"); err != nil {
		return out, fmt.Errorf("the restored database: %w", err)
	}
	return out, nil
}

// checkBackup refuses a backup that is not a sound Cairn database before anything is moved.
func checkBackup(ctx context.Context, src string) error {
	info, err := os.Stat(src)
	if err != nil {
		return err
	}
	if !info.Mode().IsRegular() {
		return fmt.Errorf("%s is not a file", src)
	}
	// A stray -wal beside the backup would be applied to it on open: a backup is one file.
	if _, err := os.Lstat(src + "-wal"); err == nil {
		return fmt.Errorf("%s has a %s-wal beside it, so it is not a closed backup; make one with `cairn backup`", src, filepath.Base(src))
	}
	return nil
}

// checkFile opens a SQLite file and runs an integrity pragma, and checks that the file is a
// Cairn database (it has the migration table).
func checkFile(ctx context.Context, path, pragma string) error {
	db, err := openSQLite(ctx, path, SyncFull)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := sqliteCheck(ctx, db, pragma); err != nil {
		return err
	}
	var n int
	if err := db.NewRaw("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'bun_migrations'").Scan(ctx, &n); err != nil {
		return err
	}
	if n == 0 {
		return errors.New("not a Cairn database (it has no migration table)")
	}
	return nil
}

// copyFile copies src to a new file dst, readable by its owner only (it holds password
// hashes), and syncs it.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		_ = out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		_ = out.Close()
		return err
	}
	return out.Close()
}

func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
}
