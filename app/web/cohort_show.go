package web

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/cohort"
	"github.com/cairn-lms/cairn/app/course"
	"github.com/cairn-lms/cairn/app/locale"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
)

// learnersPerPage bounds the learner table: a page stays light on a phone whatever the
// cohort's size (5,000 learners on one page made 2.6 MB).
const learnersPerPage = 50

type cohortData struct {
	Cohort      *model.Cohort
	Course      *course.Course
	CourseTitle course.Text
	Role        string
	JoinCode    string
	JoinLink    string
	Sessions    []model.LiveSession

	// The trainer's dashboard.
	Trainers []model.CohortMember
	Table    learnerTable
	Totals   store.CohortTotals
	// CountedAt: the totals and score bands of a large cohort were counted then, not now
	// (cohort_summary.go).
	CountedAt *time.Time
	Average   int // mean progress of the whole cohort, in percent
	Modules   []moduleColumn
	Learners  []cohort.LearnerRow
	Quizzes   []cohort.QuizStats
	Bands     []string // the score bands' labels, in the reader's language
	// FellBack: a module's title is not in the reader's language and is shown in the
	// course's own (the quiz page says so for its questions).
	FellBack bool
}

// moduleColumn is a module of the course as a column of the learner table.
type moduleColumn struct {
	ID, Title, Lang string
	Quiz            bool
}

// Dir is the writing direction of a language, for text shown in another language than the
// page's.
func (cohortData) Dir(tag string) string { return locale.Dir(tag) }

// showCohort is the trainer's dashboard, or for a learner the cohort's page.
func (s *Server) showCohort(c *fiber.Ctx) error {
	co, role, err := s.cohortAccess(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	crs := s.cohortCourse(co)
	if crs == nil {
		return fiber.ErrNotFound
	}
	reader := lang(c)
	d := cohortData{Cohort: co, Course: crs, CourseTitle: crs.TextIn(crs.Title, reader), Role: role}
	if d.Sessions, err = s.store.LiveSessions(ctx, co.ID); err != nil {
		return err
	}
	if role != model.CohortTrainer {
		return s.renderTitled(c, fiber.StatusOK, "cohort_learner", co.Name, d)
	}
	if co.JoinCode != nil {
		d.JoinCode = formatJoinCode(*co.JoinCode)
		d.JoinLink = s.sendableLink("/join?code=" + *co.JoinCode)
	}
	d.Table = readLearnerTable(c, co.ID)
	f := learnerFilter(co, crs, d.Table, s.now())

	// The whole cohort's totals first: they say how many pages there are.
	sum, err := s.cohortSummary(ctx, f, d.Table)
	if err != nil {
		return err
	}
	d.Totals = sum.Totals
	// Not At against the clock read again: on a real clock a fresh count is already in the
	// past, and every small cohort said its totals were counted a minute at a time.
	if sum.Cached && !sum.At.Equal(s.now()) {
		d.CountedAt = &sum.At
	}
	if d.Totals.Learners > 0 {
		d.Average = d.Totals.PercentSum / d.Totals.Learners
	}
	d.Table.paginate(d.Totals.Matching)
	lines, err := s.store.CohortLearners(ctx, f, learnersPerPage, (d.Table.Page-1)*learnersPerPage)
	if err != nil {
		return err
	}
	d.Table.shown(len(lines))
	if d.Learners, err = s.learnerRows(ctx, crs, lines, f.QuietSince); err != nil {
		return err
	}

	// Each quiz's score distribution; which questions learners miss is on the quiz's own
	// page (cohort_quiz_show.go): it re-grades every learner's latest attempt.
	d.Quizzes = cohort.Quizzes(crs, sum.Bands, nil, reader)
	d.Bands = bandLabels(c)
	for _, m := range crs.Modules {
		col := moduleColumn{ID: m.ID, Quiz: m.Quiz != nil}
		col.Title, col.Lang = cohort.InLanguage(crs, m.Title, reader)
		d.Modules = append(d.Modules, col)
		d.FellBack = d.FellBack || col.Lang != reader
	}
	if d.Trainers, err = s.store.CohortTrainers(ctx, co.ID); err != nil {
		return err
	}
	return s.renderTitled(c, fiber.StatusOK, "cohort", co.Name, d)
}

// learnerFilter is the store's filter for the table's choices.
func learnerFilter(co *model.Cohort, crs *course.Course, t learnerTable, now time.Time) store.LearnerFilter {
	f := store.LearnerFilter{CohortID: co.ID, CourseID: crs.ID, Search: t.Search, OnlyQuiet: t.OnlyQuiet, HideDisabled: t.HideDisabled,
		QuietSince: now.Add(-time.Duration(t.Days) * 24 * time.Hour), Sort: t.Sort, Desc: t.Desc}
	for _, l := range crs.Lessons {
		f.Lessons = append(f.Lessons, l.ID)
	}
	for _, m := range crs.Quizzes() {
		f.Quizzes = append(f.Quizzes, m.ID)
	}
	return f
}

// learnerRows completes a page of learners with what the table shows of each (two queries
// for the page, whatever the cohort's size).
func (s *Server) learnerRows(ctx context.Context, crs *course.Course, lines []store.LearnerLine, quietSince time.Time) ([]cohort.LearnerRow, error) {
	ids := make([]int64, len(lines))
	for i, l := range lines {
		ids[i] = l.UserID
	}
	det, err := s.store.CohortLearnerDetails(ctx, crs.ID, ids)
	if err != nil {
		return nil, err
	}
	rows := make([]cohort.LearnerRow, len(lines))
	for i, l := range lines {
		rows[i] = cohort.Learner(crs, l.UserID, l.Name(), det.Done[l.UserID], det.Best[l.UserID], det.Passed[l.UserID],
			l.LastActivity, l.LastActivity.Before(quietSince) && !l.Disabled)
		rows[i].Disabled = l.Disabled
	}
	return rows, nil
}
