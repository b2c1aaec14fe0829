package web

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/cohort"
	"github.com/cairn-lms/cairn/app/course"
	"github.com/cairn-lms/cairn/app/model"
)

// inactiveDefault is how long without activity marks a learner as quiet, unless ?days= says.
const inactiveDefault = 7

type cohortData struct {
	Cohort      *model.Cohort
	Course      *course.Course
	CourseTitle string
	Role        string
	JoinCode    string
	JoinLink    string
	Members     []model.CohortMember
	Learners    []cohort.LearnerRow
	Quizzes     []cohort.QuizStats
	Buckets     []string
	Days        int
	Inactive    int
	Sessions    []model.LiveSession
	Seats       int
}

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
	d := cohortData{Cohort: co, Course: crs, CourseTitle: crs.In(crs.Title, lang(c)), Role: role, Buckets: cohort.Buckets}
	sessions, err := s.store.LiveSessions(ctx, co.ID)
	if err != nil {
		return err
	}
	d.Sessions = sessions
	if role != model.CohortTrainer {
		return s.renderTitled(c, fiber.StatusOK, "cohort_learner", co.Name, d)
	}
	if co.JoinCode != nil {
		d.JoinCode = formatJoinCode(*co.JoinCode)
		d.JoinLink = s.sendableLink("/join?code=" + *co.JoinCode)
	}
	d.Days = inactiveDefault
	if n, err := strconv.Atoi(c.Query("days")); err == nil && n > 0 && n <= 365 {
		d.Days = n
	}
	rows, stats, members, err := s.dashboard(c, co, crs, d.Days)
	if err != nil {
		return err
	}
	d.Members, d.Learners, d.Quizzes = members, rows, stats
	for _, r := range rows {
		if r.Inactive {
			d.Inactive++
		}
	}
	d.Seats = len(rows)
	return s.renderTitled(c, fiber.StatusOK, "cohort", co.Name, d)
}

func (s *Server) dashboard(c *fiber.Ctx, co *model.Cohort, crs *course.Course, days int) ([]cohort.LearnerRow, []cohort.QuizStats, []model.CohortMember, error) {
	ctx := c.UserContext()
	members, err := s.store.CohortMembers(ctx, co.ID)
	if err != nil {
		return nil, nil, nil, err
	}
	done, enrollments, err := s.store.CohortProgress(ctx, co.ID, crs.ID)
	if err != nil {
		return nil, nil, nil, err
	}
	attempts, err := s.store.CohortAttempts(ctx, co.ID, crs.ID)
	if err != nil {
		return nil, nil, nil, err
	}
	rows := cohort.Learners(crs, members, done, enrollments, attempts, s.now(), time.Duration(days)*24*time.Hour)
	return rows, cohort.Quizzes(crs, attempts, lang(c)), members, nil
}
