package database

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/migrate"

	"github.com/cairn-lms/cairn/migrations"
)

// ErrSchemaTooNew means the database was migrated by a newer Cairn than this binary.
var ErrSchemaTooNew = errors.New("the database schema is newer than this version of Cairn knows")

// Status describes where the schema stands relative to this binary.
type Status struct {
	Applied []string // names of applied migrations this binary knows, oldest first
	Pending []string // known but not yet applied
	Unknown []string // applied in the database but unknown to this binary (schema too new)
}

// Current tells whether the schema is exactly what this binary expects.
func (s Status) Current() bool { return len(s.Pending) == 0 && len(s.Unknown) == 0 }

// Migrator applies the embedded migrations to one database.
type Migrator struct {
	db    *bun.DB
	m     *migrate.Migrator
	known map[string]bool // names of the migrations this binary carries
}

// NewMigrator prepares the runner; migrations are marked applied only once they succeed.
func NewMigrator(db *bun.DB) (*Migrator, error) {
	set, err := migrations.Set()
	if err != nil {
		return nil, err
	}
	m := migrate.NewMigrator(db, set,
		migrate.WithMarkAppliedOnSuccess(true),
		migrate.WithTemplateData(migrationTemplateData(db)),
	)
	known := map[string]bool{}
	for _, mg := range set.Sorted() {
		known[mg.Name] = true
	}
	return &Migrator{db: db, m: m, known: known}, nil
}

// Status reads the migration table (creating it if needed).
func (r *Migrator) Status(ctx context.Context) (Status, error) {
	var st Status
	if err := r.m.Init(ctx); err != nil {
		return st, fmt.Errorf("init migration tables: %w", err)
	}
	known, err := r.m.MigrationsWithStatus(ctx)
	if err != nil {
		return st, fmt.Errorf("read migration status: %w", err)
	}
	names := map[string]bool{}
	for _, m := range known {
		names[m.Name] = true
		if m.IsApplied() {
			st.Applied = append(st.Applied, label(m))
		} else {
			st.Pending = append(st.Pending, label(m))
		}
	}
	applied, err := r.m.AppliedMigrations(ctx)
	if err != nil {
		return st, fmt.Errorf("read applied migrations: %w", err)
	}
	for _, m := range applied {
		if !names[m.Name] {
			st.Unknown = append(st.Unknown, label(m))
		}
	}
	return st, nil
}

// CheckCurrent reports pending or unknown migrations (readiness, start-up checks).
func (r *Migrator) CheckCurrent(ctx context.Context) error {
	st, err := r.Status(ctx)
	if err != nil {
		return err
	}
	if len(st.Unknown) > 0 {
		return fmt.Errorf("%w: %s", ErrSchemaTooNew, strings.Join(st.Unknown, ", "))
	}
	if len(st.Pending) > 0 {
		return fmt.Errorf("migrations pending: %s", strings.Join(st.Pending, ", "))
	}
	return nil
}

// CheckCurrentNoDDL is CheckCurrent for readiness probes: it only reads the migration
// table, where Status first creates it (DDL, which takes locks, on every probe).
func (r *Migrator) CheckCurrentNoDDL(ctx context.Context) error {
	applied, err := r.m.AppliedMigrations(ctx)
	if err != nil {
		return fmt.Errorf("read applied migrations: %w", err)
	}
	done := map[string]bool{}
	var unknown []string
	for _, m := range applied {
		done[m.Name] = true
		if !r.known[m.Name] {
			unknown = append(unknown, label(m))
		}
	}
	if len(unknown) > 0 {
		return fmt.Errorf("%w: %s", ErrSchemaTooNew, strings.Join(unknown, ", "))
	}
	var pending []string
	for name := range r.known {
		if !done[name] {
			pending = append(pending, name)
		}
	}
	if len(pending) > 0 {
		return fmt.Errorf("migrations pending: %s", strings.Join(pending, ", "))
	}
	return nil
}

// Up applies every pending migration under the migration lock and returns their names.
// It refuses to touch a schema that a newer binary has migrated.
func (r *Migrator) Up(ctx context.Context) ([]string, error) {
	var done []string
	err := r.locked(ctx, func() error {
		st, err := r.Status(ctx)
		if err != nil {
			return err
		}
		if len(st.Unknown) > 0 {
			return fmt.Errorf("%w: %s; upgrade Cairn before starting it on this database", ErrSchemaTooNew, strings.Join(st.Unknown, ", "))
		}
		group, err := r.m.Migrate(ctx)
		if err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		for _, m := range group.Migrations {
			done = append(done, label(m))
		}
		return nil
	})
	return done, err
}

// DownOne rolls back the most recently applied migration. It refuses while the database
// holds migrations this binary does not know: those belong to a newer Cairn, which must roll
// them back first (rolling back this binary's newest one underneath them would be out of
// order, and could drop what they build on).
func (r *Migrator) DownOne(ctx context.Context) (string, error) {
	var name string
	err := r.locked(ctx, func() error {
		st, err := r.Status(ctx)
		if err != nil {
			return err
		}
		if len(st.Unknown) > 0 {
			return fmt.Errorf("%w: %s; roll it back with the Cairn that applied it (its `cairn migrate down`) first", ErrSchemaTooNew, strings.Join(st.Unknown, ", "))
		}
		known, err := r.m.MigrationsWithStatus(ctx)
		if err != nil {
			return err
		}
		applied := known.Applied() // newest first
		if len(applied) == 0 {
			return nil
		}
		last := applied[0]
		if last.Down == nil {
			return fmt.Errorf("migration %s has no down step", label(last))
		}
		if err := last.Down(ctx, r.m, &last); err != nil {
			return fmt.Errorf("roll back %s: %w", label(last), err)
		}
		if err := r.m.MarkUnapplied(ctx, &last); err != nil {
			return err
		}
		name = label(last)
		return nil
	})
	return name, err
}

// Unlock clears a lock row left behind by a crashed migration on SQLite.
func (r *Migrator) Unlock(ctx context.Context) error {
	if err := r.m.Init(ctx); err != nil {
		return err
	}
	return r.m.Unlock(ctx)
}

func (r *Migrator) locked(ctx context.Context, fn func() error) error {
	// On PostgreSQL the advisory lock needs no table, so it is taken before the migration
	// tables are created: two instances starting on an empty database would otherwise race
	// to create them. SQLite's lock is a row in one of those tables.
	if !IsPostgres(r.db) {
		if err := r.m.Init(ctx); err != nil {
			return fmt.Errorf("init migration tables: %w", err)
		}
	}
	unlock, err := migrationLock(ctx, r.db, r.m.Lock)
	if err != nil {
		return err
	}
	if unlock == nil {
		unlock = func() { _ = r.m.Unlock(context.Background()) }
	}
	defer unlock()
	if err := r.m.Init(ctx); err != nil {
		return fmt.Errorf("init migration tables: %w", err)
	}
	return fn()
}

func label(m migrate.Migration) string {
	if m.Comment != "" {
		return m.Name + "_" + m.Comment
	}
	return m.Name
}
