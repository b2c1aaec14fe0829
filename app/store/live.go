package store

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/database"
	"github.com/cairn-lms/cairn/app/model"
)

// Live-session errors callers branch on.
var (
	ErrPollNotOpen   = errors.New("poll is not open")
	ErrAlreadyVoted  = errors.New("already voted")
	ErrSessionClosed = errors.New("session has ended")
)

// CreateLiveSession schedules (or, with start, starts) a session for a cohort.
func (s *Store) CreateLiveSession(ctx context.Context, ls *model.LiveSession, start bool) error {
	now := s.Now()
	ls.CreatedAt = now
	if start {
		ls.StartedAt = &now
	}
	_, err := s.db.NewInsert().Model(ls).Exec(ctx)
	return err
}

// LiveSession loads one session.
func (s *Store) LiveSession(ctx context.Context, id int64) (*model.LiveSession, error) {
	ls := new(model.LiveSession)
	err := s.db.NewSelect().Model(ls).Where("id = ?", id).Scan(ctx)
	return ls, notFound(err)
}

// LiveMembership returns a live session, its cohort and the user's role in the cohort
// ("" when not a member), in one query: it runs on every websocket join, and three
// lookups made joining a crowded session cost more than everything it does after.
func (s *Store) LiveMembership(ctx context.Context, sessionID, userID int64) (*model.LiveSession, *model.Cohort, string, error) {
	var out struct {
		Session model.LiveSession `bun:"embed:s_"`
		Cohort  model.Cohort      `bun:"embed:c_"`
		Role    string            `bun:"role"`
	}
	err := s.db.NewSelect().
		TableExpr("live_sessions AS s").
		Join("JOIN cohorts AS c ON c.id = s.cohort_id").
		Join("LEFT JOIN cohort_members AS m ON m.cohort_id = c.id AND m.user_id = ?", userID).
		ColumnExpr(prefixedColumns(s.db, "s", (*model.LiveSession)(nil))).
		ColumnExpr(prefixedColumns(s.db, "c", (*model.Cohort)(nil))).
		ColumnExpr("COALESCE(m.role, '') AS role").
		Where("s.id = ?", sessionID).
		Scan(ctx, &out)
	if err != nil {
		return nil, nil, "", notFound(err)
	}
	return &out.Session, &out.Cohort, out.Role, nil
}

// prefixedColumns lists a model's columns as alias.column AS alias_column, the names an
// embed:alias_ field scans.
func prefixedColumns(db bun.IDB, alias string, m any) string {
	var b strings.Builder
	for i, f := range db.Dialect().Tables().Get(reflect.TypeOf(m)).Fields {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s.%s AS %s_%s", alias, f.SQLName, alias, f.Name)
	}
	return b.String()
}

// LiveSessions lists a cohort's sessions, newest first.
func (s *Store) LiveSessions(ctx context.Context, cohortID int64) ([]model.LiveSession, error) {
	var out []model.LiveSession
	err := s.db.NewSelect().Model(&out).Where("cohort_id = ?", cohortID).Order("id DESC").Limit(100).Scan(ctx)
	return out, err
}

// LiveChange runs fn in a transaction that first advances the session's sequence number (when
// bump is set) and locks the session row, so changes are numbered in commit order. fn gets
// the number; what it publishes, and how, is the caller's business (it must publish inside
// tx, so that other instances hear of changes in commit order too).
func (s *Store) LiveChange(ctx context.Context, sessionID int64, bump bool, fn func(ctx context.Context, tx bun.Tx, seq int64) error) (seq int64, err error) {
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		ls := new(model.LiveSession)
		q := tx.NewUpdate().Model(ls).Where("id = ?", sessionID).Returning("id, seq, ended_at")
		if bump {
			q = q.Set("seq = seq + 1")
		} else {
			q = q.Set("seq = seq")
		}
		if _, err := q.Exec(ctx); err != nil && !errors.Is(err, errNoRowsSQL) {
			return fmt.Errorf("advance live sequence: %w", err)
		}
		if ls.ID == 0 {
			return ErrNotFound
		}
		if ls.EndedAt != nil {
			return ErrSessionClosed
		}
		seq = ls.Seq
		return fn(ctx, tx, seq)
	})
	return seq, err
}

