package web

import (
	"github.com/gofiber/fiber/v2"
)

type recoveryStatus struct {
	Left  int
	Error string
}

func (s *Server) showRecoveryCodes(c *fiber.Ctx) error {
	left, err := s.store.CountUnusedRecoveryCodes(c.UserContext(), state(c).user.ID)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "recovery_codes", "recovery_codes_title", recoveryStatus{Left: left})
}
