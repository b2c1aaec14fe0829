package web

import (
	"strconv"

	"github.com/gofiber/fiber/v2"
)

// startLive starts a scheduled session, from the button on the live console or the cohort
// page. Opening the console (a GET) shows it and changes nothing.
func (s *Server) startLive(c *fiber.Ctx) error {
	m, err := s.liveMember(c)
	if err != nil {
		return err
	}
	if !m.Trainer {
		return fiber.ErrForbidden
	}
	if m.Session.StartedAt == nil && m.Session.EndedAt == nil {
		if err := s.store.StartSession(c.UserContext(), m.Session.ID); err != nil {
			return err
		}
	}
	return redirect(c, "/live/"+strconv.FormatInt(m.Session.ID, 10))
}
