package web

import (
	"github.com/gofiber/fiber/v2"
)

// deleteIntakePlan forgets the learner's saved answers (their progress in the courses stays).
func (s *Server) deleteIntakePlan(c *fiber.Ctx) error {
	if _, err := s.store.DeleteIntakePlan(c.UserContext(), state(c).user.ID); err != nil {
		return err
	}
	s.flash(c, "flash_intake_deleted")
	return redirect(c, "/account")
}
