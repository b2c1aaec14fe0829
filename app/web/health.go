package web

import (
	"context"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/database"
)

// readyEvery is how long a readiness answer is reused. Each probe writes a row, and
// /readyz is public: reusing the answer keeps a flood of probes from becoming write load.
const readyEvery = 2 * time.Second

// readiness is what /readyz last found, and the states that override it.
type readiness struct {
	mu      sync.Mutex
	at      time.Time // when the database was last probed
	problem string    // "" when ready; else what /readyz answers (and logs once)
}

// healthz answers while the process lives.
func (s *Server) healthz(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.SendString("ok")
}

// readyz answers 200 only when this instance can serve: not draining, the database writable
// with room to spare and its schema current, and live events heard from every instance.
// A load balancer then sends no traffic to an instance that cannot serve it.
func (s *Server) readyz(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	if s.draining.Load() {
		return c.Status(fiber.StatusServiceUnavailable).SendString("shutting down")
	}
	if s.corrupt.Load() {
		return c.Status(fiber.StatusServiceUnavailable).SendString("database damaged: restore a backup")
	}
	if problem := s.probeDatabase(c.UserContext()); problem != "" {
		return c.Status(fiber.StatusServiceUnavailable).SendString(problem)
	}
	if !s.live.Listening() {
		return c.Status(fiber.StatusServiceUnavailable).SendString("live events not connected")
	}
	return c.SendString("ready")
}

// probeDatabase checks, at most every readyEvery, that the database takes a write, that its
// schema is what this binary knows (reading the migration table, no DDL), and that a
// SQLite data directory has room. It logs the reason when the answer changes.
func (s *Server) probeDatabase(ctx context.Context) string {
	s.ready.mu.Lock()
	defer s.ready.mu.Unlock()
	now := s.now()
	if !s.ready.at.IsZero() && now.Sub(s.ready.at) < readyEvery && now.After(s.ready.at) {
		return s.ready.problem
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	problem, err := "", error(nil)
	db := s.store.DB()
	if err = database.ProbeWrite(ctx, db, now); err != nil {
		problem = "database cannot write"
		if database.IsCorrupt(err) {
			s.corrupt.Store(true)
			problem = "database damaged: restore a backup"
		}
	} else if err = s.migrator.CheckCurrentNoDDL(ctx); err != nil {
		problem = "schema not current"
	} else if s.dataDir != "" {
		if err = database.CheckFreeSpace(s.dataDir); err != nil {
			problem = "data directory nearly full"
		}
	}
	if problem != s.ready.problem {
		if problem != "" {
			s.log.Warn("readyz: not ready", "reason", problem, "err", err)
		} else {
			s.log.Info("readyz: ready again")
		}
	}
	s.ready.at, s.ready.problem = now, problem
	return problem
}

// noteFailure keeps what a failed request says about the database: a damaged SQLite file
// does not mend itself, so the instance reports not ready until it is restored.
func (s *Server) noteFailure(err error) {
	if database.IsCorrupt(err) && !s.corrupt.Swap(true) {
		s.log.Error("the database file is damaged; /readyz answers 503 until a backup is restored with `cairn restore`", "err", err)
	}
}