// LiveChannel is the PostgreSQL NOTIFY channel live events travel on between instances. A
// channel belongs to the whole database, not to a schema, so deployments (or tests) that
// share a database in separate schemas get one each: otherwise session 1 of one would be
// shown the events of session 1 of the other.
func (s *Store) LiveChannel(ctx context.Context) (string, error) {
	s.channelMu.Lock()
	defer s.channelMu.Unlock()
	if s.channel == "" {
		name, err := database.ChannelName(ctx, s.db, "cairn_live")
		if err != nil {
			return "", err // asked again next time: the database may be back
		}
		s.channel = name
	}
	return s.channel, nil
}

// SetStep moves everyone to a lesson (and optionally a section of it).
func SetStep(ctx context.Context, tx bun.Tx, sessionID int64, lesson, section string) error {
	_, err := tx.NewUpdate().Model((*model.LiveSession)(nil)).
		Set("step_lesson = ?", lesson).Set("step_section = ?", section).
		Set("step_kind = ''").Set("step_text = ''").Set("step_minutes = 0").
		Where("id = ?", sessionID).Exec(ctx)
	return err
}

// SetTextStep shows everyone a text instead of a lesson: a discussion prompt or a break
// (kind), with a break's length in minutes.
func SetTextStep(ctx context.Context, tx bun.Tx, sessionID int64, kind, text string, minutes int) error {
	_, err := tx.NewUpdate().Model((*model.LiveSession)(nil)).
		Set("step_lesson = ''").Set("step_section = ''").
		Set("step_kind = ?", kind).Set("step_text = ?", text).Set("step_minutes = ?", minutes).
		Where("id = ?", sessionID).Exec(ctx)
	return err
}

// EndSession marks the session ended and closes its open polls.
func (s *Store) EndSession(ctx context.Context, tx bun.Tx, sessionID int64) error {
	now := s.Now()
	if _, err := tx.NewUpdate().Model((*model.LivePoll)(nil)).Set("status = ?", model.PollClosed).Set("closed_at = ?", now).
		Where("session_id = ?", sessionID).Where("status = ?", model.PollOpen).Exec(ctx); err != nil {
		return err
	}
	if _, err := tx.NewUpdate().Model((*model.LiveAttendance)(nil)).Set("left_at = ?", now).
		Where("session_id = ?", sessionID).Where("left_at IS NULL").Exec(ctx); err != nil {
		return err
	}
	_, err := tx.NewUpdate().Model((*model.LiveSession)(nil)).Set("ended_at = ?", now).Where("id = ?", sessionID).Exec(ctx)
	return err
}

// OpenPoll closes any open poll of the session and opens p.
func (s *Store) OpenPoll(ctx context.Context, tx bun.Tx, p *model.LivePoll) error {
	now := s.Now()
	if _, err := tx.NewUpdate().Model((*model.LivePoll)(nil)).Set("status = ?", model.PollClosed).Set("closed_at = ?", now).
		Where("session_id = ?", p.SessionID).Where("status = ?", model.PollOpen).Exec(ctx); err != nil {
		return err
	}
	p.Status, p.CreatedAt = model.PollOpen, now
	_, err := tx.NewInsert().Model(p).Exec(ctx)
	return err
}

// SetPollStatus closes or reveals a poll of the session.
func (s *Store) SetPollStatus(ctx context.Context, tx bun.Tx, sessionID, pollID int64, status string) (*model.LivePoll, error) {
	p := new(model.LivePoll)
	if err := tx.NewSelect().Model(p).Where("id = ?", pollID).Where("session_id = ?", sessionID).Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	q := tx.NewUpdate().Model((*model.LivePoll)(nil)).Set("status = ?", status).Where("id = ?", pollID)
	if p.ClosedAt == nil {
		now := s.Now()
		q = q.Set("closed_at = ?", now)
		p.ClosedAt = &now
	}
	if _, err := q.Exec(ctx); err != nil {
		return nil, err
	}
	p.Status = status
	return p, nil
}

