//go:build unix

package database

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// ErrInUse means a cairn server holds the SQLite database.
var ErrInUse = errors.New("a cairn server is using this database; stop it first")

// LockSQLite takes a lock on a file beside the database: shared for a server (several
// commands may run beside it), exclusive for `cairn restore`, which must not replace the
// file under a running server. The lock is on a file of its own because SQLite's own
// locks on the database are POSIX locks, which closing any other descriptor of that file
// would release. The kernel drops it if the process dies.
func LockSQLite(dbPath string, exclusive bool) (unlock func(), err error) {
	if err := os.MkdirAll(filepath.Dir(dbPath), 0o700); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	f, err := os.OpenFile(dbPath+".lock", os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", dbPath, err)
	}
	how := syscall.LOCK_SH
	if exclusive {
		how = syscall.LOCK_EX
	}
	if err := syscall.Flock(int(f.Fd()), how|syscall.LOCK_NB); err != nil {
		_ = f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, ErrInUse
		}
		return nil, fmt.Errorf("lock %s: %w", dbPath, err)
	}
	return func() { _ = f.Close() }, nil
}
