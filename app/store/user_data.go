package store

// Data rights: everything Cairn holds about one person, to download (ExportUser), and
// deleting all of it at once (DeleteUser). What each table holds is in docs/SECURITY.md;
// what deleting leaves behind, and why, under "Deleting an account" there.

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/database"
	"github.com/cairn-lms/cairn/app/model"
)

// UserDataFormat names the downloaded document and its version: a change in what a field
// means gets a new version.
const UserDataFormat = "cairn-user-data/1"

// UserData is the document a person downloads: every row about them, read in one
// transaction. Secrets are left out (the password hash, the two-factor secret, the hashes of
// session tokens, recovery codes, reset links and invitations): they are credentials, not
// information about the person, and a copy of them on a lost laptop would be a way in.
// Anonymous acts are not in it either: nothing links them to the person, by design.
type UserData struct {
	Format              string                `json:"format"`
	ExportedAt          time.Time             `json:"exported_at"`
	Account             AccountData           `json:"account"`
	SignInSessions      []SignInSessionData   `json:"sign_in_sessions"`
	Enrollments         []EnrollmentData      `json:"enrollments"`
	LessonsCompleted    []LessonCompletedData `json:"lessons_completed"`
	ChecklistTicks      []ChecklistTickData   `json:"checklist_ticks"`
	IntakePlans         []IntakePlanData      `json:"intake_plans"` // the saved personal learning plan, at most one
	QuizAttempts        []QuizAttemptData     `json:"quiz_attempts"`
	CohortMemberships   []CohortMemberData    `json:"cohort_memberships"`
	LiveAttendance      []LiveAttendanceData  `json:"live_attendance"`
	LiveQuestions       []LiveQuestionData    `json:"live_questions"`
	LiveQuestionUpvotes []LiveUpvoteData      `json:"live_question_upvotes"`
	LiveVotes           []LiveVoteData        `json:"live_votes"`
	LiveTextAnswers     []LiveTextAnswerData  `json:"live_text_answers"`
	LiveRaisedHands     []LiveHandData        `json:"live_raised_hands"`
	SessionPlans        []SessionPlanData     `json:"session_plans"`
	CohortsCreated      []CreatedData         `json:"cohorts_created"`
	LiveSessionsCreated []CreatedData         `json:"live_sessions_created"`
	InvitationsCreated  []InvitationData      `json:"invitations_created"`
	PasswordResetLinks  []PasswordResetData   `json:"password_reset_links"`
	// AuditActions is what the person did as administrator or trainer (audit.go says why
	// entries about them by others are not in it).
	AuditActions []AuditActionData `json:"audit_actions"`
}

// AccountData is the account itself.
type AccountData struct {
	ID                  int64      `json:"id"`
	Username            string     `json:"username"`
	DisplayName         string     `json:"display_name"`
	Role                string     `json:"role"`
	Language            string     `json:"language"`
	CreatedAt           time.Time  `json:"created_at"`
	UpdatedAt           time.Time  `json:"updated_at"`
	PasswordChangedAt   time.Time  `json:"password_changed_at"`
	LastActiveDay       string     `json:"last_active_day"` // the UTC day, as 2006-01-02
	DisabledAt          *time.Time `json:"disabled_at"`     // null while enabled
	TwoFactorEnabled    bool       `json:"two_factor_enabled"`
	RecoveryCodesUnused int        `json:"recovery_codes_unused"`
	RecoveryCodesUsed   int        `json:"recovery_codes_used"`
}

// SignInSessionData is one signed-in browser (nothing about the device is stored).
type SignInSessionData struct {
	CreatedAt  time.Time `json:"created_at" bun:"created_at"`
	LastSeenAt time.Time `json:"last_seen_at" bun:"last_seen_at"`
	ExpiresAt  time.Time `json:"expires_at" bun:"expires_at"`
}

