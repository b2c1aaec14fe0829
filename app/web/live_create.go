package web

import (
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/freetext"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
)

// createLiveSession starts a session now, or schedules one (datetime-local, in UTC).
func (s *Server) createLiveSession(c *fiber.Ctx) error {
	co, err := s.cohortAsTrainer(c)
	if err != nil {
		return err
	}
	title := freetext.Clean(c.FormValue("title"))
	if title == "" || utf8.RuneCountInString(title) > 200 {
		return fiber.NewError(fiber.StatusUnprocessableEntity, "error_live_title")
	}
	uid := state(c).user.ID
	ls := &model.LiveSession{CohortID: co.ID, Title: title, CreatedBy: &uid}
	start := c.FormValue("when") != "later"
	if !start {
		at, err := time.Parse("2006-01-02T15:04", c.FormValue("scheduled_at"))
		if err != nil {
			return fiber.NewError(fiber.StatusUnprocessableEntity, "error_live_when")
		}
		at = at.UTC()
		ls.ScheduledAt = &at
	}
	if err := s.store.CreateLiveSession(c.UserContext(), ls, start); err != nil {
		return err
	}
	// A cohort with a default session plan has its new sessions follow it.
	if planID, err := s.store.CohortPlan(c.UserContext(), co.ID); err != nil {
		return err
	} else if planID != 0 {
		if err := s.store.SetSessionPlan(c.UserContext(), ls.ID, planID); err != nil {
			return err
		}
	}
	action := store.AuditLiveStart
	if !start {
		action = store.AuditLiveSchedule
	}
	s.audit(c, action, store.ThingTarget(model.TargetLiveSession, ls.ID, ls.Title), store.AuditDetail("cohort", co.ID))
	if !start {
		s.flash(c, "flash_live_scheduled")
		return redirect(c, "/cohorts/"+strconv.FormatInt(co.ID, 10))
	}
	return redirect(c, "/live/"+strconv.FormatInt(ls.ID, 10))
}
