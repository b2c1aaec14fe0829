package web

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/live"
)

// The live page's forms (its live part's, and the page's own when its script is not
// running) apply the same rules as websocket messages, and share the same per-person rate
// limits, then lead back where they were sent from: the live part (in=frame) or the page.

// liveFormView is the live part a form came from, to go back to: a heartbeat, since the
// participant is there.
func liveFormView(c *fiber.Ctx) (liveFrameView, bool) {
	return liveFrameView{shown: lessonParam(c.FormValue("shown")), beat: true}, c.FormValue("in") == "frame"
}

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
	if v, inFrame := liveFormView(c); inFrame {
		return redirect(c, liveFrameURL(m, v.shown, 0, true))
	}
	return redirect(c, livePath(m))
}

// liveFormRefused shows the live part (or the page) again with why the form was refused
// and what was typed in it (keep), rather than losing a written question or answer to a
// redirect.
func (s *Server) liveFormRefused(c *fiber.Ctx, m live.Member, err error, keep func(f *liveForm, why string)) error {
	var ce *live.ClientError
	if !errors.As(err, &ce) {
		return s.liveFormResult(c, m, err, "")
	}
	status := fiber.StatusUnprocessableEntity
	if ce.Code == "rate_limited" {
		status = fiber.StatusTooManyRequests
		c.Set(fiber.HeaderRetryAfter, "5")
	}
	var f liveForm
	keep(&f, state(c).loc.T("flash_live_"+ce.Code))
	if v, inFrame := liveFormView(c); inFrame {
		return s.renderLiveFrame(c, m, status, v, f)
	}
	return s.renderLive(c, m, status, f)
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
		return s.liveFormRefused(c, m, err, func(f *liveForm, why string) { f.VoteError, f.Answer = why, answer })
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
		return s.liveFormRefused(c, m, err, func(f *liveForm, why string) { f.AskError, f.AskBody, f.AskAnonymous = why, body, anonymous })
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

// submitLiveHand raises (raised=1) or lowers the participant's hand.
func (s *Server) submitLiveHand(c *fiber.Ctx) error {
	m, err := s.liveMember(c)
	if err != nil {
		return err
	}
	raised := c.FormValue("raised") == "1"
	err = s.live.Handle(c.UserContext(), m, live.Inbound{Type: live.MsgHand, Raised: raised})
	ok := "flash_live_hand_lowered"
	if raised {
		ok = "flash_live_hand_raised"
	}
	return s.liveFormResult(c, m, err, ok)
}