// EnrollmentData is a course the person started.
type EnrollmentData struct {
	CourseID       string     `json:"course_id" bun:"course_id"`
	StartedAt      time.Time  `json:"started_at" bun:"started_at"`
	LastActivityAt time.Time  `json:"last_activity_at" bun:"last_activity_at"`
	CompletedAt    *time.Time `json:"completed_at" bun:"completed_at"`
}

// LessonCompletedData is a lesson marked complete.
type LessonCompletedData struct {
	CourseID    string    `json:"course_id" bun:"course_id"`
	LessonID    string    `json:"lesson_id" bun:"lesson_id"`
	CompletedAt time.Time `json:"completed_at" bun:"completed_at"`
}

// ChecklistTickData is a ticked item of a lesson's checklist (no time is stored).
type ChecklistTickData struct {
	CourseID string `json:"course_id" bun:"course_id"`
	LessonID string `json:"lesson_id" bun:"lesson_id"`
	ItemID   string `json:"item_id" bun:"item_id"`
}

// QuizAttemptData is one graded quiz attempt with the answers given.
type QuizAttemptData struct {
	CourseID      string    `json:"course_id" bun:"course_id"`
	QuizID        string    `json:"quiz_id" bun:"quiz_id"`
	CourseVersion string    `json:"course_version" bun:"course_version"`
	Lang          string    `json:"language" bun:"lang"`
	Score         int       `json:"score" bun:"score"`
	MaxScore      int       `json:"max_score" bun:"max_score"`
	Percent       int       `json:"percent" bun:"percent"`
	Passed        bool      `json:"passed" bun:"passed"`
	Answers       RawJSON   `json:"answers" bun:"answers"`
	CreatedAt     time.Time `json:"created_at" bun:"created_at"`
}

// CohortMemberData is a cohort the person is in, and their role there.
type CohortMemberData struct {
	CohortID int64     `json:"cohort_id" bun:"cohort_id"`
	Name     string    `json:"cohort_name" bun:"name"`
	CourseID string    `json:"course_id" bun:"course_id"`
	Role     string    `json:"role" bun:"role"`
	JoinedAt time.Time `json:"joined_at" bun:"joined_at"`
}

// LiveAttendanceData is one stretch of presence in a live session.
type LiveAttendanceData struct {
	SessionID    int64      `json:"session_id" bun:"session_id"`
	SessionTitle string     `json:"session_title" bun:"session_title"`
	JoinedAt     time.Time  `json:"joined_at" bun:"joined_at"`
	LeftAt       *time.Time `json:"left_at" bun:"left_at"`
}

// LiveQuestionData is a question asked under the person's name (anonymous ones have no
// author to find them by).
type LiveQuestionData struct {
	SessionID    int64     `json:"session_id" bun:"session_id"`
	SessionTitle string    `json:"session_title" bun:"session_title"`
	Body         string    `json:"body" bun:"body"`
	Upvotes      int       `json:"upvotes" bun:"upvotes"`
	Answered     bool      `json:"answered" bun:"answered"`
	Hidden       bool      `json:"hidden" bun:"hidden"`
	AskedAt      time.Time `json:"asked_at" bun:"created_at"` // to the minute
}

// LiveUpvoteData is a question the person upvoted.
type LiveUpvoteData struct {
	SessionID int64  `json:"session_id" bun:"session_id"`
	Question  string `json:"question" bun:"body"`
}

// LiveVoteData is a poll the person answered. Choice is what they chose in a named poll (an
// option id, ids joined by commas, or "right"/"wrong" for a graded answer); nothing for an
// anonymous poll, whose votes are not linked to voters.
type LiveVoteData struct {
	SessionID int64     `json:"session_id" bun:"session_id"`
	Prompt    string    `json:"poll" bun:"prompt"`
	Anonymous bool      `json:"anonymous_poll" bun:"anonymous"`
	Choice    *string   `json:"choice" bun:"choice"`
	Options   RawJSON   `json:"options" bun:"options"` // the poll's options, ids and texts, as shown
	VotedAt   time.Time `json:"voted_at" bun:"voted_at"`
}

