package web

import "github.com/gofiber/fiber/v2"

func (s *Server) revokeInvite(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil {
		return fiber.ErrNotFound
	}
	if err := s.store.RevokeInvite(c.UserContext(), int64(id)); err != nil {
		return err
	}
	s.flash(c, "flash_invite_revoked")
	return redirect(c, "/admin")
}
