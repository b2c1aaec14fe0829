package database_test

import (
	"context"
	"os"
	"testing"

	"github.com/cairn-lms/cairn/app/database"
	"github.com/cairn-lms/cairn/app/database/dbtest"
)

// BenchmarkQuickCheckAtStart measures the integrity check `cairn serve` runs before it
// starts, on a SQLite database the size of a busy instance's: 10,000 accounts, 600,000
// lessons done, 100,000 quiz attempts (about 150 MB). The figure is in docs/BENCHMARKS.md.
func BenchmarkQuickCheckAtStart(b *testing.B) {
	db := dbtest.Open(b, "sqlite")
	ctx := context.Background()
	for _, q := range []string{
		`INSERT INTO users (username, username_key, password_hash, role, created_at, updated_at, password_changed_at)
		 WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < 10000)
		 SELECT 'u' || i, 'u' || i, hex(randomblob(48)), 'learner', '2026-01-01', '2026-01-01', '2026-01-01' FROM n`,
		`INSERT INTO lesson_progress (user_id, course_id, lesson_id, completed_at)
		 WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i+1 FROM n WHERE i < 59)
		 SELECT u.id, 'course-' || (n.i / 12), 'lesson-' || n.i, '2026-01-01' FROM users u, n`,
		`INSERT INTO quiz_attempts (user_id, course_id, quiz_id, attempt_key, course_version, lang, score, max_score, percent, passed, answers, created_at)
		 WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i+1 FROM n WHERE i < 9)
		 SELECT u.id, 'course-' || (n.i / 2), 'quiz-' || n.i, hex(randomblob(16)), 'v1', 'en', 7, 10, 70, 1, hex(randomblob(400)), '2026-01-01' FROM users u, n`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
	var file string
	var seq int
	var name string
	if err := db.QueryRowContext(ctx, "PRAGMA database_list").Scan(&seq, &name, &file); err != nil {
		b.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if err := database.CheckIntegrity(ctx, db); err != nil {
			b.Fatal(err)
		}
	}
	if info, err := os.Stat(file); err == nil {
		b.ReportMetric(float64(info.Size())/(1<<20), "MB")
	}
}
