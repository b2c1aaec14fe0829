package web

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/live"
)

type liveEndData struct {
	SessionID int64
	Present   int
}

// submitConsoleEnd ends the session for everyone, in two steps: the console's button asks
// (pages/live_end.html, or a dialog when the script runs), and only the form that says
// confirm=yes ends it.
func (s *Server) submitConsoleEnd(c *fiber.Ctx) error {
	m, err := s.consoleMember(c)
	if err != nil {
		return err
	}
	id := strconv.FormatInt(m.Session.ID, 10)
	if m.Session.EndedAt != nil {
		return redirect(c, "/live/"+id+"/summary")
	}
	if c.FormValue("confirm") != "yes" {
		n, err := s.store.PresentCount(c.UserContext(), m.Session.ID)
		if err != nil {
			return err
		}
		return s.renderTitled(c, fiber.StatusOK, "live_end", m.Session.Title, liveEndData{SessionID: m.Session.ID, Present: n})
	}
	err = s.live.Handle(c.UserContext(), m, live.Inbound{Type: live.MsgEnd})
	var ce *live.ClientError
	switch {
	case err == nil, errors.As(err, &ce) && ce.Code == "session_ended":
		return redirect(c, "/live/"+id+"/summary")
	case errors.As(err, &ce):
		return s.consoleDone(c, m, "flash_live_"+ce.Code)
	}
	return err
}
