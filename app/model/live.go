package model

import (
	"time"

	"github.com/uptrace/bun"
)

// LiveSession is a trainer-led session of a cohort. Its state (current step, polls,
// questions, attendance) lives in the database; seq counts the changes every participant sees.
type LiveSession struct {
	ID          int64      `bun:"id,pk,autoincrement"`
	CohortID    int64      `bun:"cohort_id"`
	Title       string     `bun:"title"`
	ScheduledAt *time.Time `bun:"scheduled_at"`
	StartedAt   *time.Time `bun:"started_at"`
	EndedAt     *time.Time `bun:"ended_at"`
	StepLesson  string     `bun:"step_lesson"`
	StepSection string     `bun:"step_section"`
	Seq         int64      `bun:"seq"`
	CreatedBy   *int64     `bun:"created_by"`
	CreatedAt   time.Time  `bun:"created_at"`

	// A step that is a text for everyone instead of a lesson (session plans): its kind
	// (PlanDiscussion or PlanBreak), text and, for a break, length in minutes.
	StepKind    string `bun:"step_kind"`
	StepText    string `bun:"step_text"`
	StepMinutes int    `bun:"step_minutes"`
}

// Live poll kinds and states.
const (
	PollKindPoll  = "poll"
	PollKindQuiz  = "quiz"
	PollKindScale = "scale" // a choice among 1 to 5, with words at the two ends
	PollKindText  = "text"  // one short answer each, shown as a word cloud

	// How participants answer: by choosing among the poll's options (the default), or, for
	// a quiz question graded on the server, by typing an answer or by putting the options
	// in order. A graded answer is counted as GradedRight or GradedWrong; what was typed or
	// the order given is not kept.
	AnswerChoice   = ""
	AnswerShort    = "short"
	AnswerOrdering = "ordering"
	// AnswerText is an open-text poll's: what was typed is kept (LivePollAnswer), never in
	// the counts.
	AnswerText  = "text"
	GradedRight = "right"
	GradedWrong = "wrong"

	PollOpen     = "open"
	PollClosed   = "closed"
	PollRevealed = "revealed"
)

// LivePoll is a question put to everyone in a session: an ad-hoc poll or a quiz question.
type LivePoll struct {
	ID         int64  `bun:"id,pk,autoincrement"`
	SessionID  int64  `bun:"session_id"`
	Kind       string `bun:"kind"`
	QuizModule string `bun:"quiz_module"`
	QuestionID string `bun:"question_id"`
	Prompt     string `bun:"prompt"`
	Options    string `bun:"options"`     // JSON [{"id":"a","text":"…"}], as participants see them
	OptionKeys string `bun:"option_keys"` // quiz questions: JSON list of the author's option ids, in Options' order; never sent
	Anonymous  bool   `bun:"anonymous"`
	Multiple   bool   `bun:"multiple"`    // several answers may be ticked
	AnswerForm string `bun:"answer_form"` // AnswerChoice, AnswerShort, AnswerOrdering or AnswerText
	MinGroup   int    `bun:"min_group"`
	// A scale poll's words at its two ends (either may be empty).
	LowLabel  string `bun:"low_label"`
	HighLabel string `bun:"high_label"`
	// An open-text poll's words hidden from its cloud: a JSON list of wordcloud keys.
	HiddenWords string `bun:"hidden_words"`
	// Uncounted is how many anonymous votes were recorded without their choice: they came
	// in a batch of fewer than MinGroup voters (see store.RecordAnonymousVotes).
	Uncounted int `bun:"uncounted"`
	// DepartedVoters is how many of its voters' accounts were deleted since: their votes
	// stay in the counts, their guard rows are gone (store.DeleteUser).
	DepartedVoters int        `bun:"departed_voters"`
	Status         string     `bun:"status"`
	CreatedAt      time.Time  `bun:"created_at"`
	ClosedAt       *time.Time `bun:"closed_at"`
}

