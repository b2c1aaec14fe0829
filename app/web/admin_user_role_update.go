package web

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
)

// updateUserRole changes a role; the store signs the user out everywhere so the change
// takes effect at once (and a demoted admin keeps no admin session). Nobody demotes
// themselves, and the last enabled administrator stays one (the store refuses).
func (s *Server) updateUserRole(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return fiber.ErrNotFound
	}
	role := c.FormValue("role")
	if model.RoleRank(role) == 0 {
		return fiber.NewError(fiber.StatusBadRequest, "error_role_unknown")
	}
	if int64(id) == state(c).user.ID && role != model.RoleAdmin {
		return fiber.NewError(fiber.StatusBadRequest, "error_role_self")
	}
	before, err := s.store.UserByID(c.UserContext(), int64(id))
	if err != nil {
		return err
	}
	switch err := s.store.SetRole(c.UserContext(), int64(id), role); {
	case errors.Is(err, store.ErrLastAdmin):
		return fiber.NewError(fiber.StatusConflict, "error_role_last_admin")
	case err != nil:
		return err
	}
	s.audit(c, store.AuditUserRole, store.UserTarget(before), store.AuditDetail("from", before.Role, "to", role))
	s.log.Info("role changed", "user_id", id, "role", role, "by_user_id", state(c).user.ID)
	s.flash(c, "flash_role_changed")
	return backToUsers(c)
}
