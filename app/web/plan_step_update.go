package web

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/plan"
)

// updatePlanStep saves the edit form of a step.
func (s *Server) updatePlanStep(c *fiber.Ctx) error {
	p, st, err := s.planStepOf(c)
	if err != nil {
		return err
	}
	crs := s.planCourse(p)
	if crs == nil {
		return fiber.ErrNotFound
	}
	readStepForm(c, st)
	if problems := plan.Clean(st, crs, p.Lang); len(problems) > 0 {
		return s.renderPlanStep(c, fiber.StatusUnprocessableEntity, p, st, localised(state(c).loc, problems))
	}
	if err := s.store.UpdatePlanStep(c.UserContext(), st); err != nil {
		return err
	}
	s.flash(c, "flash_plan_saved")
	return redirect(c, planPath(p.ID)+"#step-"+strconv.FormatInt(st.ID, 10))
}
