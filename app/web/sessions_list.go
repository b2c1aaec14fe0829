package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/model"
)

type sessionsData struct {
	Sessions  []model.Session
	CurrentID int64
}

// listSessions shows where the account is signed in: when each session started and was
// last active. Nothing about devices is recorded, so nothing more can be shown.
func (s *Server) listSessions(c *fiber.Ctx) error {
	st := state(c)
	sessions, err := s.store.ListUserSessions(c.UserContext(), st.user.ID)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "sessions", "sessions_title", sessionsData{Sessions: sessions, CurrentID: st.session.ID})
}
