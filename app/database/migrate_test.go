package database_test

import (
	"context"
	"errors"
	"testing"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/database"
	"github.com/cairn-lms/cairn/app/database/dbtest"
)

func TestMigrationsApplyRollBackAndReapply(t *testing.T) {
	for _, kind := range dbtest.Kinds {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			db := dbtest.OpenEmpty(t, kind)
			m, err := database.NewMigrator(db)
			if err != nil {
				t.Fatal(err)
			}
			st, err := m.Status(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(st.Pending) == 0 || len(st.Applied) != 0 {
				t.Fatalf("fresh database: want only pending migrations, got %+v", st)
			}
			if err := m.CheckCurrent(ctx); err == nil {
				t.Fatal("CheckCurrent on a fresh database should report pending migrations")
			}
			done, err := m.Up(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(done) != len(st.Pending) {
				t.Fatalf("applied %v, want %v", done, st.Pending)
			}
			if err := m.CheckCurrent(ctx); err != nil {
				t.Fatalf("after Up: %v", err)
			}
			again, err := m.Up(ctx)
			if err != nil || len(again) != 0 {
				t.Fatalf("second Up should do nothing, got %v, %v", again, err)
			}
			if _, err := db.ExecContext(ctx, "INSERT INTO settings (key, value, updated_at) VALUES ('k', 'v', ?)", "2026-01-01 00:00:00+00:00"); err != nil {
				t.Fatalf("schema not usable: %v", err)
			}
			for range st.Pending {
				if _, err := m.DownOne(ctx); err != nil {
					t.Fatal(err)
				}
			}
			if tableExists(ctx, db, "users") {
				t.Fatal("users table still exists after rolling everything back")
			}
			if _, err := m.Up(ctx); err != nil {
				t.Fatalf("re-apply after rollback: %v", err)
			}
			if !tableExists(ctx, db, "users") {
				t.Fatal("users table missing after re-applying")
			}
		})
	}
}

func TestRefusesSchemaNewerThanBinary(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		if _, err := db.ExecContext(ctx, "INSERT INTO bun_migrations (name, group_id, migrated_at) VALUES ('9999', 99, ?)", "2026-01-01 00:00:00+00:00"); err != nil {
			t.Fatal(err)
		}
		m, err := database.NewMigrator(db)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := m.Up(ctx); !errors.Is(err, database.ErrSchemaTooNew) {
			t.Fatalf("Up on a newer schema: got %v, want ErrSchemaTooNew", err)
		}
		if err := m.CheckCurrent(ctx); !errors.Is(err, database.ErrSchemaTooNew) {
			t.Fatalf("CheckCurrent on a newer schema: got %v", err)
		}
	})
}

// Rolling back a release is done with the binary that applied its migrations: an older one
// does not know them, and rolling back its own newest migration underneath them would drop
// tables a newer migration may build on, out of order.
func TestDownRefusesWhileANewerBinarysMigrationIsApplied(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		if _, err := db.ExecContext(ctx, "INSERT INTO bun_migrations (name, group_id, migrated_at) VALUES ('9999', 99, ?)", "2026-01-01 00:00:00+00:00"); err != nil {
			t.Fatal(err)
		}
		m, err := database.NewMigrator(db)
		if err != nil {
			t.Fatal(err)
		}
		before, err := m.Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		name, err := m.DownOne(ctx)
		if !errors.Is(err, database.ErrSchemaTooNew) || name != "" {
			t.Fatalf("DownOne under a newer migration: got %q, %v; want ErrSchemaTooNew and nothing rolled back", name, err)
		}
		after, err := m.Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(after.Applied) != len(before.Applied) || len(after.Pending) != 0 {
			t.Fatalf("DownOne changed the schema although it refused: before %v, after %v", before.Applied, after.Applied)
		}
	})
}

func TestFailedMigrationIsNotMarkedApplied(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		m, err := database.NewMigrator(db)
		if err != nil {
			t.Fatal(err)
		}
		for {
			name, err := m.DownOne(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if name == "" {
				break
			}
		}
		// A table in the way makes the first statement of the migration fail.
		if _, err := db.ExecContext(ctx, "CREATE TABLE users (id INTEGER)"); err != nil {
			t.Fatal(err)
		}
		if _, err := m.Up(ctx); err == nil {
			t.Fatal("Up should fail when a table already exists")
		}
		st, err := m.Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(st.Applied) != 0 || len(st.Pending) == 0 {
			t.Fatalf("failed migration must stay pending, got %+v", st)
		}
		if tableExists(ctx, db, "sessions") {
			t.Fatal("a failed transactional migration left a table behind")
		}
	})
}

func tableExists(ctx context.Context, db *bun.DB, name string) bool {
	_, err := db.NewSelect().Table(name).ColumnExpr("1").Limit(1).Exec(ctx)
	return err == nil
}

func TestInstancesStartingTogetherMigrateOnce(t *testing.T) {
	for _, kind := range dbtest.Kinds {
		t.Run(kind, func(t *testing.T) {
			db := dbtest.OpenEmpty(t, kind)
			errs := make(chan error, 4)
			for range 4 {
				go func() {
					m, err := database.NewMigrator(db)
					if err == nil {
						_, err = m.Up(context.Background())
					}
					errs <- err
				}()
			}
			for range 4 {
				if err := <-errs; err != nil {
					t.Fatalf("concurrent start: %v", err)
				}
			}
			m, _ := database.NewMigrator(db)
			if err := m.CheckCurrent(context.Background()); err != nil {
				t.Fatal(err)
			}
		})
	}
}
