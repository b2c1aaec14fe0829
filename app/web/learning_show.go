package web

import (
	"sort"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/course"
)

type learningRow struct {
	Course       *course.Course
	Title        course.Text
	Standing     course.Standing
	LastActivity time.Time
	CompletedAt  *time.Time
	Checklist    *course.ChecklistStanding // nil when the course has no checklists
}

type learningData struct {
	InProgress []learningRow
	Completed  []learningRow
	Cohorts    []cohortLine
}

// showLearning is "My learning": every course the learner started, with progress and what
// is left on the courses' checklists.
func (s *Server) showLearning(c *fiber.Ctx) error {
	p, err := s.store.LearnerProgress(c.UserContext(), state(c).user.ID)
	if err != nil {
		return err
	}
	ticks, err := s.store.ChecklistTicks(c.UserContext(), state(c).user.ID)
	if err != nil {
		return err
	}
	ui := lang(c)
	var d learningData
	for id, e := range p.Enrollments {
		co := s.catalog().Course(id)
		if co == nil {
			continue // a course that is no longer published
		}
		st := co.StandingOf(lessonSet(p, id), passedSet(p, id))
		row := learningRow{Course: co, Title: co.TextIn(co.Title, ui), Standing: st, LastActivity: e.LastActivityAt}
		if cl := co.ChecklistOf(ui, func(lessonID string) map[string]bool { return ticks.Lesson(id, lessonID) }); cl.Total > 0 {
			row.Checklist = &cl
		}
		if st.Complete {
			row.CompletedAt = e.CompletedAt
			d.Completed = append(d.Completed, row)
		} else {
			d.InProgress = append(d.InProgress, row)
		}
	}
	cohorts, roles, err := s.store.CohortsOf(c.UserContext(), state(c).user.ID, false)
	if err != nil {
		return err
	}
	for _, co := range cohorts {
		title := course.Text{Text: co.CourseID} // a course no longer published: its id
		if crs := s.cohortCourse(&co); crs != nil {
			title = crs.TextIn(crs.Title, ui)
		}
		d.Cohorts = append(d.Cohorts, cohortLine{Cohort: co, CourseTitle: title, Role: roles[co.ID]})
	}
	for _, rows := range [][]learningRow{d.InProgress, d.Completed} {
		sort.Slice(rows, func(i, j int) bool { return rows[i].LastActivity.After(rows[j].LastActivity) })
	}
	return s.render(c, fiber.StatusOK, "learning", "learning_title", d)
}