// LiveTextAnswerData is an answer typed to a named open-text poll.
type LiveTextAnswerData struct {
	SessionID int64  `json:"session_id" bun:"session_id"`
	Prompt    string `json:"poll" bun:"prompt"`
	Body      string `json:"answer" bun:"body"`
}

// LiveHandData is a hand raised now.
type LiveHandData struct {
	SessionID int64     `json:"session_id" bun:"session_id"`
	RaisedAt  time.Time `json:"raised_at" bun:"raised_at"`
}

// SessionPlanData is a session plan the person owns, with its steps.
type SessionPlanData struct {
	ID        int64          `json:"id"`
	CourseID  string         `json:"course_id"`
	Lang      string         `json:"language"`
	Title     string         `json:"title"`
	Shared    bool           `json:"shared"`
	CreatedAt time.Time      `json:"created_at"`
	UpdatedAt time.Time      `json:"updated_at"`
	Steps     []PlanStepData `json:"steps"`
}

// PlanStepData is one step of a plan.
type PlanStepData struct {
	Kind       string  `json:"kind"`
	Stage      string  `json:"stage"`
	Minutes    int     `json:"minutes"`
	Title      string  `json:"title"`
	Notes      string  `json:"notes"`
	Lesson     string  `json:"lesson"`
	Section    string  `json:"section"`
	QuizModule string  `json:"quiz_module"`
	QuestionID string  `json:"question_id"`
	Options    RawJSON `json:"options"`
	Anonymous  bool    `json:"anonymous"`
	Multiple   bool    `json:"multiple"`
}

// CreatedData is a cohort or live session the person created.
type CreatedData struct {
	ID        int64     `json:"id" bun:"id"`
	Name      string    `json:"name" bun:"name"`
	CreatedAt time.Time `json:"created_at" bun:"created_at"`
}

// InvitationData is an invitation the person created (the code itself is not stored).
type InvitationData struct {
	Note      string     `json:"note" bun:"note"`
	MaxUses   int        `json:"max_uses" bun:"max_uses"`
	Uses      int        `json:"uses" bun:"uses"`
	CreatedAt time.Time  `json:"created_at" bun:"created_at"`
	ExpiresAt time.Time  `json:"expires_at" bun:"expires_at"`
	RevokedAt *time.Time `json:"revoked_at" bun:"revoked_at"`
}

// PasswordResetData is a reset link an administrator made for the person (not the link).
type PasswordResetData struct {
	CreatedAt time.Time  `json:"created_at" bun:"created_at"`
	ExpiresAt time.Time  `json:"expires_at" bun:"expires_at"`
	UsedAt    *time.Time `json:"used_at" bun:"used_at"`
}

// RawJSON is JSON kept in a text column (answers, options), put into the document as JSON
// rather than as a string holding JSON; text that is not JSON goes in as a string.
type RawJSON string

// MarshalJSON writes the JSON as it is.
func (r RawJSON) MarshalJSON() ([]byte, error) {
	if r == "" {
		return []byte("null"), nil
	}
	if json.Valid([]byte(r)) {
		return []byte(r), nil
	}
	return json.Marshal(string(r))
}

