package web

import (
	"time"

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
	// An instance that does not yet hear the other instances' events would leave this
	// participant behind; the console retries with back-off.
	t := time.NewTimer(10 * time.Second)
	defer t.Stop()
	select {
	case <-s.live.Ready():
	case <-t.C:
		return fiber.ErrServiceUnavailable
	case <-c.UserContext().Done():
		return c.UserContext().Err()
	}
	up := live.Upgrader(s.cfg.BaseURL)
	return adaptor.HTTPHandlerFunc(s.live.ServeHTTP(s.liveCtx, up, m))(c)
}
