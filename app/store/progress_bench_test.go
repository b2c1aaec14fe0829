package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/cairn-lms/cairn/app/config"
	"github.com/cairn-lms/cairn/app/database"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
	"github.com/cairn-lms/cairn/app/store/storetest"
)

// BenchmarkLessonCompletionSQLite measures an acknowledged write (a lesson marked done: one
// transaction, two upserts) with each CAIRN_SQLITE_SYNCHRONOUS setting, on the disk that
// holds the temporary directory. The numbers are in docs/BENCHMARKS.md.
func BenchmarkLessonCompletionSQLite(b *testing.B) {
	for _, mode := range []string{database.SyncFull, database.SyncNormal} {
		b.Run(mode, func(b *testing.B) {
			cfg := config.Defaults()
			cfg.DataDir = b.TempDir()
			cfg.SQLiteSynchronous = mode
			ctx := context.Background()
			db, err := database.Open(ctx, cfg)
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			m, err := database.NewMigrator(db)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := m.Up(ctx); err != nil {
				b.Fatal(err)
			}
			st := store.New(db, time.Now)
			u := storetest.Account(b, st, "bench", model.RoleLearner)
			i := 0
			for b.Loop() {
				i++
				if _, err := st.CompleteLesson(ctx, u.ID, "course", fmt.Sprintf("lesson-%d", i)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
