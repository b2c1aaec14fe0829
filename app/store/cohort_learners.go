package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/database"
	"github.com/cairn-lms/cairn/app/model"
)

// The trainer's dashboard reads a cohort of any size a page at a time: which learners, in
// which order and the cohort's totals are worked out by the database, so neither the page
// nor the CSV export ever holds every learner in memory.

// LearnerSort is an order of the dashboard's learner table.
type LearnerSort string

// Orders of the learner table. Ties are broken by name, then account, so pages never
// overlap.
const (
	SortByName     LearnerSort = "name"
	SortByProgress LearnerSort = "progress"
	SortByActivity LearnerSort = "activity"
)

// LearnerFilter says which of a cohort's learners to read, and in what order.
type LearnerFilter struct {
	CohortID int64
	CourseID string
	Lessons  []string // the course's lessons now: progress on a removed lesson does not count
	Quizzes  []string // the course's quizzes (module ids) now
	// Search keeps learners whose shown name contains it, in any case, with or without
	// accents; "" keeps everyone.
	Search string
	// QuietSince: a learner whose last activity is before it is quiet. OnlyQuiet keeps them
	// alone. A learner whose account an administrator disabled is never quiet: they cannot
	// sign in, and no reminder from the trainer would reach them through Cairn.
	QuietSince time.Time
	OnlyQuiet  bool
	// HideDisabled leaves out the learners whose accounts are disabled (they are kept, with
	// their progress, and shown marked otherwise).
	HideDisabled bool
	Sort         LearnerSort
	Desc         bool
}

// LearnerLine is one learner as the dashboard lists them. Their last activity is the latest
// of joining the cohort, working on the course and attending one of the cohort's live
// sessions (attendance is kept for the retention period only).
type LearnerLine struct {
	UserID        int64     `bun:"user_id"`
	Username      string    `bun:"username"`
	DisplayName   string    `bun:"display_name"`
	NameKey       string    `bun:"name_key"`
	LessonsDone   int       `bun:"lessons_done"`
	QuizzesPassed int       `bun:"quizzes_passed"`
	LastActivity  time.Time `bun:"last_activity"`
	// Disabled: an administrator disabled the account (users.disabled_at); it stays in the
	// cohort with its progress.
	Disabled bool `bun:"disabled"`
}

// Name is what the trainer sees: the display name, else the username.
func (l LearnerLine) Name() string {
	if l.DisplayName != "" {
		return l.DisplayName
	}
	return l.Username
}

// CohortTotals sums up a whole cohort, whatever the filter shows. Learners whose accounts
// are disabled are counted in every total (learners, completions, the progress sum) and
// also apart (Disabled), but never among the quiet.
type CohortTotals struct {
	Learners int `bun:"learners"`
	Matching int `bun:"matching"` // learners the filter's search, quiet and disabled choices keep
	Quiet    int `bun:"quiet"`
	Complete int `bun:"complete"`
	Disabled int `bun:"disabled"`
	// PercentSum is the sum of every learner's progress in percent (for the average).
	PercentSum int `bun:"percent_sum"`
}

// CohortLearners returns one page of the filter's learners in its order.
func (s *Store) CohortLearners(ctx context.Context, f LearnerFilter, limit, offset int) ([]LearnerLine, error) {
	q := s.learnerLines(f, &learnerPage{limit: limit, offset: offset})
	var lines []LearnerLine
	if err := s.db.NewRaw(q.sql, q.args...).Scan(ctx, &lines); err != nil {
		return nil, fmt.Errorf("cohort %d learners: %w", f.CohortID, err)
	}
	return lines, nil
}

