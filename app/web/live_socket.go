package web

import (
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"

	"github.com/cairn-lms/cairn/app/live"
)

// liveSocket upgrades to a websocket after the session cookie, cohort membership and Origin
// have been checked; the live service takes over the connection.
func (s *Server) liveSocket(c *fiber.Ctx) error {
	m, err := s.liveMember(c)
	if err != nil {
		return err
	}
	if m.Session.EndedAt != nil {
		return fiber.NewError(fiber.StatusGone, "error_live_ended")
	}
	up := live.Upgrader(s.cfg.BaseURL)
	return adaptor.HTTPHandlerFunc(s.live.ServeHTTP(s.liveCtx, up, m))(c)
}
