package web

import (
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/live"
	"github.com/cairn-lms/cairn/app/model"
)

// plainPoll is a poll as the server renders it: on the live page's live part (live_frame.go)
// and in the summary.
type plainPoll struct {
	ID       int64
	Kind     string // model.PollKindPoll (typed by the trainer) or model.PollKindQuiz (the course's text)
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
	Anonymous bool

	// The viewer's own answer, once revealed: Outcome is "right" or "wrong" when the poll
	// has a right answer and their answer is known (then Options marks theirs, Mine);
	// MineUnknown when they answered an anonymous poll, whose answers are not kept.
	Outcome     string
	MineUnknown bool
}

// Places are the choices of place for each item of an ordering, 1 first.
func (p *plainPoll) Places() []int {
	out := make([]int, len(p.Items))
	for i := range out {
		out[i] = i + 1
	}
	return out
}

// Mine is whether the viewer's answer is known and shown (some option is marked theirs).
func (p *plainPoll) Mine() bool {
	return slices.ContainsFunc(p.Options, func(o plainOption) bool { return o.Mine })
}

type plainOption struct {
	ID, Text string
	MsgID    string // a label to translate instead of Text (right, wrong, true, false)
	Votes    int
	Correct  bool
	Mine     bool // the viewer's answer (shown once revealed)
}

// showLivePlain: the page without JavaScript was folded into the live page, which works
// with and without it; old links and bookmarks lead there.
func (s *Server) showLivePlain(c *fiber.Ctx) error {
	m, err := s.liveMember(c)
	if err != nil {
		return err
	}
	return c.Redirect(livePath(m), fiber.StatusMovedPermanently)
}

func toPlainPoll(p *live.SnapshotPoll) *plainPoll {
	out := &plainPoll{ID: p.ID, Kind: p.Kind, Prompt: p.Prompt, Status: p.Status, Voted: p.Voted, Multiple: p.Multiple, Form: p.Form,
		Revealed: p.Status == model.PollRevealed, Anonymous: p.Anonymous}
	var counts map[string]int
	var correct []string
	if r := p.Results; r != nil {
		out.Voters, out.Uncounted, counts = r.Voters, r.Uncounted, r.Counts
		if q := r.QuizReveal; q != nil {
			out.Explain, out.Solution, correct = q.Explanation, q.Solution, q.Correct
		}
	}
	trueFalse := p.Kind == model.PollKindQuiz && len(p.Options) == 2 && p.Options[0].ID == "true" && p.Options[1].ID == "false"
	bars := make([]plainOption, 0, len(p.Options))
	for _, o := range p.Options {
		po := plainOption{ID: o.ID, Text: o.Text}
		if trueFalse {
			po.MsgID = "live_" + o.ID
		}
		bars = append(bars, po)
	}
	if p.Form != model.AnswerChoice {
		out.Items = bars
		bars = []plainOption{{ID: model.GradedRight, MsgID: "live_right"}, {ID: model.GradedWrong, MsgID: "live_wrong"}}
	}
	// A graded answer is kept as right or wrong; a multiple answer as its ids joined by commas.
	var mine []string
	if p.MyChoice != "" {
		mine = strings.Split(p.MyChoice, ",")
	}
	for i := range bars {
		bars[i].Votes = counts[bars[i].ID]
		bars[i].Correct = slices.Contains(correct, bars[i].ID)
		bars[i].Mine = out.Revealed && slices.Contains(mine, bars[i].ID)
	}
	out.Options = bars
	if out.Revealed && p.Voted {
		switch {
		case len(mine) == 0:
			out.MineUnknown = p.Anonymous
		case len(correct) > 0:
			out.Outcome = model.GradedWrong
			if sameSet(mine, correct) {
				out.Outcome = model.GradedRight
			}
		}
	}
	return out
}

// sameSet tells whether a and b hold the same ids, in any order.
func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}

// Max is the bars' full length: the number of voters, at least 1.
func (p *plainPoll) Max() int { return max(p.Voters, 1) }
