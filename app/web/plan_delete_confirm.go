package web

import (
	"github.com/gofiber/fiber/v2"
)

// confirmDeletePlan asks before a plan is deleted: nothing brings it back.
func (s *Server) confirmDeletePlan(c *fiber.Ctx) error {
	p, err := s.planAsOwner(c)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "plan_delete", "plan_delete_title", p)
}
