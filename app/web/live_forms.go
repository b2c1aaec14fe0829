package web

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/live"
)

// The plain page's forms apply the same rules as websocket messages, then return to it.

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
	err = s.live.CastVoteForm(c.UserContext(), m, poll, live.VoteForm{
		Choices: all("choice"), Text: c.FormValue("answer"), Items: all("item"), Places: all("place"),
	})
	return s.liveFormResult(c, m, err, "flash_live_voted")
}

func (s *Server) submitLiveAsk(c *fiber.Ctx) error {
	m, err := s.liveMember(c)
	if err != nil {
		return err
	}
	err = s.live.Handle(c.UserContext(), m, live.Inbound{Type: live.MsgAsk, Body: c.FormValue("body"), Anonymous: c.FormValue("anonymous") != ""})
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
