package web

import (
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/course"
	"github.com/cairn-lms/cairn/app/live"
)

type liveData struct {
	Member    live.Member
	Course    *course.Course
	Console   *consoleData // trainers only (live_console.go)
	MinGroup  int
	Ended     bool
	Startable bool // a scheduled session the trainer has not started (live_start.go)

	Plan *livePlanData // trainers: the session plan's card (live_plan_view.go)
	// The participant's page: the lesson the session is on, in the content's language,
	// their raised hand, and the live part's address (live_frame.go).
	Step        *live.StepView
	Lesson      *course.LessonVersion
	ContentLang string
	Hand        bool
	FrameURL    string
	// AskSent confirms a question just sent, in the question form; Notice another live
	// form sent from the page, above the live part (live_forms.go).
	AskSent, Notice string
	liveForm
}

// liveForm is what a refused form gives back: why, and what was typed (live_forms.go).
type liveForm struct {
	VoteError, Answer string
	AskError, AskBody string
	AskAnonymous      bool
}

type liveQuizQuestion struct {
	Module, ID, Label string
}

// showLive is the live page: the trainer's console, or the participant's page. The
// participant's page works without JavaScript: the lesson the session is on is part of it,
// and its live part (poll, raised hand, questions) is a small document of its own in a
// frame that refreshes itself (live_frame.go), so the lesson stays where the reader is.
// live.js, when it runs, takes the live part over on the websocket and removes the frame.
// A scheduled session is started with a POST (live_start.go), never by opening this page.
func (s *Server) showLive(c *fiber.Ctx) error {
	m, err := s.liveMember(c)
	if err != nil {
		return err
	}
	return s.renderLive(c, m, fiber.StatusOK, liveForm{})
}

func (s *Server) renderLive(c *fiber.Ctx, m live.Member, status int, form liveForm) error {
	crs := s.catalog().Course(m.Cohort.CourseID)
	if crs == nil {
		return fiber.ErrNotFound
	}
	d := liveData{Member: m, Course: crs, MinGroup: s.cfg.LiveMinGroup, Ended: m.Session.EndedAt != nil, liveForm: form}
	d.Startable = m.Trainer && m.Session.StartedAt == nil && !d.Ended
	d.ContentLang = contentLang(crs, m)
	if m.Session.StepLesson != "" {
		if l := crs.Lesson(m.Session.StepLesson); l != nil {
			v, _ := l.Version(m.Cohort.Lang)
			d.Lesson = v
			d.Step = &live.StepView{Lesson: l.ID, Section: m.Session.StepSection, Title: v.Title}
		}
	}
	if m.Trainer {
		var err error
		if d.Console, err = s.liveConsole(c, m); err != nil {
			return err
		}
		if d.Plan, err = s.livePlan(c.UserContext(), m, crs); err != nil {
			return err
		}
	} else {
		var err error
		if d.Hand, err = s.store.HandRaised(c.UserContext(), m.Session.ID, m.UserID); err != nil {
			return err
		}
		shown := ""
		if d.Step != nil {
			shown = d.Step.Lesson
		}
		d.FrameURL = liveFrameURL(m, shown, 0, false)
		text, at := liveNotice(c, func(string) bool { return !d.Ended })
		if at == liveAtAsk {
			d.AskSent = text
		} else {
			d.Notice = text
		}
	}
	return s.renderTitled(c, status, "live", m.Session.Title, d)
}

// liveFrameURL is the address of the page's live part. shown is the lesson the page around
// it shows (the live part offers to show another when the trainer moves on); skip, a poll
// the participant chose to answer later; beat, whether requesting it is a heartbeat (the
// live part's own refreshes and forms: not its first load, which a page whose script takes
// over makes too).
func liveFrameURL(m live.Member, shown string, skip int64, beat bool) string {
	q := url.Values{}
	if shown != "" {
		q.Set("shown", shown)
	}
	if skip != 0 {
		q.Set("skip", strconv.FormatInt(skip, 10))
	}
	if beat {
		q.Set("b", "1")
	}
	u := livePath(m) + "/frame"
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	return u
}
