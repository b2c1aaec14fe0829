package model

import (
	"time"

	"github.com/uptrace/bun"
)

// Kinds of plan step: what performing the step does in a live session.
const (
	PlanLesson     = "lesson"     // show a lesson, or one of its sections
	PlanPoll       = "poll"       // open an ad-hoc poll
	PlanQuiz       = "quiz"       // ask a question of the course's quizzes
	PlanDiscussion = "discussion" // show a prompt to discuss
	PlanBreak      = "break"      // show that the group is on a break
)

// SessionPlan is a trainer's agenda for running a course live, reusable across cohorts.
// Only its owner changes it; shared, every trainer may read, run and copy it.
type SessionPlan struct {
	bun.BaseModel `bun:"table:session_plans"`

	ID           int64     `bun:"id,pk,autoincrement"`
	OwnerID      int64     `bun:"owner_id"`
	CourseID     string    `bun:"course_id"`
	Lang         string    `bun:"lang"` // the language its texts are written in
	Title        string    `bun:"title"`
	Shared       bool      `bun:"shared"`
	SourceModule string    `bun:"source_module"` // the module whose shipped agenda it began as, or ""
	CreatedAt    time.Time `bun:"created_at"`
	UpdatedAt    time.Time `bun:"updated_at"`

	Owner *User `bun:"rel:belongs-to,join:owner_id=id"`
}

// PlanStep is one step of a plan. Which fields matter depends on Kind.
type PlanStep struct {
	bun.BaseModel `bun:"table:session_plan_steps"`

	ID         int64  `bun:"id,pk,autoincrement"`
	PlanID     int64  `bun:"plan_id"`
	Position   int    `bun:"position"` // 0 first
	Kind       string `bun:"kind"`
	Stage      string `bun:"stage"` // an ADIDS stage (course.Stages) or ""
	Minutes    int    `bun:"minutes"`
	Title      string `bun:"title"` // the prompt of a poll or discussion; optional for lessons and quiz questions
	Notes      string `bun:"notes"` // for trainers only
	Lesson     string `bun:"lesson"`
	Section    string `bun:"section"` // heading anchor inside Lesson, or ""
	QuizModule string `bun:"quiz_module"`
	QuestionID string `bun:"question_id"`
	Options    string `bun:"options"` // poll: JSON list of the options' texts
	Anonymous  bool   `bun:"anonymous"`
	Multiple   bool   `bun:"multiple"`
}

// LiveSessionPlan is the plan a live session follows and how far it has gone.
type LiveSessionPlan struct {
	bun.BaseModel `bun:"table:live_session_plans"`

	SessionID     int64      `bun:"session_id,pk"`
	PlanID        int64      `bun:"plan_id"`
	Position      int        `bun:"position"` // the step performed last; -1 before the first
	StartedAt     *time.Time `bun:"started_at"`
	StepStartedAt *time.Time `bun:"step_started_at"`
}

// CohortPlan is the plan a cohort's sessions follow unless their trainer picks another.
type CohortPlan struct {
	bun.BaseModel `bun:"table:cohort_plans"`

	CohortID int64 `bun:"cohort_id,pk"`
	PlanID   int64 `bun:"plan_id"`
}