// PollCounts returns votes per choice and the number of voters (in a multiple-answer poll a
// voter counts once however many answers they ticked), voters whose accounts were deleted
// since included: their votes stay in the counts.
func (s *Store) PollCounts(ctx context.Context, db bun.IDB, pollID int64) (map[string]int, int, error) {
	if db == nil {
		db = s.db
	}
	var rows []model.LivePollCount
	if err := db.NewSelect().Model(&rows).Where("poll_id = ?", pollID).Scan(ctx); err != nil {
		return nil, 0, err
	}
	counts := map[string]int{}
	for _, r := range rows {
		counts[r.Choice] += r.Votes
	}
	var voters int
	guards := db.NewSelect().Model((*model.LivePollVoter)(nil)).ColumnExpr("COUNT(*)").Where("poll_id = ?", pollID)
	if err := db.NewSelect().Model((*model.LivePoll)(nil)).ColumnExpr("departed_voters + (?)", guards).
		Where("id = ?", pollID).Scan(ctx, &voters); err != nil && !errors.Is(err, errNoRowsSQL) {
		return nil, 0, err
	}
	return counts, voters, nil
}

// CurrentPoll returns the session's latest poll (open, closed or revealed), or nil.
func (s *Store) CurrentPoll(ctx context.Context, sessionID int64) (*model.LivePoll, error) {
	return s.CurrentPollIn(ctx, s.db, sessionID)
}

// CurrentPollIn is CurrentPoll read through db: a transaction must read through itself, since
// SQLite has one connection and a read outside it would wait for it to end.
func (s *Store) CurrentPollIn(ctx context.Context, db bun.IDB, sessionID int64) (*model.LivePoll, error) {
	p := new(model.LivePoll)
	err := db.NewSelect().Model(p).Where("session_id = ?", sessionID).Order("id DESC").Limit(1).Scan(ctx)
	if errors.Is(notFound(err), ErrNotFound) {
		return nil, nil
	}
	return p, err
}

// Polls lists a session's polls, oldest first (for the summary).
func (s *Store) Polls(ctx context.Context, sessionID int64) ([]model.LivePoll, error) {
	var out []model.LivePoll
	err := s.db.NewSelect().Model(&out).Where("session_id = ?", sessionID).Order("id ASC").Scan(ctx)
	return out, err
}

// HasVoted tells whether a participant voted in a poll (never which way, for anonymous polls).
func (s *Store) HasVoted(ctx context.Context, pollID, userID int64) (bool, *string, error) {
	v := new(model.LivePollVoter)
	err := s.db.NewSelect().Model(v).Where("poll_id = ?", pollID).Where("user_id = ?", userID).Scan(ctx)
	if errors.Is(notFound(err), ErrNotFound) {
		return false, nil, nil
	}
	if err != nil {
		return false, nil, err
	}
	return true, v.Choice, nil
}

// AddQuestion stores a participant's question. Questions may be anonymous, so nothing
// stored orders one against the rows the same person writes just before or after: the time
// is kept to the minute, and the id is random (below 2^53, so JavaScript holds it exactly)
// instead of the next of a sequence. On SQLite the id is also the row's place in the table.
func (s *Store) AddQuestion(ctx context.Context, tx bun.Tx, q *model.LiveQuestion) error {
	q.CreatedAt = s.Now().Truncate(time.Minute)
	for range 5 {
		q.ID = 1 + rand.Int64N(1<<53-1)
		res, err := tx.NewInsert().Model(q).On("CONFLICT DO NOTHING").Exec(ctx)
		if err != nil || affectedOne(res) {
			return err
		}
	}
	return errors.New("add question: no free random id after 5 tries")
}

// UpvoteQuestion adds one participant's upvote once; it returns the new total, or false
// when this participant had already upvoted.
func (s *Store) UpvoteQuestion(ctx context.Context, tx bun.Tx, sessionID, questionID, userID int64) (*model.LiveQuestion, bool, error) {
	q := new(model.LiveQuestion)
	if err := tx.NewSelect().Model(q).Where("id = ?", questionID).Where("session_id = ?", sessionID).Where("hidden = ?", false).Scan(ctx); err != nil {
		return nil, false, notFound(err)
	}
	res, err := tx.NewInsert().Model(&model.LiveQuestionUpvote{QuestionID: questionID, UserID: userID}).On("CONFLICT DO NOTHING").Exec(ctx)
	if err != nil || !affectedOne(res) {
		return q, false, err
	}
	if _, err := tx.NewUpdate().Model((*model.LiveQuestion)(nil)).Set("upvotes = upvotes + 1").Where("id = ?", questionID).Exec(ctx); err != nil {
		return nil, false, err
	}
	q.Upvotes++
	return q, true, nil
}

