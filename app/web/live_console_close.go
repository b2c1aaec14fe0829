package web

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/live"
)

// submitConsoleClose stops a poll taking answers; submitConsoleReveal shows its results
// (and closes it). An anonymous poll with too few answers is refused beside the buttons,
// where the console already says how many more it needs. The presenter view's own buttons
// post here too (back=present), and are answered on the view.
func (s *Server) submitConsoleClose(c *fiber.Ctx) error {
	return s.consolePollStatus(c, live.MsgPollClose, "flash_console_poll_closed")
}

func (s *Server) submitConsoleReveal(c *fiber.Ctx) error {
	return s.consolePollStatus(c, live.MsgPollReveal, "flash_console_poll_revealed")
}

func (s *Server) consolePollStatus(c *fiber.Ctx, typ, done string) error {
	m, err := s.consoleMember(c)
	if err != nil {
		return err
	}
	poll, _ := strconv.ParseInt(c.FormValue("poll"), 10, 64)
	err = s.live.Handle(c.UserContext(), m, live.Inbound{Type: typ, PollID: poll})
	if err == nil {
		return s.consoleDone(c, m, done)
	}
	if to := presentBack(c, m); to != "" {
		return s.presentRefused(c, to, err)
	}
	why, status, ok := s.consoleRefusal(c, err)
	if !ok {
		return err
	}
	return s.consoleRefused(c, status, &consoleForm{CloseError: why})
}
