package web

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/live"
)

// submitConsoleStep takes everyone to a lesson, or to a section of it. Without JavaScript
// the form lists the sections of one lesson at a time: "pick" (its second button) lists
// those of the lesson chosen, and a section sent with another lesson is sent back with
// that lesson's sections rather than shown.
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
	err = s.live.Handle(c.UserContext(), m, live.Inbound{Type: live.MsgStep, Lesson: f.Lesson, Section: f.Section})
	if err == nil {
		return s.consoleDone(c, m, "flash_console_step_shown")
	}
	why, status, ok := s.consoleRefusal(c, err)
	if !ok {
		return err
	}
	if ce := (*live.ClientError)(nil); errors.As(err, &ce) && ce.Code == "unknown_section" {
		why, f.Section = state(c).loc.T("console_section_not_in_lesson"), ""
	}
	f.StepError = why
	return s.consoleRefused(c, status, f)
}
