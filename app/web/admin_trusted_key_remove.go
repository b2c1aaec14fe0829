package web

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/store"
)

// removeTrustedKey stops trusting a partner's key; packages it signed are refused from now on.
func (s *Server) removeTrustedKey(c *fiber.Ctx) error {
	id := c.Params("id")
	err := s.store.RemoveTrustedKey(c.UserContext(), id)
	if errors.Is(err, store.ErrNotFound) {
		return fiber.ErrNotFound
	}
	if err != nil {
		return err
	}
	s.audit(c, store.AuditSettingTrustedKeys, store.NoTarget, store.AuditDetail("removed", id))
	s.log.Info("trusted key removed", "key_id", id, "by_user_id", state(c).user.ID)
	s.flash(c, "flash_trusted_key_removed")
	return redirect(c, "/admin#trusted-keys")
}
