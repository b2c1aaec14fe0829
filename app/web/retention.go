package web

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/retention"
	"github.com/cairn-lms/cairn/app/store"
)

// retentionPolicy is the instance's retention policy, its defaults from the configuration.
func (s *Server) retentionPolicy(ctx context.Context) (retention.Policy, error) {
	return retention.Load(ctx, s.store, retention.Defaults(s.cfg.AttendanceRetention))
}

// RunRetention runs the retention purge once a day, checking every interval whether the
// day's purge is due. With several instances on one database only the one that claims the
// day runs it (retention.Due: a conditional update of the settings row, atomic on SQLite
// and PostgreSQL alike); the others see the day taken. A purge cut short by a crash waits
// for the next day: every step is safe to repeat.
func (s *Server) RunRetention(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		s.retentionOnce(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (s *Server) retentionOnce(ctx context.Context) {
	due, err := retention.Due(ctx, s.store, s.now())
	if err != nil || !due {
		if err != nil {
			s.log.Warn("retention: claim the day", "err", err)
		}
		return
	}
	p, err := s.retentionPolicy(ctx)
	if err != nil {
		s.log.Warn("retention: read the policy", "err", err)
		return
	}
	c, err := retention.Purge(ctx, s.store, p, retention.Options{
		Idle: s.cfg.SessionIdleTimeout, Actor: store.ServerActor,
		Deleted: func(userID int64, gone *store.DeletedUser) {
			s.live.UserDeleted(context.WithoutCancel(ctx), userID, gone)
		},
	})
	if err != nil {
		s.log.Error("retention purge", "err", err)
		return
	}
	s.log.Info("retention purge", "sessions", c.Sessions, "attendance", c.Attendance, "audit", c.Audit,
		"accounts", c.Accounts, "kept", c.Kept)
}

// noteRetention tells a person who has just signed in, when their account was close to
// being deleted for lack of use, the day it would have been deleted and that signing in
// kept it. user is as loaded before the sign-in (its day of last use not yet today's).
func (s *Server) noteRetention(c *fiber.Ctx, user *model.User) {
	p, err := s.retentionPolicy(c.UserContext())
	if err != nil {
		s.log.Warn("retention: read the policy", "err", err)
		return
	}
	if day, ok := p.Warning(user, s.now()); ok {
		s.flashDay(c, "flash_retention_kept", day)
	}
}
