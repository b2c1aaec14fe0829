package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/store"
)

// enableUser lets a disabled account sign in again with its password as it was.
func (s *Server) enableUser(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return fiber.ErrNotFound
	}
	u, err := s.store.UserByID(c.UserContext(), int64(id))
	if err != nil {
		return err // store.ErrNotFound is a 404
	}
	if err := s.store.EnableUser(c.UserContext(), u.ID); err != nil {
		return err
	}
	s.audit(c, store.AuditUserEnable, store.UserTarget(u), "")
	s.log.Info("account enabled", "user_id", id, "by_user_id", state(c).user.ID)
	s.flash(c, "flash_user_enabled")
	return backToUsers(c)
}
