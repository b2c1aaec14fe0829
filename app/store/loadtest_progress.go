package store

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/model"
)

// LoadTestProgress is the course work `cairn loadtest dashboard` gives a run's learners:
// written directly, in chunks, as the accounts are (CreateLoadTestRun).
type LoadTestProgress struct {
	Enrollments []model.Enrollment
	Lessons     []model.LessonProgress
	Attempts    []model.QuizAttempt
	Attendance  []model.LiveAttendance
}

// AddLoadTestProgress writes a batch of load-test progress in one transaction.
func (s *Store) AddLoadTestProgress(ctx context.Context, p LoadTestProgress) error {
	const chunk = 1000
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := insertChunks(ctx, tx, p.Enrollments, chunk); err != nil {
			return fmt.Errorf("insert load-test enrolments: %w", err)
		}
		if err := insertChunks(ctx, tx, p.Lessons, chunk); err != nil {
			return fmt.Errorf("insert load-test lessons: %w", err)
		}
		if err := insertChunks(ctx, tx, p.Attempts, chunk); err != nil {
			return fmt.Errorf("insert load-test quiz attempts: %w", err)
		}
		if err := insertChunks(ctx, tx, p.Attendance, chunk); err != nil {
			return fmt.Errorf("insert load-test attendance: %w", err)
		}
		return nil
	})
}

func insertChunks[T any](ctx context.Context, tx bun.Tx, rows []T, chunk int) error {
	for start := 0; start < len(rows); start += chunk {
		part := rows[start:min(start+chunk, len(rows))]
		if _, err := tx.NewInsert().Model(&part).Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}
