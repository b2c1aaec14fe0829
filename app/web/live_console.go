package web

import (
	"errors"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/course"
	"github.com/cairn-lms/cairn/app/live"
	"github.com/cairn-lms/cairn/app/model"
)

// consoleData is the trainer's console on the live page (partials/live_console.html): the
// state it shows is rendered on the server, and every control is a form that works without
// JavaScript (live_console_*.go); live.js takes the forms over when it runs.
type consoleData struct {
	SessionID   int64
	ContentLang string // the cohort's language: lesson titles, headings, quiz questions
	MinGroup    int
	Present     int      // people connected now
	Hands       []string // names, first raised first
	Step        *live.StepView
	Lessons     []consoleLesson
	// Lesson is the lesson whose sections the step form offers: the one chosen in a form
	// sent back, else the current step's, else the first.
	Lesson    string
	Sections  []consoleSection
	Questions []liveQuizQuestion
	Poll      *consolePoll
	Form      consoleForm
	// Asked is the participants' questions, hidden ones too, each with its forms
	// (partials/live_console_questions.html, live_console_questions.go).
	Asked []live.QuestionView
}

// consoleLesson is a lesson the step form offers, with its sections for the script's
// per-lesson section lists.
type consoleLesson struct {
	ID, Title string
	Sections  []consoleSection
}

// consoleSection is a heading of a lesson, its label indented by its level.
type consoleSection struct {
	ID, Label string
}

// consolePoll is the current poll as the console shows it, with its controls.
type consolePoll struct {
	ID        int64
	Prompt    string
	Status    string
	Anonymous bool
	Voters    int
	MinGroup  int
	// Text: an open-text poll; Answers, its answers as the trainer may read them, each
	// with a form that hides its word from the cloud.
	Text    bool
	Answers []live.AnswerView
}

// Open, Revealed and Hidden tell the template which controls and notices apply. Hidden:
// an anonymous poll whose results cannot be shown yet, for too few answers.
func (p *consolePoll) Open() bool     { return p.Status == model.PollOpen }
func (p *consolePoll) Revealed() bool { return p.Status == model.PollRevealed }
func (p *consolePoll) Hidden() bool   { return p.Anonymous && !p.Revealed() && p.Voters < p.MinGroup }

// consoleForm is what a console form sent back brings: what was typed or chosen, and why it
// was refused (already localised), so nothing typed is lost.
type consoleForm struct {
	StepError, PollError, PollWarning, CloseError string
	// why a question could not be marked or hidden, or a word hidden (live_console_questions.go)
	QuestionError, WordError string

	Lesson, Section string

	Kind, Prompt, Options, Quiz string
	// a scale's prompt and end labels; an open-text poll's prompt
	ScalePrompt, LowLabel, HighLabel, TextPrompt string
	Multiple, Anonymous                          bool
	// SmallRoom: an anonymous poll was sent for a room smaller than the minimum group; the
	// form asks again, with a box to launch it anyway.
	SmallRoom bool
}

// consoleFormKey is where a console handler leaves a form it sends back for liveConsole.
const consoleFormKey = "live_console_form"

