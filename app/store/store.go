// Package store holds every database query, one file per entity. It works unchanged on
// SQLite and PostgreSQL; tests run each body on both.
package store

import (
	"database/sql"
	"errors"
	"sync"
	"time"

	"github.com/uptrace/bun"
)

// Errors callers branch on; anything else is an unexpected database failure.
var (
	ErrNotFound      = errors.New("not found")
	ErrUsernameTaken = errors.New("username taken")
	// ErrUsernameConfusable: another account's name has the same skeleton (looks the same).
	ErrUsernameConfusable = errors.New("username looks like another account's")
	ErrInviteInvalid      = errors.New("invite invalid, used up, expired or revoked")
	ErrCodeInvalid        = errors.New("code invalid or already used")
)

// Store runs queries against one database.
type Store struct {
	db  *bun.DB
	now func() time.Time

	channelMu sync.Mutex
	channel   string // see LiveChannel; empty until known
}

// New wraps db. now may be nil (wall clock); tests pass a fake clock.
func New(db *bun.DB, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{db: db, now: now}
}

// DB exposes the handle for health checks and migrations.
func (s *Store) DB() *bun.DB { return s.db }

// Now is the store's clock, in UTC at the databases' common (microsecond) precision.
func (s *Store) Now() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

func notFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return err
}

func affectedOne(res interface{ RowsAffected() (int64, error) }) bool {
	n, err := res.RowsAffected()
	return err == nil && n == 1
}

var errNoRowsSQL = sql.ErrNoRows
