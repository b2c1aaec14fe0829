package web

import (
	"math"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/live"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
	"github.com/cairn-lms/cairn/app/wordcloud"
)

// pollPart is what the partials of scale and open-text polls render (partials/
// live_poll_scale.html, live_poll_text.html): the current poll of a live page's state, with
// the vote form while it is open and the results once revealed, without JavaScript. A page
// includes one with {{template "live_poll_scale" (livePoll $ .Data.State)}}.
type pollPart struct {
	Page      *Page
	SessionID int64
	Poll      *live.SnapshotPoll
	// A refused answer comes back with why and what was typed (livePollRetry).
	VoteError, Answer string
	// InFrame: the form is in the live page's frame; Shown is the lesson around it.
	InFrame bool
	Shown   string
	// Confirmed: the participant has just answered (the page says so where the poll is).
	Confirmed bool
}

// livePollRetry is what a live page's data may implement for the poll partials: why the
// last answer was refused, and what was typed in it.
type livePollRetry interface {
	livePollRetry() (why, answer string)
}

func (d liveFrameData) livePollRetry() (string, string) { return d.VoteError, d.Answer }

// liveFrameForm is what a page in the live page's frame adds to a form, so the answer
// leads back into the frame (live_frame.go) rather than loading the whole page in it.
func (d liveFrameData) liveFrameForm() (shown string) { return d.Shown }

// pollConfirmed: the live part confirms an answer just sent where the poll is.
func (d liveFrameData) pollConfirmed() bool { return d.NoticeAt == liveAtPoll }

// livePoll is the template function that makes a pollPart of a page and its live state.
func livePoll(page *Page, st *live.SnapshotMsg) *pollPart {
	if st == nil || st.Poll == nil {
		return nil
	}
	out := &pollPart{Page: page, SessionID: st.Session.ID, Poll: st.Poll}
	if r, ok := page.Data.(livePollRetry); ok {
		out.VoteError, out.Answer = r.livePollRetry()
	}
	if f, ok := page.Data.(interface{ liveFrameForm() string }); ok {
		out.InFrame, out.Shown = true, f.liveFrameForm()
	}
	if f, ok := page.Data.(interface{ pollConfirmed() bool }); ok {
		out.Confirmed = f.pollConfirmed()
	}
	return out
}

// Open, Revealed: the poll's state.
func (p *pollPart) Open() bool { return p.Poll.Status == model.PollOpen }
func (p *pollPart) Revealed() bool {
	return p.Poll.Status == model.PollRevealed && p.Poll.Results != nil
}

// Voters and Uncounted are a revealed poll's.
func (p *pollPart) Voters() int {
	if !p.Revealed() {
		return 0
	}
	return p.Poll.Voters
}

func (p *pollPart) Uncounted() int {
	if !p.Revealed() {
		return 0
	}
	return p.Poll.Uncounted
}

// DescribedBy names the words at the end of the scale that describe a point, if any.
func (p *pollPart) DescribedBy(point string) string {
	switch {
	case point == live.ScalePoints[0] && p.Poll.LowLabel != "":
		return "scale-low-" + strconv.FormatInt(p.Poll.ID, 10)
	case point == live.ScalePoints[len(live.ScalePoints)-1] && p.Poll.HighLabel != "":
		return "scale-high-" + strconv.FormatInt(p.Poll.ID, 10)
	}
	return ""
}

// scaleRow is one point of a revealed scale: its bar, and the words at its end of the scale.
type scaleRow struct {
	Value       string
	End         string
	Votes, Most int // Most: the largest count, the bars' full length
	Mine        bool
}

// ScaleRows are a revealed scale's bars, 1 first.
func (p *pollPart) ScaleRows() []scaleRow {
	if !p.Revealed() {
		return nil
	}
	most := 1
	for _, n := range p.Poll.Counts {
		most = max(most, n)
	}
	rows := make([]scaleRow, 0, len(live.ScalePoints))
	for i, v := range live.ScalePoints {
		r := scaleRow{Value: v, Votes: p.Poll.Counts[v], Most: most, Mine: p.Poll.MyChoice == v}
		switch i {
		case 0:
			r.End = p.Poll.LowLabel
		case len(live.ScalePoints) - 1:
			r.End = p.Poll.HighLabel
		}
		rows = append(rows, r)
	}
	return rows
}

// Mean and Median are a revealed scale's, written for the page's language ("" when no
// answer was counted).
func (p *pollPart) Mean() string {
	if !p.Revealed() || p.Poll.ScaleStats == nil {
		return ""
	}
	return formatTenths(p.Poll.Mean, p.Page.T("live_decimal_separator"), false)
}

func (p *pollPart) Median() string {
	if !p.Revealed() || p.Poll.ScaleStats == nil {
		return ""
	}
	return formatTenths(p.Poll.Median, p.Page.T("live_decimal_separator"), true)
}

// formatTenths writes x with one decimal after sep ("3.5", "3,5"); with short, a whole
// number without it ("4": a median is a value chosen, or halfway between two).
func formatTenths(x float64, sep string, short bool) string {
	if short && x == math.Trunc(x) {
		return strconv.FormatFloat(x, 'f', 0, 64)
	}
	s := strconv.FormatFloat(x, 'f', 1, 64)
	return s[:len(s)-2] + sep + s[len(s)-1:]
}

// Cloud is a revealed open-text poll's word cloud, in the order it is shown.
func (p *pollPart) Cloud() []live.CloudWord {
	if !p.Revealed() {
		return nil
	}
	return p.Poll.Cloud
}

// MaxLength is the longest answer an open-text poll takes.
func (p *pollPart) MaxLength() int { return live.MaxTextAnswer }

// summariseKind adds to a session summary's poll what a scale or an open-text poll shows
// besides its counts: the mean and median, or the word cloud (without the words hidden),
// unless the poll is an anonymous one below the minimum group.
func (s *Server) summariseKind(c *fiber.Ctx, m live.Member, ps *pollSummary, counts map[string]int) error {
	if ps.Hidden {
		return nil
	}
	sep := state(c).loc.T("live_decimal_separator")
	switch ps.Poll.Kind {
	case model.PollKindScale:
		if st := live.ScaleStatsOf(counts); st != nil {
			ps.Mean, ps.Median = formatTenths(st.Mean, sep, false), formatTenths(st.Median, sep, true)
		}
	case model.PollKindText:
		answers, err := s.store.PollAnswers(c.UserContext(), nil, ps.Poll.ID)
		if err != nil {
			return err
		}
		hidden := map[string]bool{}
		for _, k := range store.HiddenWords(&ps.Poll) {
			hidden[k] = true
		}
		bodies := make([]string, len(answers))
		for i, a := range answers {
			bodies[i] = a.Body
		}
		ps.Cloud = wordcloud.Build(bodies, m.Cohort.Lang, hidden)
	}
	return nil
}
