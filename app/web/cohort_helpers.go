package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/auth"
	"github.com/cairn-lms/cairn/app/course"
	"github.com/cairn-lms/cairn/app/model"
)

// cohortAccess loads the cohort in the URL and the viewer's role in it: "trainer" for its
// trainers and for admins, "learner" for its learners. Anyone else gets a 404, so a cohort's
// existence is not revealed to people outside it.
func (s *Server) cohortAccess(c *fiber.Ctx) (*model.Cohort, string, error) {
	id, err := c.ParamsInt("cohort")
	if err != nil {
		return nil, "", fiber.ErrNotFound
	}
	co, err := s.store.Cohort(c.UserContext(), int64(id))
	if err != nil {
		return nil, "", err
	}
	u := state(c).user
	role, err := s.store.CohortRole(c.UserContext(), co.ID, u.ID)
	if err != nil {
		return nil, "", err
	}
	if u.HasRole(model.RoleAdmin) {
		role = model.CohortTrainer
	}
	if role == "" {
		return nil, "", fiber.ErrNotFound
	}
	return co, role, nil
}

// trainerOnly refuses learners.
func (s *Server) cohortAsTrainer(c *fiber.Ctx) (*model.Cohort, error) {
	co, role, err := s.cohortAccess(c)
	if err != nil {
		return nil, err
	}
	if role != model.CohortTrainer {
		return nil, fiber.ErrForbidden
	}
	return co, nil
}

func (s *Server) cohortCourse(co *model.Cohort) *course.Course {
	return s.catalog().Course(co.CourseID)
}

// newJoinCode returns a code to share with learners, in its normalised (stored) form.
func newJoinCode() string { return auth.NormalizeCode(auth.NewCode(10)) }

func formatJoinCode(code string) string {
	if len(code) <= 5 {
		return code
	}
	return code[:5] + "-" + code[5:]
}