// MarkQuestion sets answered or hidden on a question of the session.
func (s *Store) MarkQuestion(ctx context.Context, tx bun.Tx, sessionID, questionID int64, answered, hidden *bool) (*model.LiveQuestion, error) {
	q := tx.NewUpdate().Model((*model.LiveQuestion)(nil)).Where("id = ?", questionID).Where("session_id = ?", sessionID)
	if answered != nil {
		q = q.Set("answered = ?", *answered)
	}
	if hidden != nil {
		q = q.Set("hidden = ?", *hidden)
	}
	res, err := q.Exec(ctx)
	if err != nil {
		return nil, err
	}
	if !affectedOne(res) {
		return nil, ErrNotFound
	}
	out := new(model.LiveQuestion)
	err = tx.NewSelect().Model(out).Relation("User").Where("live_question.id = ?", questionID).Scan(ctx)
	return out, err
}

// QuestionIn loads one question of a session with its author, read through db (the
// transaction of a change).
func (s *Store) QuestionIn(ctx context.Context, db bun.IDB, sessionID, questionID int64) (*model.LiveQuestion, error) {
	q := new(model.LiveQuestion)
	err := db.NewSelect().Model(q).Relation("User").
		Where("live_question.id = ?", questionID).Where("live_question.session_id = ?", sessionID).Scan(ctx)
	return q, notFound(err)
}

// Questions lists a session's questions, most upvoted first; hidden ones only for trainers.
func (s *Store) Questions(ctx context.Context, sessionID int64, withHidden bool) ([]model.LiveQuestion, error) {
	var out []model.LiveQuestion
	q := s.db.NewSelect().Model(&out).Relation("User").Where("live_question.session_id = ?", sessionID)
	if !withHidden {
		q = q.Where("live_question.hidden = ?", false)
	}
	// Ids are random: within a minute the order is arbitrary but stable.
	err := q.Order("live_question.upvotes DESC", "live_question.created_at ASC", "live_question.id ASC").Limit(500).Scan(ctx)
	return out, err
}

// JoinAttendance opens a stretch of presence on a serving instance (see RenewLease);
// LeaveAttendance closes it.
func (s *Store) JoinAttendance(ctx context.Context, sessionID, userID int64, instance string) (int64, error) {
	a := &model.LiveAttendance{SessionID: sessionID, UserID: userID, JoinedAt: s.Now(), InstanceID: &instance}
	_, err := s.db.NewInsert().Model(a).Exec(ctx)
	return a.ID, err
}

// LeaveAttendance closes a stretch of presence.
func (s *Store) LeaveAttendance(ctx context.Context, id int64) error {
	_, err := s.db.NewUpdate().Model((*model.LiveAttendance)(nil)).Set("left_at = ?", s.Now()).Where("id = ?", id).Where("left_at IS NULL").Exec(ctx)
	return err
}

// Joiner is one connection whose stretch of presence begins (JoinAttendances).
type Joiner struct {
	SessionID, UserID int64
}