// LivePollVoter guards one vote per participant; Choice is nil for anonymous polls, and the
// ticked option ids joined by commas for a multiple-answer poll.
type LivePollVoter struct {
	PollID  int64     `bun:"poll_id,pk"`
	UserID  int64     `bun:"user_id,pk"`
	Choice  *string   `bun:"choice"`
	VotedAt time.Time `bun:"voted_at"`
}

// LivePollAnswer is one answer to an open-text poll. UserID is nil when the poll is
// anonymous: such answers are written in mixed batches with random ids (see
// store.RecordAnonymousVotes), and carry no time.
type LivePollAnswer struct {
	PollID int64  `bun:"poll_id,pk"`
	ID     int64  `bun:"id,pk"`
	UserID *int64 `bun:"user_id"`
	Body   string `bun:"body"`

	User *User `bun:"rel:belongs-to,join:user_id=id"`
}

// LivePollCount is part of the number of votes for one option (see the migration: an
// option's count is the sum of its shards).
type LivePollCount struct {
	PollID int64  `bun:"poll_id,pk"`
	Choice string `bun:"choice,pk"`
	Shard  int    `bun:"shard,pk"`
	Votes  int    `bun:"votes"`
}

// LiveQuestion is a participant's question; UserID is nil when asked anonymously, and when
// its author's account was deleted (AuthorDeleted then tells the two apart).
type LiveQuestion struct {
	ID            int64     `bun:"id,pk,autoincrement"`
	SessionID     int64     `bun:"session_id"`
	UserID        *int64    `bun:"user_id"`
	AuthorDeleted bool      `bun:"author_deleted"`
	Body          string    `bun:"body"`
	Upvotes       int       `bun:"upvotes"`
	Answered      bool      `bun:"answered"`
	Hidden        bool      `bun:"hidden"`
	CreatedAt     time.Time `bun:"created_at"`

	User *User `bun:"rel:belongs-to,join:user_id=id"`
}

// LiveQuestionUpvote guards one upvote per participant per question.
type LiveQuestionUpvote struct {
	QuestionID int64 `bun:"question_id,pk"`
	UserID     int64 `bun:"user_id,pk"`
}

// LiveAttendance is one stretch of presence in a session.
type LiveAttendance struct {
	bun.BaseModel `bun:"table:live_attendance"`

	ID        int64      `bun:"id,pk,autoincrement"`
	SessionID int64      `bun:"session_id"`
	UserID    int64      `bun:"user_id"`
	JoinedAt  time.Time  `bun:"joined_at"`
	LeftAt    *time.Time `bun:"left_at"`
	// InstanceID is the serving instance that holds the connection (LiveInstance).
	InstanceID *string `bun:"instance_id"`

	User *User `bun:"rel:belongs-to,join:user_id=id"`
}

// LiveInstance is a serving instance's lease: while it lasts, the attendance rows the
// instance opened are people connected now.
type LiveInstance struct {
	bun.BaseModel `bun:"table:live_instances"`

	ID         string    `bun:"id,pk"`
	RenewedAt  time.Time `bun:"renewed_at"`
	LeaseUntil time.Time `bun:"lease_until"`
}

// LiveHand is a raised hand.
type LiveHand struct {
	SessionID int64     `bun:"session_id,pk"`
	UserID    int64     `bun:"user_id,pk"`
	RaisedAt  time.Time `bun:"raised_at"`

	User *User `bun:"rel:belongs-to,join:user_id=id"`
}

// LiveEvent is a numbered event's body, kept for a few minutes so that instances can fetch
// one too large to notify and clients can catch up from their number.
type LiveEvent struct {
	SessionID int64     `bun:"session_id,pk"`
	Seq       int64     `bun:"seq,pk"`
	Audience  string    `bun:"audience"`
	Body      string    `bun:"body"`
	CreatedAt time.Time `bun:"created_at"`
}