// EachCohortLearner calls fn with every learner of the filter's cohort (its search, quiet
// and disabled choices do not apply), chunk by chunk, in the order their
// accounts were made (the export's order: each chunk is a range of the membership index,
// whatever the cohort's size; a spreadsheet sorts by name). Each chunk is read in full
// before fn runs, so fn may query the database (SQLite has one connection) and the
// connection is free between chunks.
func (s *Store) EachCohortLearner(ctx context.Context, f LearnerFilter, chunk int, fn func([]LearnerLine) error) error {
	// Every learner: a chunk cut before the quiet are known would end the loop early.
	f.Search, f.OnlyQuiet, f.HideDisabled = "", false, false
	page := &learnerPage{limit: chunk, byAccount: true}
	for {
		q := s.learnerLines(f, page)
		var lines []LearnerLine
		if err := s.db.NewRaw(q.sql, q.args...).Scan(ctx, &lines); err != nil {
			return fmt.Errorf("cohort %d learners: %w", f.CohortID, err)
		}
		if len(lines) == 0 {
			return nil
		}
		if err := fn(lines); err != nil {
			return err
		}
		if len(lines) < chunk {
			return nil
		}
		page.afterUser = lines[len(lines)-1].UserID
	}
}

// CohortTotals counts the whole cohort: learners, those the filter keeps, the quiet, those
// who completed the course, and the sum of their progress.
func (s *Store) CohortTotals(ctx context.Context, f LearnerFilter) (CohortTotals, error) {
	all := f
	all.Search, all.OnlyQuiet, all.HideDisabled = "", false, false
	q := s.learnerLines(all, nil)
	match := []string{"1 = 1"}
	var matchArgs []any
	if f.Search != "" {
		match = append(match, `name_key LIKE ? ESCAPE '\'`)
		matchArgs = append(matchArgs, likeContains(NameKey(f.Search)))
	}
	if f.OnlyQuiet {
		match = append(match, "last_activity < ? AND NOT disabled")
		matchArgs = append(matchArgs, f.QuietSince)
	}
	if f.HideDisabled {
		match = append(match, "NOT disabled")
	}
	percent := "0"
	var percentArgs []any
	if total := len(f.Lessons) + len(f.Quizzes); total > 0 {
		percent, percentArgs = "(lessons_done + quizzes_passed) * 100 / ?", []any{total}
	}
	q.sql += `
SELECT COUNT(*) AS learners,
  CAST(COALESCE(SUM(CASE WHEN ` + strings.Join(match, " AND ") + ` THEN 1 ELSE 0 END), 0) AS BIGINT) AS matching,
  CAST(COALESCE(SUM(CASE WHEN last_activity < ? AND NOT disabled THEN 1 ELSE 0 END), 0) AS BIGINT) AS quiet,
  CAST(COALESCE(SUM(CASE WHEN lessons_done = ? AND quizzes_passed = ? THEN 1 ELSE 0 END), 0) AS BIGINT) AS complete,
  CAST(COALESCE(SUM(CASE WHEN disabled THEN 1 ELSE 0 END), 0) AS BIGINT) AS disabled,
  CAST(COALESCE(SUM(` + percent + `), 0) AS BIGINT) AS percent_sum
FROM lines`
	q.args = append(q.args, matchArgs...)
	q.args = append(q.args, f.QuietSince, len(f.Lessons), len(f.Quizzes))
	q.args = append(q.args, percentArgs...)
	var t CohortTotals
	if err := s.db.NewRaw(q.sql, q.args...).Scan(ctx, &t); err != nil {
		return t, fmt.Errorf("cohort %d totals: %w", f.CohortID, err)
	}
	return t, nil
}

// learnerPage is a page of lines: by offset in the filter's order, or (byAccount) the
// accounts after afterUser, in the order they were made.
type learnerPage struct {
	limit, offset int
	byAccount     bool
	afterUser     int64
}

type rawQuery struct {
	sql  string
	args []any
}

