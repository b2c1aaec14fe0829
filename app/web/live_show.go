package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/course"
	"github.com/cairn-lms/cairn/app/live"
)

type liveData struct {
	Member    live.Member
	Course    *course.Course
	Console   *consoleData // trainers only (live_console.go)
	MinGroup  int
	Ended     bool
	Startable bool // a scheduled session the trainer has not started (live_start.go)

	Plan *livePlanData // trainers: the session plan's card (live_plan_view.go)
}

type liveQuizQuestion struct {
	Module, ID, Label string
}

// showLive is the live console: the trainer's controls, or the participant's view. Both run
// on the websocket through assets/static/js/live.js; participants without JavaScript are
// pointed to the plain page, which refreshes itself. A scheduled session is started with a
// POST (live_start.go), never by opening this page.
func (s *Server) showLive(c *fiber.Ctx) error {
	m, err := s.liveMember(c)
	if err != nil {
		return err
	}
	crs := s.catalog().Course(m.Cohort.CourseID)
	if crs == nil {
		return fiber.ErrNotFound
	}
	d := liveData{Member: m, Course: crs, MinGroup: s.cfg.LiveMinGroup, Ended: m.Session.EndedAt != nil}
	d.Startable = m.Trainer && m.Session.StartedAt == nil && !d.Ended
	if m.Trainer {
		if d.Console, err = s.liveConsole(c, m); err != nil {
			return err
		}
	}
	if m.Trainer {
		if d.Plan, err = s.livePlan(c.UserContext(), m, crs); err != nil {
			return err
		}
	}
	return s.renderTitled(c, fiber.StatusOK, "live", m.Session.Title, d)
}
