package web

import (
	"github.com/gofiber/fiber/v2"
)

// removePlanStep takes a step out of the plan; the ones after it move up.
func (s *Server) removePlanStep(c *fiber.Ctx) error {
	p, st, err := s.planStepOf(c)
	if err != nil {
		return err
	}
	if err := s.store.RemovePlanStep(c.UserContext(), p.ID, st.ID); err != nil {
		return err
	}
	s.flash(c, "flash_plan_step_removed")
	return redirect(c, planPath(p.ID)+"#steps")
}
