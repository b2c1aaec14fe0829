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
// A form that worked leads back to the place of the page it was sent from (an anchor), and
// its confirmation is shown there rather than at the top, which the reader is no longer
// looking at; a refusal comes back to the top, where its message is.

// Where a live form's confirmation is shown: the id of that part of the live page (the
// question form) or of its live part (the poll, the hand, the questions).
const (
	liveAtAsk       = "ask"
	liveAtPoll      = "poll"
	liveAtHand      = "hand"
	liveAtQuestions = "questions"
	// liveAtNotice is the live page's own notice, above the live part: where a form of the
	// live part sent from the page (by live.js, its socket down) is confirmed.
	liveAtNotice = "live-notice"
)

// liveNotices are the confirmations of the live forms, by flash message, and where each is
// shown (see liveNotice).
var liveNotices = map[string]string{
	"flash_live_asked":        liveAtAsk,
	"flash_live_voted":        liveAtPoll,
	"flash_live_hand_raised":  liveAtHand,
	"flash_live_hand_lowered": liveAtHand,
	"flash_live_upvoted":      liveAtQuestions,
}

// liveNotice takes the request's flash message when it confirms a live form that the page
// shows where the form was (here tells which places it has), so that the layout shows
// nothing at the top: its text and place, or "" for any other message.
func liveNotice(c *fiber.Ctx, here func(at string) bool) (text, at string) {
	st := state(c)
	at, ok := liveNotices[st.flashID]
	if !ok || st.flash == "" || !here(at) {
		return "", ""
	}
	text, st.flash = st.flash, ""
	return text, at
}

// liveFormView is the live part a form came from, to go back to: a heartbeat, since the
// participant is there.
func liveFormView(c *fiber.Ctx) (liveFrameView, bool) {
	return liveFrameView{shown: lessonParam(c.FormValue("shown")), beat: true}, c.FormValue("in") == "frame"
}

// liveFormResult leads back to where the form was sent from: on success, with the
// confirmation okFlash, to its place (at: a liveAt… id; in the page, a form of the live part
// is confirmed at liveAtNotice); refused, to the top with why. The address never holds what
// was sent (a question's text).
func (s *Server) liveFormResult(c *fiber.Ctx, m live.Member, err error, okFlash, at string) error {
	var ce *live.ClientError
	anchor := ""
	switch {
	case errors.As(err, &ce):
		s.flash(c, "flash_live_"+ce.Code)
	case err != nil:
		return err
	default:
		s.flash(c, okFlash)
		anchor = "#" + at
	}
	if v, inFrame := liveFormView(c); inFrame {
		return redirect(c, liveFrameURL(m, v.shown, 0, true)+anchor)
	}
	if anchor != "" && at != liveAtAsk {
		anchor = "#" + liveAtNotice
	}
	return redirect(c, livePath(m)+anchor)
}

// liveFormRefused shows the live part (or the page) again with why the form was refused
// and what was typed in it (keep), rather than losing a written question or answer to a
// redirect.
func (s *Server) liveFormRefused(c *fiber.Ctx, m live.Member, err error, keep func(f *liveForm, why string)) error {
	var ce *live.ClientError
	if !errors.As(err, &ce) {
		return s.liveFormResult(c, m, err, "", "")
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
	return s.liveFormResult(c, m, err, "flash_live_voted", liveAtPoll)
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
	return s.liveFormResult(c, m, err, "flash_live_asked", liveAtAsk)
}

func (s *Server) submitLiveUpvote(c *fiber.Ctx) error {
	m, err := s.liveMember(c)
	if err != nil {
		return err
	}
	q, _ := strconv.ParseInt(c.FormValue("question"), 10, 64)
	err = s.live.Handle(c.UserContext(), m, live.Inbound{Type: live.MsgUpvote, Question: q})
	return s.liveFormResult(c, m, err, "flash_live_upvoted", liveAtQuestions)
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
	return s.liveFormResult(c, m, err, ok, liveAtHand)
}
