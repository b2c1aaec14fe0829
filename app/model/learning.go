package model

import (
	"time"

	"github.com/uptrace/bun"
)

// Enrollment is a learner's relation to a course, created by their first step in it.
type Enrollment struct {
	UserID         int64      `bun:"user_id,pk"`
	CourseID       string     `bun:"course_id,pk"`
	StartedAt      time.Time  `bun:"started_at"`
	LastActivityAt time.Time  `bun:"last_activity_at"`
	CompletedAt    *time.Time `bun:"completed_at"`
}

// LessonProgress records that a learner completed a lesson (by its permanent id).
type LessonProgress struct {
	bun.BaseModel `bun:"table:lesson_progress"`

	UserID      int64     `bun:"user_id,pk"`
	CourseID    string    `bun:"course_id,pk"`
	LessonID    string    `bun:"lesson_id,pk"`
	CompletedAt time.Time `bun:"completed_at"`
}

// QuizAttempt is one graded submission of a module quiz.
type QuizAttempt struct {
	ID            int64     `bun:"id,pk,autoincrement"`
	UserID        int64     `bun:"user_id"`
	CourseID      string    `bun:"course_id"`
	QuizID        string    `bun:"quiz_id"`
	AttemptKey    string    `bun:"attempt_key"` // from the form: a resubmitted form records once
	CourseVersion string    `bun:"course_version"`
	Lang          string    `bun:"lang"`
	Score         int       `bun:"score"`
	MaxScore      int       `bun:"max_score"`
	Percent       int       `bun:"percent"`
	Passed        bool      `bun:"passed"`
	Answers       string    `bun:"answers"` // JSON: question id → submitted values
	CreatedAt     time.Time `bun:"created_at"`
}

// ChecklistTick records that a learner ticked one item of a lesson's checklist. It has no
// time on purpose (docs/SECURITY.md).
type ChecklistTick struct {
	bun.BaseModel `bun:"table:checklist_ticks"`

	UserID   int64  `bun:"user_id,pk"`
	CourseID string `bun:"course_id,pk"`
	LessonID string `bun:"lesson_id,pk"`
	ItemID   string `bun:"item_id,pk"`
}

// IntakePlan is a learner's saved answers to the risk intake (app/intake), from which their
// personal learning plan is made. Stored only when the learner asks.
type IntakePlan struct {
	bun.BaseModel `bun:"table:intake_plans"`

	UserID  int64     `bun:"user_id,pk"`
	Version int       `bun:"version"`
	Answers string    `bun:"answers"`  // JSON: question id → answer ids (intake.Answers)
	SavedOn time.Time `bun:"saved_on"` // the UTC day
}
