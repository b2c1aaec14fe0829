package store

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/model"
)

// CompleteLesson records a completed lesson once; repeating it (a double-submitted form, a
// retried request) changes nothing but the last-activity time. It reports whether this call
// recorded it.
func (s *Store) CompleteLesson(ctx context.Context, userID int64, courseID, lessonID string) (bool, error) {
	now := s.Now()
	var recorded bool
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := touchEnrollment(ctx, tx, userID, courseID, now); err != nil {
			return err
		}
		res, err := tx.NewInsert().Model(&model.LessonProgress{UserID: userID, CourseID: courseID, LessonID: lessonID, CompletedAt: now}).
			On("CONFLICT DO NOTHING").Exec(ctx)
		if err != nil {
			return fmt.Errorf("record lesson progress: %w", err)
		}
		recorded = affectedOne(res)
		return nil
	})
	return recorded, err
}

func touchEnrollment(ctx context.Context, tx bun.IDB, userID int64, courseID string, now time.Time) error {
	_, err := tx.NewInsert().Model(&model.Enrollment{UserID: userID, CourseID: courseID, StartedAt: now, LastActivityAt: now}).
		On("CONFLICT (user_id, course_id) DO UPDATE").
		Set("last_activity_at = EXCLUDED.last_activity_at").
		Exec(ctx)
	if err != nil {
		return fmt.Errorf("record enrolment: %w", err)
	}
	return nil
}

// Enroll starts a course for a learner (the "Start" button); it is idempotent.
func (s *Store) Enroll(ctx context.Context, userID int64, courseID string) error {
	return touchEnrollment(ctx, s.db, userID, courseID, s.Now())
}

// MarkCourseCompleted stamps the enrolment the first time the course is found complete.
func (s *Store) MarkCourseCompleted(ctx context.Context, userID int64, courseID string) error {
	_, err := s.db.NewUpdate().Model((*model.Enrollment)(nil)).
		Set("completed_at = ?", s.Now()).
		Where("user_id = ?", userID).Where("course_id = ?", courseID).Where("completed_at IS NULL").
		Exec(ctx)
	return err
}

// CompletedLessons returns the ids of the lessons a learner completed in one course: the
// only query a lesson page needs.
func (s *Store) CompletedLessons(ctx context.Context, userID int64, courseID string) (map[string]bool, error) {
	var ids []string
	err := s.db.NewSelect().Model((*model.LessonProgress)(nil)).Column("lesson_id").
		Where("user_id = ?", userID).Where("course_id = ?", courseID).Scan(ctx, &ids)
	if err != nil {
		return nil, err
	}
	done := make(map[string]bool, len(ids))
	for _, id := range ids {
		done[id] = true
	}
	return done, nil
}

// Progress is everything a learner has done, grouped by course.
type Progress struct {
	Enrollments map[string]*model.Enrollment
	Lessons     map[string]map[string]bool // course → lesson ids completed
	BestPercent map[string]map[string]int  // course → quiz id → best percent
	Passed      map[string]map[string]bool // course → quiz id → passed at least once
}

// LearnerProgress loads a learner's whole progress in three indexed queries, for the catalog,
// the course page and "My learning".
func (s *Store) LearnerProgress(ctx context.Context, userID int64, courseIDs ...string) (*Progress, error) {
	p := &Progress{
		Enrollments: map[string]*model.Enrollment{},
		Lessons:     map[string]map[string]bool{},
		BestPercent: map[string]map[string]int{},
		Passed:      map[string]map[string]bool{},
	}
	var enrollments []model.Enrollment
	q := s.db.NewSelect().Model(&enrollments).Where("user_id = ?", userID)
	if len(courseIDs) > 0 {
		q = q.Where("course_id IN (?)", bun.List(courseIDs))
	}
	if err := q.Scan(ctx); err != nil {
		return nil, err
	}
	for i := range enrollments {
		p.Enrollments[enrollments[i].CourseID] = &enrollments[i]
	}
	var lessons []model.LessonProgress
	q = s.db.NewSelect().Model(&lessons).Column("course_id", "lesson_id").Where("user_id = ?", userID)
	if len(courseIDs) > 0 {
		q = q.Where("course_id IN (?)", bun.List(courseIDs))
	}
	if err := q.Scan(ctx); err != nil {
		return nil, err
	}
	for _, l := range lessons {
		if p.Lessons[l.CourseID] == nil {
			p.Lessons[l.CourseID] = map[string]bool{}
		}
		p.Lessons[l.CourseID][l.LessonID] = true
	}
	var best []struct {
		CourseID string `bun:"course_id"`
		QuizID   string `bun:"quiz_id"`
		Best     int    `bun:"best"`
		Passed   int    `bun:"passed"`
	}
	q = s.db.NewSelect().Model((*model.QuizAttempt)(nil)).
		Column("course_id", "quiz_id").
		ColumnExpr("MAX(percent) AS best").
		ColumnExpr("MAX(CASE WHEN passed THEN 1 ELSE 0 END) AS passed").
		Where("user_id = ?", userID).Group("course_id", "quiz_id")
	if len(courseIDs) > 0 {
		q = q.Where("course_id IN (?)", bun.List(courseIDs))
	}
	if err := q.Scan(ctx, &best); err != nil {
		return nil, err
	}
	for _, b := range best {
		if p.BestPercent[b.CourseID] == nil {
			p.BestPercent[b.CourseID] = map[string]int{}
			p.Passed[b.CourseID] = map[string]bool{}
		}
		p.BestPercent[b.CourseID][b.QuizID] = b.Best
		p.Passed[b.CourseID][b.QuizID] = b.Passed == 1
	}
	return p, nil
}

// enrollmentsOf lists a user's courses for the data export.
func enrollmentsOf(ctx context.Context, db bun.IDB, userID int64) ([]EnrollmentData, error) {
	var out []EnrollmentData
	err := db.NewSelect().Model((*model.Enrollment)(nil)).Column("course_id", "started_at", "last_activity_at", "completed_at").
		Where("user_id = ?", userID).Order("started_at", "course_id").Scan(ctx, &out)
	return out, err
}

// lessonsCompletedBy lists the lessons a user completed, for the data export.
func lessonsCompletedBy(ctx context.Context, db bun.IDB, userID int64) ([]LessonCompletedData, error) {
	var out []LessonCompletedData
	err := db.NewSelect().Model((*model.LessonProgress)(nil)).Column("course_id", "lesson_id", "completed_at").
		Where("user_id = ?", userID).Order("completed_at", "course_id", "lesson_id").Scan(ctx, &out)
	return out, err
}
