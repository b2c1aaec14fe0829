package store

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/database"
	"github.com/cairn-lms/cairn/app/model"
)

// RecordQuizAttempt stores a graded attempt. A second submission of the same form (same
// attempt key) records nothing and returns the first attempt, so replays count once.
func (s *Store) RecordQuizAttempt(ctx context.Context, a *model.QuizAttempt) (*model.QuizAttempt, bool, error) {
	a.CreatedAt = s.Now()
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := touchEnrollment(ctx, tx, a.UserID, a.CourseID, a.CreatedAt); err != nil {
			return err
		}
		_, err := tx.NewInsert().Model(a).Exec(ctx)
		return err
	})
	if err == nil {
		return a, true, nil
	}
	if !database.IsUniqueViolation(err) {
		return nil, false, fmt.Errorf("record quiz attempt: %w", err)
	}
	first := new(model.QuizAttempt)
	if err := s.db.NewSelect().Model(first).Where("user_id = ?", a.UserID).Where("attempt_key = ?", a.AttemptKey).Scan(ctx); err != nil {
		return nil, false, err
	}
	return first, false, nil
}

// QuizAttempt loads one attempt of a learner; other learners' attempts are not found.
func (s *Store) QuizAttempt(ctx context.Context, userID, id int64) (*model.QuizAttempt, error) {
	a := new(model.QuizAttempt)
	err := s.db.NewSelect().Model(a).Where("id = ?", id).Where("user_id = ?", userID).Scan(ctx)
	if err != nil {
		return nil, notFound(err)
	}
	return a, nil
}

// QuizAttempts lists a learner's attempts at one quiz, newest first.
func (s *Store) QuizAttempts(ctx context.Context, userID int64, courseID, quizID string) ([]model.QuizAttempt, error) {
	var attempts []model.QuizAttempt
	err := s.db.NewSelect().Model(&attempts).
		Column("id", "score", "max_score", "percent", "passed", "created_at").
		Where("user_id = ?", userID).Where("course_id = ?", courseID).Where("quiz_id = ?", quizID).
		Order("id DESC").Limit(100).Scan(ctx)
	return attempts, err
}

// QuizPassed tells whether a learner has passed a quiz in any attempt.
func (s *Store) QuizPassed(ctx context.Context, userID int64, courseID, quizID string) (bool, error) {
	return s.db.NewSelect().Model((*model.QuizAttempt)(nil)).
		Where("user_id = ?", userID).Where("course_id = ?", courseID).Where("quiz_id = ?", quizID).
		Where("passed = ?", true).Exists(ctx)
}

// quizAttemptsOf lists every quiz attempt of a user with its answers, for the data export.
func quizAttemptsOf(ctx context.Context, db bun.IDB, userID int64) ([]QuizAttemptData, error) {
	var out []QuizAttemptData
	err := db.NewSelect().Model((*model.QuizAttempt)(nil)).
		Column("course_id", "quiz_id", "course_version", "lang", "score", "max_score", "percent", "passed", "answers", "created_at").
		Where("user_id = ?", userID).Order("id").Scan(ctx, &out)
	return out, err
}
