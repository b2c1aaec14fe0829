package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/live"
)

// submitConsoleStep takes everyone to a lesson, or to a section of it. Without JavaScript
// the form lists the sections of one lesson at a time: "pick" (its second button) lists
// those of the lesson chosen, and a section sent with another lesson (the list was of the
// lesson chosen before) is sent back with that lesson's sections rather than shown. (The
// websocket takes any anchor: the load tool marks its steps with made-up ones.)
func (s *Server) submitConsoleStep(c *fiber.Ctx) error {
	m, err := s.consoleMember(c)
	if err != nil {
		return err
	}
	f := &consoleForm{Lesson: c.FormValue("lesson"), Section: c.FormValue("section")}
	if c.FormValue("pick") != "" {
		f.Section = ""
		return s.consoleRefused(c, fiber.StatusOK, f)
	}
	if crs := s.catalog().Course(m.Cohort.CourseID); crs != nil && f.Section != "" {
		if l := crs.Lesson(f.Lesson); l != nil {
			if v, _ := l.Version(m.Cohort.Lang); v.Heading(f.Section) == nil {
				f.StepError, f.Section = state(c).loc.T("console_section_not_in_lesson"), ""
				return s.consoleRefused(c, fiber.StatusUnprocessableEntity, f)
			}
		}
	}
	err = s.live.Handle(c.UserContext(), m, live.Inbound{Type: live.MsgStep, Lesson: f.Lesson, Section: f.Section})
	if err == nil {
		return s.consoleDone(c, m, "flash_console_step_shown")
	}
	if to := presentBack(c, m); to != "" { // the presenter view's "Next lesson"
		return s.presentRefused(c, to, err)
	}
	why, status, ok := s.consoleRefusal(c, err)
	if !ok {
		return err
	}
	f.StepError = why
	return s.consoleRefused(c, status, f)
}
