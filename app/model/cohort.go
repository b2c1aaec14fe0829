package model

import "time"

// Cohort roles: what a member does in one cohort (independent of their instance role).
const (
	CohortLearner = "learner"
	CohortTrainer = "trainer"
)

// Cohort is a group of learners taking one course together with one or more trainers.
type Cohort struct {
	ID        int64     `bun:"id,pk,autoincrement"`
	CourseID  string    `bun:"course_id"`
	Name      string    `bun:"name"`
	Lang      string    `bun:"lang"`
	StartsOn  string    `bun:"starts_on"` // YYYY-MM-DD or empty
	EndsOn    string    `bun:"ends_on"`
	SeatLimit int       `bun:"seat_limit"` // learners; 0 means no limit
	JoinCode  *string   `bun:"join_code"`  // nil when joining is closed
	CreatedBy *int64    `bun:"created_by"`
	CreatedAt time.Time `bun:"created_at"`
}

// CohortMember is a user in a cohort.
type CohortMember struct {
	CohortID int64     `bun:"cohort_id,pk"`
	UserID   int64     `bun:"user_id,pk"`
	Role     string    `bun:"role"`
	JoinedAt time.Time `bun:"joined_at"`

	User *User `bun:"rel:belongs-to,join:user_id=id"`
}