// ExportUser gathers everything about one account, in one transaction (on PostgreSQL one
// snapshot), or ErrNotFound.
func (s *Store) ExportUser(ctx context.Context, userID int64) (*UserData, error) {
	out := &UserData{Format: UserDataFormat, ExportedAt: s.Now()}
	err := s.db.RunInTx(ctx, database.SnapshotTx(s.db), func(ctx context.Context, tx bun.Tx) error {
		u := new(model.User)
		if err := tx.NewSelect().Model(u).Where("id = ?", userID).Scan(ctx); err != nil {
			return notFound(err)
		}
		out.Account = AccountData{
			ID: u.ID, Username: u.Username, DisplayName: u.DisplayName, Role: u.Role, Language: u.Locale,
			CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt, PasswordChangedAt: u.PasswordChangedAt,
			TwoFactorEnabled: u.TOTPEnabled(),
		}
		if u.Disabled() {
			out.Account.DisabledAt = &u.DisabledAt
		}
		if !u.ActiveOn.IsZero() {
			out.Account.LastActiveDay = u.ActiveOn.UTC().Format(time.DateOnly)
		}
		var err error
		if out.Account.RecoveryCodesUnused, out.Account.RecoveryCodesUsed, err = recoveryCodeCounts(ctx, tx, userID); err != nil {
			return err
		}
		steps := []struct {
			what string
			read func() error
		}{
			{"sessions", func() (err error) { out.SignInSessions, err = sessionsOf(ctx, tx, userID); return }},
			{"enrolments", func() (err error) { out.Enrollments, err = enrollmentsOf(ctx, tx, userID); return }},
			{"lessons", func() (err error) { out.LessonsCompleted, err = lessonsCompletedBy(ctx, tx, userID); return }},
			{"checklist ticks", func() (err error) { out.ChecklistTicks, err = checklistTicksOf(ctx, tx, userID); return }},
			{"intake plan", func() (err error) { out.IntakePlans, err = intakePlanOf(ctx, tx, userID); return }},
			{"quiz attempts", func() (err error) { out.QuizAttempts, err = quizAttemptsOf(ctx, tx, userID); return }},
			{"cohorts", func() (err error) { out.CohortMemberships, err = cohortMembershipsOf(ctx, tx, userID); return }},
			{"attendance", func() (err error) { out.LiveAttendance, err = liveAttendanceOf(ctx, tx, userID); return }},
			{"questions", func() (err error) { out.LiveQuestions, err = namedQuestionsOf(ctx, tx, userID); return }},
			{"upvotes", func() (err error) { out.LiveQuestionUpvotes, err = upvotesOf(ctx, tx, userID); return }},
			{"votes", func() (err error) { out.LiveVotes, err = votesOf(ctx, tx, userID); return }},
			{"answers", func() (err error) { out.LiveTextAnswers, err = textAnswersOf(ctx, tx, userID); return }},
			{"hands", func() (err error) { out.LiveRaisedHands, err = handsOf(ctx, tx, userID); return }},
			{"plans", func() (err error) { out.SessionPlans, err = plansOwnedBy(ctx, tx, userID); return }},
			{"cohorts created", func() (err error) { out.CohortsCreated, err = cohortsCreatedBy(ctx, tx, userID); return }},
			{"sessions created", func() (err error) { out.LiveSessionsCreated, err = liveSessionsCreatedBy(ctx, tx, userID); return }},
			{"invitations", func() (err error) { out.InvitationsCreated, err = invitesCreatedBy(ctx, tx, userID); return }},
			{"reset links", func() (err error) { out.PasswordResetLinks, err = passwordResetsOf(ctx, tx, userID); return }},
			{"audit log", func() (err error) { out.AuditActions, err = auditActionsBy(ctx, tx, userID); return }},
		}
		for _, st := range steps {
			if err := st.read(); err != nil {
				return fmt.Errorf("export %s: %w", st.what, err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out.fillEmpty()
	return out, nil
}

// fillEmpty makes every list a list, empty rather than null, so the document always has
// the same shape.
func (d *UserData) fillEmpty() {
	d.SignInSessions = nonNil(d.SignInSessions)
	d.Enrollments = nonNil(d.Enrollments)
	d.LessonsCompleted = nonNil(d.LessonsCompleted)
	d.ChecklistTicks = nonNil(d.ChecklistTicks)
	d.IntakePlans = nonNil(d.IntakePlans)
	d.QuizAttempts = nonNil(d.QuizAttempts)
	d.CohortMemberships = nonNil(d.CohortMemberships)
	d.LiveAttendance = nonNil(d.LiveAttendance)
	d.LiveQuestions = nonNil(d.LiveQuestions)
	d.LiveQuestionUpvotes = nonNil(d.LiveQuestionUpvotes)
	d.LiveVotes = nonNil(d.LiveVotes)
	d.LiveTextAnswers = nonNil(d.LiveTextAnswers)
	d.LiveRaisedHands = nonNil(d.LiveRaisedHands)
	d.SessionPlans = nonNil(d.SessionPlans)
	for i := range d.SessionPlans {
		d.SessionPlans[i].Steps = nonNil(d.SessionPlans[i].Steps)
	}
	d.CohortsCreated = nonNil(d.CohortsCreated)
	d.LiveSessionsCreated = nonNil(d.LiveSessionsCreated)
	d.InvitationsCreated = nonNil(d.InvitationsCreated)
	d.PasswordResetLinks = nonNil(d.PasswordResetLinks)
	d.AuditActions = nonNil(d.AuditActions)
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// Errors DeleteUser refuses with.
var (
	// ErrLastAdmin: the account is the last enabled administrator; deleting, disabling or
	// demoting it would leave nobody to administer the instance.
	ErrLastAdmin = errors.New("the last enabled administrator cannot be deleted, disabled or demoted")
	// ErrSoleTrainer: the account is the only trainer of a cohort (SoleTrainerCohorts);
	// another trainer must be added to it first, so its learners are not left without one.
	ErrSoleTrainer = errors.New("the only trainer of a cohort cannot be deleted")
)

// DeletedUser is what DeleteUser changed in live sessions that have not ended, for the
// live service to show their rooms: the questions now by "a deleted user", and the
// sessions whose trainers' view (raised hands, answers by name, presence) changed.
type DeletedUser struct {
	Questions    []LiveQuestionRef
	LiveSessions []int64
}

// LiveQuestionRef names one question of a live session.
type LiveQuestionRef struct {
	SessionID, QuestionID int64
}

// SoleTrainerCohorts lists the cohorts whose only trainer is the user: DeleteUser refuses
// while there are any.
func (s *Store) SoleTrainerCohorts(ctx context.Context, userID int64) ([]model.Cohort, error) {
	return soleTrainerCohorts(ctx, s.db, userID)
}

func soleTrainerCohorts(ctx context.Context, db bun.IDB, userID int64) ([]model.Cohort, error) {
	var out []model.Cohort
	others := db.NewSelect().TableExpr("cohort_members AS o").ColumnExpr("1").
		Where("o.cohort_id = m.cohort_id").Where("o.role = ?", model.CohortTrainer).Where("o.user_id <> ?", userID)
	mine := db.NewSelect().TableExpr("cohort_members AS m").Column("m.cohort_id").
		Where("m.user_id = ?", userID).Where("m.role = ?", model.CohortTrainer).
		Where("NOT EXISTS (?)", others)
	err := db.NewSelect().Model(&out).Where("id IN (?)", mine).Order("id").Scan(ctx)
	return out, err
}

// DeleteUser deletes an account and every row about the person, in one transaction:
// sessions, recovery codes, reset links, enrolments, progress, checklist ticks, the saved
// intake plan, quiz
// attempts, cohort memberships (as learner or trainer), the session plans they own (with
// their steps and the sessions' and cohorts' use of them), live attendance and visit
// leases (presence without JavaScript), raised hands,
// upvotes, the guard rows of their votes, and the bodies of recent live events of the
// sessions they were in (which may name them). What belongs to a live session stays without
// them: a named question keeps its text and is marked as by a deleted user; an answer to a
// named open-text poll keeps its text without a writer; a vote stays in the counts (the
// poll's departed_voters keeps its number of voters). Anonymous acts were never linked to
// the person and are not touched. Invitations, cohorts and live sessions they created stay,
// without their creator.
//
// It refuses with ErrLastAdmin for the only administrator and with ErrSoleTrainer while
// the user is a cohort's only trainer; ErrNotFound when there is no such account.
func (s *Store) DeleteUser(ctx context.Context, userID int64) (*DeletedUser, error) {
	out := &DeletedUser{}
	err := database.SecureDelete(ctx, s.db, func() error {
		return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			*out = DeletedUser{}
			return deleteUser(ctx, tx, userID, out)
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func deleteUser(ctx context.Context, tx bun.Tx, userID int64, out *DeletedUser) error {
	// The last enabled administrator stays (keepAnAdmin also locks the rows involved).
	if err := keepAnAdmin(ctx, tx, userID); err != nil {
		return err
	}
	sole, err := soleTrainerCohorts(ctx, tx, userID)
	if err != nil {
		return err
	}
	if len(sole) > 0 {
		return ErrSoleTrainer
	}

	// Live sessions the person acted in: their kept event bodies go, and the rooms of those
	// still running are told what changed.
	touched := tx.NewSelect().TableExpr("live_attendance").Column("session_id").Where("user_id = ?", userID).
		UnionAll(tx.NewSelect().TableExpr("live_questions").Column("session_id").Where("user_id = ?", userID)).
		UnionAll(tx.NewSelect().TableExpr("live_hands").Column("session_id").Where("user_id = ?", userID)).
		UnionAll(tx.NewSelect().TableExpr("live_question_upvotes AS u").Column("q.session_id").
			Join("JOIN live_questions AS q ON q.id = u.question_id").Where("u.user_id = ?", userID)).
		UnionAll(tx.NewSelect().TableExpr("live_poll_voters AS v").Column("p.session_id").
			Join("JOIN live_polls AS p ON p.id = v.poll_id").Where("v.user_id = ?", userID)).
		UnionAll(tx.NewSelect().TableExpr("live_poll_answers AS a").Column("p.session_id").
			Join("JOIN live_polls AS p ON p.id = a.poll_id").Where("a.user_id = ?", userID)).
		UnionAll(tx.NewSelect().TableExpr("live_sessions").Column("id").Where("created_by = ?", userID))
	var sessions []model.LiveSession
	if err := tx.NewSelect().Model(&sessions).Column("id", "ended_at").Where("id IN (?)", touched).Order("id").Scan(ctx); err != nil {
		return fmt.Errorf("find live sessions: %w", err)
	}
	var sessionIDs []int64
	for _, ls := range sessions {
		sessionIDs = append(sessionIDs, ls.ID)
		if ls.EndedAt == nil {
			out.LiveSessions = append(out.LiveSessions, ls.ID)
		}
	}
	if len(out.LiveSessions) > 0 {
		var qs []model.LiveQuestion
		if err := tx.NewSelect().Model(&qs).Column("id", "session_id").Where("user_id = ?", userID).
			Where("session_id IN (?)", bun.List(out.LiveSessions)).Order("session_id", "id").Scan(ctx); err != nil {
			return err
		}
		for _, q := range qs {
			out.Questions = append(out.Questions, LiveQuestionRef{SessionID: q.SessionID, QuestionID: q.ID})
		}
	}

	byUser := func(m any) *bun.DeleteQuery { return tx.NewDelete().Model(m).Where("user_id = ?", userID) }
	ownPlans := tx.NewSelect().Model((*model.SessionPlan)(nil)).Column("id").Where("owner_id = ?", userID)
	type execer interface {
		Exec(ctx context.Context, dest ...any) (sql.Result, error)
	}
	steps := []struct {
		what string
		q    execer
	}{
		// Live sessions: what belongs to the session stays, without the person.
		{"named questions", tx.NewUpdate().Model((*model.LiveQuestion)(nil)).
			Set("user_id = NULL").Set("author_deleted = ?", true).Where("user_id = ?", userID)},
		{"named answers", tx.NewUpdate().Model((*model.LivePollAnswer)(nil)).
			Set("user_id = NULL").Where("user_id = ?", userID)},
		{"voters counted", tx.NewUpdate().Model((*model.LivePoll)(nil)).Set("departed_voters = departed_voters + 1").
			Where("id IN (?)", tx.NewSelect().Model((*model.LivePollVoter)(nil)).Column("poll_id").Where("user_id = ?", userID))},
		{"vote guards", byUser((*model.LivePollVoter)(nil))},
		{"upvotes", byUser((*model.LiveQuestionUpvote)(nil))},
		{"raised hands", byUser((*model.LiveHand)(nil))},
		// A visit lease is one person's presence without JavaScript; its id is a digest of
		// session and user that anyone can recompute. Its attendance rows name it.
		{"visit leases", tx.NewDelete().Model((*model.LiveInstance)(nil)).Where("id LIKE ?", VisitPrefix+"%").
			Where("id IN (?)", tx.NewSelect().Model((*model.LiveAttendance)(nil)).Column("instance_id").Where("user_id = ?", userID))},
		{"attendance", byUser((*model.LiveAttendance)(nil))},
		// Learning.
		{"checklist ticks", byUser((*model.ChecklistTick)(nil))},
		{"intake plan", byUser((*model.IntakePlan)(nil))},
		{"lesson progress", byUser((*model.LessonProgress)(nil))},
		{"quiz attempts", byUser((*model.QuizAttempt)(nil))},
		{"enrolments", byUser((*model.Enrollment)(nil))},
		// Cohorts, as learner or trainer.
		{"cohort memberships", byUser((*model.CohortMember)(nil))},
		// Session plans they own, and every use of them.
		{"plan steps", tx.NewDelete().Model((*model.PlanStep)(nil)).Where("plan_id IN (?)", ownPlans)},
		{"plans of sessions", tx.NewDelete().Model((*model.LiveSessionPlan)(nil)).Where("plan_id IN (?)", ownPlans)},
		{"plans of cohorts", tx.NewDelete().Model((*model.CohortPlan)(nil)).Where("plan_id IN (?)", ownPlans)},
		{"plans", tx.NewDelete().Model((*model.SessionPlan)(nil)).Where("owner_id = ?", userID)},
		// What they created for others stays, without its creator.
		{"invitations", tx.NewUpdate().Model((*model.Invite)(nil)).Set("created_by = NULL").Where("created_by = ?", userID)},
		{"cohorts", tx.NewUpdate().Model((*model.Cohort)(nil)).Set("created_by = NULL").Where("created_by = ?", userID)},
		{"live sessions", tx.NewUpdate().Model((*model.LiveSession)(nil)).Set("created_by = NULL").Where("created_by = ?", userID)},
		// The audit log keeps what was done, by and to "a deleted user" (migration 0021).
		{"audit actor", tx.NewUpdate().Model((*model.AuditEntry)(nil)).Set("actor_id = NULL").Set("actor_name = ''").
			Where("actor_id = ?", userID)},
		{"audit target", tx.NewUpdate().Model((*model.AuditEntry)(nil)).Set("target_id = NULL").Set("target_name = ''").
			Where("target_kind = ?", model.TargetUser).Where("target_id = ?", userID)},
		// The account.
		{"sessions", byUser((*model.Session)(nil))},
		{"recovery codes", byUser((*model.RecoveryCode)(nil))},
		{"reset links", byUser((*model.PasswordReset)(nil))},
		{"account", tx.NewDelete().Model((*model.User)(nil)).Where("id = ?", userID)},
	}
	if len(sessionIDs) > 0 {
		// The bodies of recent events of those sessions (a question event names its author).
		// Clients that reconnect to them get a snapshot instead of a replay.
		steps = append(steps, struct {
			what string
			q    execer
		}{"kept live events", tx.NewDelete().Model((*model.LiveEvent)(nil)).Where("session_id IN (?)", bun.List(sessionIDs))})
	}
	for _, st := range steps {
		if _, err := st.q.Exec(ctx); err != nil {
			return fmt.Errorf("delete account: %s: %w", st.what, err)
		}
	}
	return nil
}
