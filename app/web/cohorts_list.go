package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/course"
	"github.com/cairn-lms/cairn/app/model"
)

type cohortLine struct {
	Cohort      model.Cohort
	CourseTitle course.Text
	Role        string
}

type cohortsData struct {
	Cohorts   []cohortLine
	CanCreate bool
}

// listCohorts shows a learner their cohorts, a trainer the cohorts they run, an admin all.
func (s *Server) listCohorts(c *fiber.Ctx) error {
	u := state(c).user
	admin := u.HasRole(model.RoleAdmin)
	cohorts, roles, err := s.store.CohortsOf(c.UserContext(), u.ID, admin)
	if err != nil {
		return err
	}
	d := cohortsData{CanCreate: u.HasRole(model.RoleTrainer)}
	for _, co := range cohorts {
		role := roles[co.ID]
		if admin {
			role = model.CohortTrainer
		}
		title := course.Text{Text: co.CourseID} // a course no longer published: its id
		if crs := s.cohortCourse(&co); crs != nil {
			title = crs.TextIn(crs.Title, lang(c))
		}
		d.Cohorts = append(d.Cohorts, cohortLine{Cohort: co, CourseTitle: title, Role: role})
	}
	return s.render(c, fiber.StatusOK, "cohorts", "cohorts_title", d)
}