// learnerLines builds the query of the filter's learners with their progress and last
// activity, as the CTE "lines" followed by a SELECT from it (or, with page nil, the CTE
// alone for the caller to finish). Each learner's counts are subqueries on the indexes of
// their own rows (progress by user, attendance by session and user), so the cost grows with
// the learners read, not with every pair of tables. Sorted by name, the page is cut before
// the counts are made, so that reading page 3 of 50,000 costs 50 learners' counts; the other
// orders need everyone's.
func (s *Store) learnerLines(f LearnerFilter, page *learnerPage) rawQuery {
	var q rawQuery
	arg := func(a ...any) { q.args = append(q.args, a...) }
	dir := "ASC"
	if f.Desc {
		dir = "DESC"
	}
	byAccount := page != nil && page.byAccount
	cutEarly := byAccount || page != nil && f.Sort == SortByName && !f.OnlyQuiet

	w := &strings.Builder{}
	// The totals read every line several times: worked out once, not once per use.
	materialized := ""
	if page == nil {
		materialized = "MATERIALIZED "
	}
	w.WriteString(`WITH lines AS ` + materialized + `(
  SELECT l.user_id, l.username, l.display_name, l.name_key, l.disabled,
    (SELECT COUNT(*) FROM lesson_progress AS lp
      WHERE lp.user_id = l.user_id AND lp.course_id = ? AND ` + inList("lp.lesson_id", len(f.Lessons)) + `) AS lessons_done,
    (SELECT COUNT(DISTINCT qa.quiz_id) FROM quiz_attempts AS qa
      WHERE qa.user_id = l.user_id AND qa.course_id = ? AND qa.passed = ? AND ` + inList("qa.quiz_id", len(f.Quizzes)) + `) AS quizzes_passed,
    ` + s.greatest() + `(l.joined_at, COALESCE(e.last_activity_at, l.joined_at), COALESCE((
      SELECT MAX(COALESCE(la.left_at, la.joined_at)) FROM live_attendance AS la
      WHERE la.user_id = l.user_id AND la.session_id IN (SELECT ls.id FROM live_sessions AS ls WHERE ls.cohort_id = ?)
    ), l.joined_at)) AS last_activity
  FROM (`)
	arg(f.CourseID)
	if len(f.Lessons) > 0 {
		arg(bun.List(f.Lessons))
	}
	arg(f.CourseID, true)
	if len(f.Quizzes) > 0 {
		arg(bun.List(f.Quizzes))
	}
	arg(f.CohortID)
	if byAccount {
		// A range of the membership index first, the accounts of that range only then.
		w.WriteString(`
    SELECT m.user_id, m.joined_at, u.username, u.display_name, u.name_key, u.disabled_at IS NOT NULL AS disabled
    FROM (SELECT cm.user_id, cm.joined_at FROM cohort_members AS cm
      WHERE cm.cohort_id = ? AND cm.role = ? AND cm.user_id > ? ORDER BY cm.user_id ASC LIMIT ?) AS m
    JOIN users AS u ON u.id = m.user_id`)
		arg(f.CohortID, model.CohortLearner, page.afterUser, page.limit)
	} else {
		w.WriteString(`
    SELECT cm.user_id, cm.joined_at, u.username, u.display_name, u.name_key, u.disabled_at IS NOT NULL AS disabled
    FROM cohort_members AS cm JOIN users AS u ON u.id = cm.user_id
    WHERE cm.cohort_id = ? AND cm.role = ?`)
		arg(f.CohortID, model.CohortLearner)
		if f.HideDisabled {
			w.WriteString(` AND u.disabled_at IS NULL`)
		}
		if f.Search != "" {
			w.WriteString(` AND u.name_key LIKE ? ESCAPE '\'`)
			arg(likeContains(NameKey(f.Search)))
		}
		if cutEarly {
			fmt.Fprintf(w, "\n    ORDER BY u.name_key %s, u.id %s LIMIT ? OFFSET ?", dir, dir)
			arg(page.limit, page.offset)
		}
	}
	w.WriteString(`
  ) AS l
  LEFT JOIN enrollments AS e ON e.user_id = l.user_id AND e.course_id = ?
)`)
	arg(f.CourseID)
	if page == nil {
		q.sql = w.String()
		return q
	}
	w.WriteString("\nSELECT user_id, username, display_name, name_key, disabled, lessons_done, quizzes_passed, last_activity FROM lines")
	if f.OnlyQuiet {
		w.WriteString(" WHERE last_activity < ? AND NOT disabled")
		arg(f.QuietSince)
	}
	switch {
	case byAccount:
		w.WriteString(" ORDER BY user_id ASC")
	case f.Sort == SortByProgress:
		fmt.Fprintf(w, " ORDER BY lessons_done + quizzes_passed %s, name_key ASC, user_id ASC", dir)
	case f.Sort == SortByActivity:
		fmt.Fprintf(w, " ORDER BY last_activity %s, name_key ASC, user_id ASC", dir)
	default:
		fmt.Fprintf(w, " ORDER BY name_key %s, user_id %s", dir, dir)
	}
	if !cutEarly {
		w.WriteString(" LIMIT ? OFFSET ?")
		arg(page.limit, page.offset)
	}
	q.sql = w.String()
	return q
}

