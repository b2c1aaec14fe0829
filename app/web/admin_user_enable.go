package web

import (
	"github.com/gofiber/fiber/v2"
)

// enableUser lets a disabled account sign in again with its password as it was.
func (s *Server) enableUser(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return fiber.ErrNotFound
	}
	if err := s.store.EnableUser(c.UserContext(), int64(id)); err != nil {
		return err
	}
	// audit: account enabled (id, by state(c).user.ID)
	s.log.Info("account enabled", "user_id", id, "by_user_id", state(c).user.ID)
	s.flash(c, "flash_user_enabled")
	return backToUsers(c)
}
