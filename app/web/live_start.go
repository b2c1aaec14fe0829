package web

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
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
		s.audit(c, store.AuditLiveStart, store.ThingTarget(model.TargetLiveSession, m.Session.ID, m.Session.Title), store.AuditDetail("cohort", m.Cohort.ID))
	}
	return redirect(c, "/live/"+strconv.FormatInt(m.Session.ID, 10))
}