// greatest is the SQL function of the latest of several times: SQLite's MAX with several
// arguments is PostgreSQL's GREATEST (both compare the stored UTC times in order).
func (s *Store) greatest() string {
	if database.IsPostgres(s.db) {
		return "GREATEST"
	}
	return "MAX"
}

// inList is "column IN (?)", or a condition nothing meets when the list is empty (an empty
// IN list is not SQL).
func inList(column string, n int) string {
	if n == 0 {
		return "1 = 0"
	}
	return column + " IN (?)"
}

// likeContains is a LIKE pattern (escape character \) matching any text that contains s.
func likeContains(s string) string {
	return "%" + strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(s) + "%"
}

// LearnerDetails is the rest of what the learner table shows of some learners: the lessons
// they completed, their best score in each quiz and whether they passed it.
type LearnerDetails struct {
	Done   map[int64]map[string]bool // user → lesson ids
	Best   map[int64]map[string]int  // user → quiz id → best percent
	Passed map[int64]map[string]bool // user → quiz id → passed at least once
}

// CohortLearnerDetails loads the details of a page of learners (two queries, whatever the
// cohort's size).
func (s *Store) CohortLearnerDetails(ctx context.Context, courseID string, userIDs []int64) (LearnerDetails, error) {
	d := LearnerDetails{Done: map[int64]map[string]bool{}, Best: map[int64]map[string]int{}, Passed: map[int64]map[string]bool{}}
	if len(userIDs) == 0 {
		return d, nil
	}
	var done []model.LessonProgress
	if err := s.db.NewSelect().Model(&done).Column("user_id", "lesson_id").
		Where("course_id = ?", courseID).Where("user_id IN (?)", bun.List(userIDs)).Scan(ctx); err != nil {
		return d, fmt.Errorf("lessons of a page of learners: %w", err)
	}
	for _, p := range done {
		if d.Done[p.UserID] == nil {
			d.Done[p.UserID] = map[string]bool{}
		}
		d.Done[p.UserID][p.LessonID] = true
	}
	var best []struct {
		UserID int64  `bun:"user_id"`
		QuizID string `bun:"quiz_id"`
		Best   int    `bun:"best"`
		Passed int    `bun:"passed"`
	}
	if err := s.db.NewSelect().Model((*model.QuizAttempt)(nil)).Column("user_id", "quiz_id").
		ColumnExpr("MAX(percent) AS best").ColumnExpr("MAX(CASE WHEN passed THEN 1 ELSE 0 END) AS passed").
		Where("course_id = ?", courseID).Where("user_id IN (?)", bun.List(userIDs)).
		Group("user_id", "quiz_id").Scan(ctx, &best); err != nil {
		return d, fmt.Errorf("best scores of a page of learners: %w", err)
	}
	for _, b := range best {
		if d.Best[b.UserID] == nil {
			d.Best[b.UserID], d.Passed[b.UserID] = map[string]int{}, map[string]bool{}
		}
		d.Best[b.UserID][b.QuizID] = b.Best
		d.Passed[b.UserID][b.QuizID] = b.Passed == 1
	}
	return d, nil
}

