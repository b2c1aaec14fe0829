package web

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/live"
)

// submitConsoleAnswered marks a participant's question answered; submitConsoleHide hides it
// from participants. Both are the websocket's `answered` and `hide` (same rules, same
// message to the room), for a console without JavaScript: the trainer's question list
// (partials/live_console_questions.html) renders them as forms.
func (s *Server) submitConsoleAnswered(c *fiber.Ctx) error {
	return s.consoleQuestion(c, live.MsgAnswered, "flash_console_question_answered")
}

func (s *Server) submitConsoleHide(c *fiber.Ctx) error {
	return s.consoleQuestion(c, live.MsgHide, "flash_console_question_hidden")
}

func (s *Server) consoleQuestion(c *fiber.Ctx, typ, done string) error {
	m, err := s.consoleMember(c)
	if err != nil {
		return err
	}
	question, _ := strconv.ParseInt(c.FormValue("question"), 10, 64)
	err = s.live.Handle(c.UserContext(), m, live.Inbound{Type: typ, Question: question})
	if err == nil {
		return s.consoleBackTo(c, m, done, "questions")
	}
	why, status, ok := s.consoleRefusal(c, err)
	if !ok {
		return err
	}
	return s.consoleRefused(c, status, &consoleForm{QuestionError: why})
}

// submitConsoleHideWord hides a word of an open-text poll's answers from its cloud, for
// everyone: the websocket's `hide_word`.
func (s *Server) submitConsoleHideWord(c *fiber.Ctx) error {
	m, err := s.consoleMember(c)
	if err != nil {
		return err
	}
	poll, _ := strconv.ParseInt(c.FormValue("poll"), 10, 64)
	err = s.live.Handle(c.UserContext(), m, live.Inbound{Type: live.MsgHideWord, PollID: poll, Word: c.FormValue("word")})
	if err == nil {
		return s.consoleBackTo(c, m, "flash_console_word_hidden", "console-answers")
	}
	why, status, ok := s.consoleRefusal(c, err)
	if !ok {
		return err
	}
	return s.consoleRefused(c, status, &consoleForm{WordError: why})
}

// consoleBackTo returns to the part of the live page the form was in, with a message.
func (s *Server) consoleBackTo(c *fiber.Ctx, m live.Member, flash, anchor string) error {
	s.flash(c, flash)
	return redirect(c, "/live/"+strconv.FormatInt(m.Session.ID, 10)+"#"+anchor)
}
