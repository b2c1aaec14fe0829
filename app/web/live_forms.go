package web

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/live"
)

// The plain page's forms apply the same rules as websocket messages, and share the same
// per-person rate limits, then return to it.

func (s *Server) liveFormResult(c *fiber.Ctx, m live.Member, err error, okFlash string) error {
	var ce *live.ClientError
	switch {
	case errors.As(err, &ce):
		s.flash(c, "flash_live_"+ce.Code)
	case err != nil:
		return err
	default:
		s.flash(c, okFlash)
	}
	return redirect(c, "/live/"+strconv.FormatInt(m.Session.ID, 10)+"/plain")
}

// liveFormRefused shows the plain page again, paused, with why the form was refused and
// what was typed in it (keep), rather than losing a written question to a redirect.
func (s *Server) liveFormRefused(c *fiber.Ctx, m live.Member, err error, keep func(d *livePlainData, why string)) error {
	var ce *live.ClientError
	if !errors.As(err, &ce) {
		return s.liveFormResult(c, m, err, "")
	}
	status := fiber.StatusUnprocessableEntity
	if ce.Code == "rate_limited" {
		status = fiber.StatusTooManyRequests
		c.Set(fiber.HeaderRetryAfter, "5")
	}
	why := state(c).loc.T("flash_live_" + ce.Code)
	return s.renderLivePlain(c, m, status, func(d *livePlainData) {
		d.Refresh = 0
		keep(d, why)
	})
}

func (s *Server) submitLiveVote(c *fiber.Ctx) error {
	m, err := s.liveMember(c)
	if err != nil {
		return err
	}
	poll, _ := strconv.ParseInt(c.FormValue("poll"), 10, 64)
	all := func(name string) []string {
		var out []string
		for _, v := range c.Request().PostArgs().PeekMulti(name) {
			out = append(out, string(v))
		}
		return out
	}
	answer := c.FormValue("answer")
	err = s.live.CastVoteForm(c.UserContext(), m, poll, live.VoteForm{
		Choices: all("choice"), Text: answer, Items: all("item"), Places: all("place"),
	})
	if answer != "" && err != nil {
		return s.liveFormRefused(c, m, err, func(d *livePlainData, why string) { d.VoteError, d.Answer = why, answer })
	}
	return s.liveFormResult(c, m, err, "flash_live_voted")
}

func (s *Server) submitLiveAsk(c *fiber.Ctx) error {
	m, err := s.liveMember(c)
	if err != nil {
		return err
	}
	body, anonymous := c.FormValue("body"), c.FormValue("anonymous") != ""
	err = s.live.Handle(c.UserContext(), m, live.Inbound{Type: live.MsgAsk, Body: body, Anonymous: anonymous})
	if err != nil {
		return s.liveFormRefused(c, m, err, func(d *livePlainData, why string) { d.AskError, d.AskBody, d.AskAnonymous = why, body, anonymous })
	}
	return s.liveFormResult(c, m, err, "flash_live_asked")
}

func (s *Server) submitLiveUpvote(c *fiber.Ctx) error {
	m, err := s.liveMember(c)
	if err != nil {
		return err
	}
	q, _ := strconv.ParseInt(c.FormValue("question"), 10, 64)
	err = s.live.Handle(c.UserContext(), m, live.Inbound{Type: live.MsgUpvote, Question: q})
	return s.liveFormResult(c, m, err, "flash_live_upvoted")
}