// JoinAttendances opens a stretch of presence for each joiner, in one statement, and
// returns their ids in the joiners' order: when a room fills, thousands of people join
// within seconds.
func (s *Store) JoinAttendances(ctx context.Context, joiners []Joiner, instance string) ([]int64, error) {
	if len(joiners) == 0 {
		return nil, nil
	}
	now := s.Now()
	rows := make([]model.LiveAttendance, len(joiners))
	for i, j := range joiners {
		rows[i] = model.LiveAttendance{SessionID: j.SessionID, UserID: j.UserID, JoinedAt: now, InstanceID: &instance}
	}
	if _, err := s.db.NewInsert().Model(&rows).Returning("id").Exec(ctx); err != nil {
		return nil, err
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	return ids, nil
}

// LeaveAttendances closes stretches of presence, in one statement.
func (s *Store) LeaveAttendances(ctx context.Context, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	_, err := s.db.NewUpdate().Model((*model.LiveAttendance)(nil)).Set("left_at = ?", s.Now()).Where("id IN (?)", bun.List(ids)).Where("left_at IS NULL").Exec(ctx)
	return err
}

// Attendance lists every stretch of presence with the participant, for the summary.
func (s *Store) Attendance(ctx context.Context, sessionID int64) ([]model.LiveAttendance, error) {
	var out []model.LiveAttendance
	err := s.db.NewSelect().Model(&out).Relation("User").Where("live_attendance.session_id = ?", sessionID).
		Order("live_attendance.user_id ASC", "live_attendance.joined_at ASC").Scan(ctx)
	return out, err
}

// AttendeeRoles maps each person who attended a session to their role in its cohort
// (model.CohortTrainer or model.CohortLearner); people no longer in the cohort are absent.
func (s *Store) AttendeeRoles(ctx context.Context, sessionID, cohortID int64) (map[int64]string, error) {
	var rows []model.CohortMember
	attended := s.db.NewSelect().Model((*model.LiveAttendance)(nil)).Column("user_id").Where("session_id = ?", sessionID)
	if err := s.db.NewSelect().Model(&rows).Column("user_id", "role").Where("cohort_id = ?", cohortID).
		Where("user_id IN (?)", attended).Scan(ctx); err != nil {
		return nil, err
	}
	out := make(map[int64]string, len(rows))
	for _, r := range rows {
		out[r.UserID] = r.Role
	}
	return out, nil
}

// HandRaised tells whether a participant's hand is up.
func (s *Store) HandRaised(ctx context.Context, sessionID, userID int64) (bool, error) {
	return s.db.NewSelect().Model((*model.LiveHand)(nil)).Where("session_id = ?", sessionID).Where("user_id = ?", userID).Exists(ctx)
}

// SetHand raises or lowers a participant's hand.
func (s *Store) SetHand(ctx context.Context, tx bun.Tx, sessionID, userID int64, raised bool) error {
	if raised {
		_, err := tx.NewInsert().Model(&model.LiveHand{SessionID: sessionID, UserID: userID, RaisedAt: s.Now()}).On("CONFLICT DO NOTHING").Exec(ctx)
		return err
	}
	_, err := tx.NewDelete().Model((*model.LiveHand)(nil)).Where("session_id = ?", sessionID).Where("user_id = ?", userID).Exec(ctx)
	return err
}

// Hands lists raised hands, first raised first.
func (s *Store) Hands(ctx context.Context, sessionID int64) ([]model.LiveHand, error) {
	var out []model.LiveHand
	err := s.db.NewSelect().Model(&out).Relation("User").Where("live_hand.session_id = ?", sessionID).Order("live_hand.raised_at ASC").Scan(ctx)
	return out, err
}

// StartSession marks a scheduled session as started.
func (s *Store) StartSession(ctx context.Context, sessionID int64) error {
	_, err := s.db.NewUpdate().Model((*model.LiveSession)(nil)).Set("started_at = ?", s.Now()).
		Where("id = ?", sessionID).Where("started_at IS NULL").Exec(ctx)
	return err
}

// DeleteOldAttendance applies the retention setting.
func (s *Store) DeleteOldAttendance(ctx context.Context, olderThan time.Duration) (int, error) {
	res, err := s.db.NewDelete().Model((*model.LiveAttendance)(nil)).Where("joined_at < ?", s.Now().Add(-olderThan)).Exec(ctx)
	if err != nil {
		return 0, err
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// PresentCount counts the distinct people connected now (open attendance) across every
// instance whose lease still runs: the rows of an instance that stopped without closing
// them stop counting when its lease ends, before they are closed.
func (s *Store) PresentCount(ctx context.Context, sessionID int64) (int, error) {
	var n int
	alive := s.db.NewSelect().Model((*model.LiveInstance)(nil)).Column("id").Where("lease_until >= ?", s.Now())
	err := s.db.NewSelect().Model((*model.LiveAttendance)(nil)).ColumnExpr("COUNT(DISTINCT user_id)").
		Where("session_id = ?", sessionID).Where("left_at IS NULL").Where("instance_id IN (?)", alive).Scan(ctx, &n)
	return n, err
}

// Poll loads one poll of a session.
func (s *Store) Poll(ctx context.Context, sessionID, pollID int64) (*model.LivePoll, error) {
	p := new(model.LivePoll)
	err := s.db.NewSelect().Model(p).Where("id = ?", pollID).Where("session_id = ?", sessionID).Scan(ctx)
	return p, notFound(err)
}

// SkipLiveNumbers advances the sequence number of each running session among ids without an
// event, for a change made where no server can publish one (the command line): the rooms'
// clients see the gap at the next event and catch up from a fresh snapshot, and on
// PostgreSQL every instance's watcher finds the rooms behind at once.
func (s *Store) SkipLiveNumbers(ctx context.Context, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	_, err := s.db.NewUpdate().Model((*model.LiveSession)(nil)).Set("seq = seq + 1").
		Where("id IN (?)", bun.List(ids)).Where("ended_at IS NULL").Exec(ctx)
	return err
}

// LiveSeqs returns the current sequence number of each of the given sessions.
func (s *Store) LiveSeqs(ctx context.Context, ids []int64) (map[int64]int64, error) {
	var rows []model.LiveSession
	if err := s.db.NewSelect().Model(&rows).Column("id", "seq").Where("id IN (?)", bun.List(ids)).Scan(ctx); err != nil {
		return nil, err
	}
	out := make(map[int64]int64, len(rows))
	for _, r := range rows {
		out[r.ID] = r.Seq
	}
	return out, nil
}

// liveAttendanceOf lists a user's stretches of presence in live sessions, for the data export.
func liveAttendanceOf(ctx context.Context, db bun.IDB, userID int64) ([]LiveAttendanceData, error) {
	var out []LiveAttendanceData
	err := db.NewSelect().TableExpr("live_attendance AS a").Join("JOIN live_sessions AS s ON s.id = a.session_id").
		ColumnExpr("a.session_id, s.title AS session_title, a.joined_at, a.left_at").
		Where("a.user_id = ?", userID).OrderExpr("a.joined_at, a.id").Scan(ctx, &out)
	return out, err
}

// namedQuestionsOf lists the questions a user asked under their name, for the data export.
func namedQuestionsOf(ctx context.Context, db bun.IDB, userID int64) ([]LiveQuestionData, error) {
	var out []LiveQuestionData
	err := db.NewSelect().TableExpr("live_questions AS q").Join("JOIN live_sessions AS s ON s.id = q.session_id").
		ColumnExpr("q.session_id, s.title AS session_title, q.body, q.upvotes, q.answered, q.hidden, q.created_at").
		Where("q.user_id = ?", userID).OrderExpr("q.created_at, q.id").Scan(ctx, &out)
	return out, err
}

// upvotesOf lists the questions a user upvoted, for the data export.
func upvotesOf(ctx context.Context, db bun.IDB, userID int64) ([]LiveUpvoteData, error) {
	var out []LiveUpvoteData
	err := db.NewSelect().TableExpr("live_question_upvotes AS u").Join("JOIN live_questions AS q ON q.id = u.question_id").
		ColumnExpr("q.session_id, q.body").
		Where("u.user_id = ?", userID).OrderExpr("q.session_id, q.id").Scan(ctx, &out)
	return out, err
}

// handsOf lists the hands a user has raised now, for the data export.
func handsOf(ctx context.Context, db bun.IDB, userID int64) ([]LiveHandData, error) {
	var out []LiveHandData
	err := db.NewSelect().Model((*model.LiveHand)(nil)).Column("session_id", "raised_at").
		Where("user_id = ?", userID).Order("raised_at").Scan(ctx, &out)
	return out, err
}

// liveSessionsCreatedBy lists the live sessions a user created, for the data export.
func liveSessionsCreatedBy(ctx context.Context, db bun.IDB, userID int64) ([]CreatedData, error) {
	var out []CreatedData
	err := db.NewSelect().Model((*model.LiveSession)(nil)).ColumnExpr("id, title AS name, created_at").
		Where("created_by = ?", userID).Order("id").Scan(ctx, &out)
	return out, err
}