// ScoreCount is how many learners' best score in a quiz falls in one band.
type ScoreCount struct {
	QuizID   string `bun:"quiz_id"`
	Band     int    `bun:"band"`
	Learners int    `bun:"learners"`
}

// CohortScoreBands counts, for each quiz (or only quizID, unless it is ""), the cohort's
// learners by the band of their best score: band i holds the scores from i*width, the last
// band everything above.
func (s *Store) CohortScoreBands(ctx context.Context, cohortID int64, courseID, quizID string, width, bands int) ([]ScoreCount, error) {
	only, args := "", []any{width * (bands - 1), bands - 1, width, cohortID, model.CohortLearner, courseID}
	if quizID != "" {
		only, args = " AND qa.quiz_id = ?", append(args, quizID)
	}
	var out []ScoreCount
	err := s.db.NewRaw(`
SELECT quiz_id, band, COUNT(*) AS learners FROM (
  SELECT b.quiz_id, CASE WHEN b.best >= ? THEN ? ELSE b.best / ? END AS band FROM (
    SELECT qa.user_id, qa.quiz_id, MAX(qa.percent) AS best FROM quiz_attempts AS qa
    JOIN cohort_members AS cm ON cm.user_id = qa.user_id AND cm.cohort_id = ? AND cm.role = ?
    WHERE qa.course_id = ?`+only+` GROUP BY qa.user_id, qa.quiz_id
  ) AS b
) AS banded GROUP BY quiz_id, band ORDER BY quiz_id, band`, args...).Scan(ctx, &out)
	if err != nil {
		return nil, fmt.Errorf("cohort %d score bands: %w", cohortID, err)
	}
	return out, nil
}

// LatestAnswers is a learner's latest attempt at a quiz, which the difficulty of its
// questions is worked out from.
type LatestAnswers struct {
	QuizID  string
	Lang    string
	Answers string // JSON, as stored
}

// EachLatestAttempt calls fn with each learner's latest attempt at one quiz of the course,
// read from a cursor: the cohort's attempts are never all in memory. fn must not query the
// database (on SQLite the cursor holds the one connection).
func (s *Store) EachLatestAttempt(ctx context.Context, cohortID int64, courseID, quizID string, fn func(LatestAnswers) error) error {
	rows, err := s.db.QueryContext(ctx, `
SELECT qa.quiz_id, qa.lang, qa.answers FROM quiz_attempts AS qa WHERE qa.id IN (
  SELECT MAX(qa2.id) FROM quiz_attempts AS qa2
  JOIN cohort_members AS cm ON cm.user_id = qa2.user_id AND cm.cohort_id = ? AND cm.role = ?
  WHERE qa2.course_id = ? AND qa2.quiz_id = ? GROUP BY qa2.user_id
)`, cohortID, model.CohortLearner, courseID, quizID)
	if err != nil {
		return fmt.Errorf("cohort %d latest attempts: %w", cohortID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var a LatestAnswers
		if err := rows.Scan(&a.QuizID, &a.Lang, &a.Answers); err != nil {
			return fmt.Errorf("cohort %d latest attempts: %w", cohortID, err)
		}
		if err := fn(a); err != nil {
			return err
		}
	}
	return rows.Err()
}

// CohortTrainers lists a cohort's trainers with their accounts, longest-serving first.
func (s *Store) CohortTrainers(ctx context.Context, cohortID int64) ([]model.CohortMember, error) {
	var members []model.CohortMember
	err := s.db.NewSelect().Model(&members).Relation("User").
		Where("cohort_member.cohort_id = ?", cohortID).Where("cohort_member.role = ?", model.CohortTrainer).
		Order("cohort_member.joined_at ASC").Scan(ctx)
	return members, err
}
