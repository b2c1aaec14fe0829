package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
)

func (s *Server) revokeInvite(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return fiber.ErrNotFound
	}
	if err := s.store.RevokeInvite(c.UserContext(), int64(id)); err != nil {
		return err
	}
	s.audit(c, store.AuditInviteRevoke, store.ThingTarget(model.TargetInvite, int64(id), ""), "")
	s.flash(c, "flash_invite_revoked")
	return redirect(c, "/admin")
}
