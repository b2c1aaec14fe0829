package web

import (
	"html/template"
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/live"
	"github.com/cairn-lms/cairn/app/model"
)

type livePlainData struct {
	SessionID int64
	Title     string
	State     *live.SnapshotMsg
	Poll      *plainPoll
	Lesson    template.HTML
	Refresh   int // seconds between automatic refreshes; 0 when paused
	Ended     bool

	// A refused form comes back with what was typed and why (live_forms.go).
	VoteError, Answer string
	AskError, AskBody string
	AskAnonymous      bool
}

type plainPoll struct {
	ID       int64
	Prompt   string
	Status   string
	Voted    bool
	Multiple bool
	Form     string        // "" (choose among Options), "short" or "ordering"
	Items    []plainOption // ordering: the options to put in order, as shown
	Options  []plainOption // the bars: each option, or right and wrong for graded forms
	Revealed bool
	Voters   int
	// Uncounted anonymous votes: recorded without their choice (see store.RecordAnonymousVotes).
	Uncounted int
	Explain   string
	Solution  []string // graded forms, once revealed: accepted answers, or the right order
}

// Places are the choices of place for each item of an ordering, 1 first.
func (p *plainPoll) Places() []int {
	out := make([]int, len(p.Items))
	for i := range out {
		out[i] = i + 1
	}
	return out
}

type plainOption struct {
	ID, Text string
	MsgID    string // a label to translate instead of Text (right, wrong)
	Votes    int
	Correct  bool
}

// showLivePlain is the participant's page without JavaScript: the current step with the
// lesson text, the open poll as a form, questions with upvote buttons, and a form to ask.
// It refreshes itself every few seconds (a meta refresh, allowed by the CSP), unless the
// participant pauses it (?pause=1): to read at their own pace, with a screen reader that a
// refresh would send back to the top, or to write a question, which a refresh would wipe.
// The question form is therefore only on the paused page.
func (s *Server) showLivePlain(c *fiber.Ctx) error {
	m, err := s.liveMember(c)
	if err != nil {
		return err
	}
	return s.renderLivePlain(c, m, fiber.StatusOK, func(d *livePlainData) {
		if c.Query("pause") != "" {
			d.Refresh = 0
		}
	})
}

// renderLivePlain shows the plain page; adjust sets what the request asks for (paused, a
// refused form) before it is rendered.
func (s *Server) renderLivePlain(c *fiber.Ctx, m live.Member, status int, adjust func(*livePlainData)) error {
	st, err := s.live.State(c.UserContext(), m)
	if err != nil {
		return err
	}
	d := livePlainData{SessionID: m.Session.ID, Title: m.Session.Title, State: st, Refresh: 10, Ended: m.Session.EndedAt != nil}
	adjust(&d)
	if d.Ended {
		d.Refresh = 0
	}
	if st.Step != nil {
		if crs := s.catalog().Course(m.Cohort.CourseID); crs != nil {
			if l := crs.Lesson(st.Step.Lesson); l != nil {
				v, _ := l.Version(m.Cohort.Lang)
				d.Lesson = v.HTML
			}
		}
	}
	if st.Poll != nil {
		d.Poll = toPlainPoll(st.Poll)
	}
	if d.Refresh > 0 {
		c.Set("Refresh", strconv.Itoa(d.Refresh)) // as well as the meta tag, for browsers that honour the header
	}
	return s.renderTitled(c, status, "live_plain", m.Session.Title, d)
}

func toPlainPoll(p *live.SnapshotPoll) *plainPoll {
	out := &plainPoll{ID: p.ID, Prompt: p.Prompt, Status: p.Status, Voted: p.Voted, Multiple: p.Multiple, Form: p.Form,
		Revealed: p.Status == model.PollRevealed}
	var counts map[string]int
	var correct []string
	if r := p.Results; r != nil {
		out.Voters, out.Uncounted, counts = r.Voters, r.Uncounted, r.Counts
		if q := r.QuizReveal; q != nil {
			out.Explain, out.Solution, correct = q.Explanation, q.Solution, q.Correct
		}
	}
	bars := make([]plainOption, 0, len(p.Options))
	for _, o := range p.Options {
		bars = append(bars, plainOption{ID: o.ID, Text: o.Text})
	}
	if p.Form != model.AnswerChoice {
		out.Items = bars
		bars = []plainOption{{ID: model.GradedRight, MsgID: "live_right"}, {ID: model.GradedWrong, MsgID: "live_wrong"}}
	}
	for i := range bars {
		bars[i].Votes = counts[bars[i].ID]
		bars[i].Correct = slices.Contains(correct, bars[i].ID)
	}
	out.Options = bars
	return out
}
