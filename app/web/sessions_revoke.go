package web

import (
	"github.com/gofiber/fiber/v2"
)

func (s *Server) revokeSession(c *fiber.Ctx) error {
	st := state(c)
	id, err := c.ParamsInt("id")
	if err != nil {
		return fiber.ErrNotFound
	}
	if int64(id) == st.session.ID {
		return s.submitLogout(c)
	}
	if err := s.store.DeleteSession(c.UserContext(), st.user.ID, int64(id)); err != nil {
		return err
	}
	s.flash(c, "flash_session_revoked")
	return redirect(c, "/account/sessions")
}

func (s *Server) revokeOtherSessions(c *fiber.Ctx) error {
	st := state(c)
	if _, err := s.store.DeleteUserSessions(c.UserContext(), st.user.ID, st.session.ID); err != nil {
		return err
	}
	s.flash(c, "flash_other_sessions_revoked")
	return redirect(c, "/account/sessions")
}

// revokeAllSessions is "sign out everywhere", this browser included.
func (s *Server) revokeAllSessions(c *fiber.Ctx) error {
	st := state(c)
	if _, err := s.store.DeleteUserSessions(c.UserContext(), st.user.ID, 0); err != nil {
		return err
	}
	s.clearCookie(c, sessionName)
	s.flash(c, "flash_signed_out_everywhere")
	return redirect(c, "/login")
}