// liveConsole builds the console of member m (a trainer of the session), with the form a
// console handler sent back, if any.
func (s *Server) liveConsole(c *fiber.Ctx, m live.Member) (*consoleData, error) {
	crs := s.catalog().Course(m.Cohort.CourseID)
	if crs == nil {
		return nil, fiber.ErrNotFound
	}
	st, err := s.live.State(c.UserContext(), m)
	if err != nil {
		return nil, err
	}
	d := &consoleData{SessionID: m.Session.ID, ContentLang: contentLang(crs, m), MinGroup: s.cfg.LiveMinGroup, Step: st.Step, Asked: st.Questions}
	if st.TrainerState != nil {
		d.Present, d.Hands = st.Participants, st.TrainerState.Hands
	}
	if f, ok := c.Locals(consoleFormKey).(*consoleForm); ok {
		d.Form = *f
	}
	for _, l := range crs.Lessons {
		v, _ := l.Version(m.Cohort.Lang)
		d.Lessons = append(d.Lessons, consoleLesson{ID: l.ID, Title: v.Title, Sections: sectionsOf(v)})
	}
	d.Lesson = d.Form.Lesson
	if crs.Lesson(d.Lesson) == nil && st.Step != nil {
		d.Lesson = st.Step.Lesson
	}
	if crs.Lesson(d.Lesson) == nil && len(d.Lessons) > 0 {
		d.Lesson = d.Lessons[0].ID
	}
	for _, l := range d.Lessons {
		if l.ID == d.Lesson {
			d.Sections = l.Sections
		}
	}
	for _, mod := range crs.Quizzes() {
		for _, q := range mod.Quiz.Questions {
			if live.Askable(q) {
				d.Questions = append(d.Questions, liveQuizQuestion{Module: mod.ID, ID: q.ID, Label: crs.In(mod.Title, m.Cohort.Lang) + " — " + q.Text(m.Cohort.Lang, crs.DefaultLanguage).Stem})
			}
		}
	}
	if p := st.Poll; p != nil {
		d.Poll = &consolePoll{ID: p.ID, Prompt: p.Prompt, Status: p.Status, Anonymous: p.Anonymous, MinGroup: p.MinGroup, Text: p.Form == model.AnswerText}
		if p.Tally != nil {
			d.Poll.Voters, d.Poll.Answers = p.Tally.Voters, p.Tally.Answers
		}
	}
	return d, nil
}

// sectionsOf lists a lesson's headings for a <select>, indented by level below the highest.
func sectionsOf(v *course.LessonVersion) []consoleSection {
	if v == nil || len(v.Headings) == 0 {
		return nil
	}
	top := v.Headings[0].Level
	for _, h := range v.Headings {
		top = min(top, h.Level)
	}
	out := make([]consoleSection, 0, len(v.Headings))
	for _, h := range v.Headings {
		// No-break spaces: a <select> keeps them, where it would collapse ordinary ones.
		out = append(out, consoleSection{ID: h.ID, Label: strings.Repeat("\u00a0\u00a0\u00a0", h.Level-top) + h.Text})
	}
	return out
}

// consoleMember is the member behind a console form: trainers of the cohort and admins.
// Learners of the cohort are refused (403); everyone else does not see the session (404).
func (s *Server) consoleMember(c *fiber.Ctx) (live.Member, error) {
	m, err := s.liveMember(c)
	if err != nil {
		return m, err
	}
	if !m.Trainer {
		return m, fiber.ErrForbidden
	}
	return m, nil
}

// consoleDone returns to the console after a form that worked, with a message (or to the
// presenter view, for its own controls: presentBack).
func (s *Server) consoleDone(c *fiber.Ctx, m live.Member, flash string) error {
	if flash != "" {
		s.flash(c, flash)
	}
	if to := presentBack(c, m); to != "" {
		return redirect(c, to)
	}
	return redirect(c, "/live/"+strconv.FormatInt(m.Session.ID, 10)+"#console")
}

// consoleRefused shows the live page again with the console form f sent back and status:
// what was typed stays in the form, and the reason is beside it.
func (s *Server) consoleRefused(c *fiber.Ctx, status int, f *consoleForm) error {
	c.Locals(consoleFormKey, f)
	if err := s.showLive(c); err != nil {
		return err
	}
	// The page is rendered; its status is still ours to set until the handler returns.
	c.Status(status)
	return nil
}

// consoleRefusal is the localised reason for a refused console action, and the status that
// goes with it; ok is false for an error that is not a refusal (a server fault).
func (s *Server) consoleRefusal(c *fiber.Ctx, err error) (why string, status int, ok bool) {
	var ce *live.ClientError
	if !errors.As(err, &ce) {
		return "", 0, false
	}
	status = fiber.StatusUnprocessableEntity
	if ce.Code == "rate_limited" {
		status = fiber.StatusTooManyRequests
		c.Set(fiber.HeaderRetryAfter, "5")
	}
	return state(c).loc.T("flash_live_" + ce.Code), status, true
}
