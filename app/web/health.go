package web

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/database"
)

// healthz answers while the process lives.
func (s *Server) healthz(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.SendString("ok")
}

// readyz answers 200 only when the database answers and its schema is current, so a load
// balancer sends no traffic to an instance that cannot serve it.
func (s *Server) readyz(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	ctx, cancel := context.WithTimeout(c.UserContext(), 3*time.Second)
	defer cancel()
	if err := database.Ping(ctx, s.store.DB()); err != nil {
		s.log.Warn("readyz: database unavailable", "err", err)
		return c.Status(fiber.StatusServiceUnavailable).SendString("database unavailable")
	}
	if err := s.migrator.CheckCurrent(ctx); err != nil {
		s.log.Warn("readyz: schema not current", "err", err)
		return c.Status(fiber.StatusServiceUnavailable).SendString("schema not current")
	}
	if !s.live.Listening() {
		return c.Status(fiber.StatusServiceUnavailable).SendString("live events not connected")
	}
	return c.SendString("ready")
}
