package web

import (
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/live"
	"github.com/cairn-lms/cairn/app/locale"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
)

// presentRefresh is how often the presenter view reloads itself without JavaScript.
const presentRefresh = 5

// presentCountdowns are the countdowns the presenter view offers, in seconds from a poll's
// launch.
var presentCountdowns = []int{30, 60, 90, 120, 180, 300}

type presentData struct {
	SessionID   int64
	ContentLang string
	ContentDir  string
	JoinCode    string // "" when joining the cohort is closed
	JoinLink    string // what the QR code holds: the join link, or the session's link
	QR          bool   // JoinLink is absolute (CAIRN_BASE_URL is set), so a phone can open it
	Step        *live.StepView
	Poll        *presentPoll
	Present     int
	Ended       bool
	Refresh     int
	Countdown   int // seconds from the poll's launch; 0: none
	Countdowns  []presentCountdown
	Now         int64 // server time, Unix ms: the script's clock runs from it
	// Lessons are the course's lesson ids in order: the N key takes everyone to the next,
	// unless the session follows a plan (Plan), when N performs the plan's next step.
	Lessons string
	Plan    bool
	PlanAt  int    // the plan's step performed last (-1 before the first): "from" of its next step
	CSRF    string // for the plan's "next step", which the N key posts
	// MinGroup is the group size polls are opened with: the script's "results appear once K
	// people have answered" is worded (its plural form) for it.
	MinGroup int
	// The view's controls are forms that work without JavaScript (present.js does the same
	// over the websocket): the plan's next step when it has one (PlanNext), else the next
	// lesson (NextLesson, "" after the last); close and reveal; the join code put away
	// (JoinHidden, ?join=hide). Notice says what the last one did.
	PlanNext   bool
	NextLesson string
	JoinHidden bool
	Notice     string
}

// URL is the presenter view as it is shown (its countdown, and the join code put away or
// not), with the join code put away if hideJoin: where its controls lead back to.
func (d presentData) URL(hideJoin bool) string {
	return presentURL(d.SessionID, d.Countdown, hideJoin)
}

func presentURL(session int64, countdown int, hideJoin bool) string {
	q := url.Values{}
	if slices.Contains(presentCountdowns, countdown) {
		q.Set("countdown", strconv.Itoa(countdown))
	}
	if hideJoin {
		q.Set("join", "hide")
	}
	u := "/live/" + strconv.FormatInt(session, 10) + "/present"
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	return u
}

// presentBack is where a control of the presenter view (a console form sent with
// back=present) leads back to: the view as it was shown; "" for a form of the console.
func presentBack(c *fiber.Ctx, m live.Member) string {
	if c.FormValue("back") != "present" {
		return ""
	}
	n, _ := strconv.Atoi(c.FormValue("countdown"))
	return presentURL(m.Session.ID, n, c.FormValue("join") == "hide")
}

// presentRefused leads a refused control of the presenter view back to it, with why.
func (s *Server) presentRefused(c *fiber.Ctx, to string, err error) error {
	var ce *live.ClientError
	if !errors.As(err, &ce) {
		return err
	}
	s.flash(c, "flash_live_"+ce.Code)
	return redirect(c, to)
}

// presentCountdown is a countdown offered, in seconds and as shown (1:30).
type presentCountdown struct {
	Seconds int
	Label   string
}

type presentPoll struct {
	ID        int64
	Prompt    string
	Status    string
	Anonymous bool
	Voters    int
	MinGroup  int
	Form      string
	Options   []live.OptionView // as participants see them (an ordering's items; none for a short answer)
	Bars      []presentBar      // once revealed
	Uncounted int
	// A revealed scale's bars with its mean and median as text ("" without answers), and a
	// revealed open-text poll's word cloud.
	Kind         string
	ScaleRows    []scaleRow
	Mean, Median string
	Cloud        []live.CloudWord
	LowLabel     string
	HighLabel    string
	Explain      string
	Solution     []string
	OpenedAt     int64 // Unix ms
	ClosedAt     int64 // Unix ms; 0 while open
	Elapsed      string
	Remaining    string // "" without a countdown
	TimeUp       bool
}

type presentBar struct {
	ID, Text string
	MsgID    string // a label to translate instead of Text (right, wrong)
	Votes    int
	Percent  int // of the voters
	Correct  bool
}

func (p *presentPoll) Open() bool     { return p.Status == model.PollOpen }
func (p *presentPoll) Scale() bool    { return p.Kind == model.PollKindScale }
func (p *presentPoll) Text() bool     { return p.Kind == model.PollKindText }
func (p *presentPoll) Revealed() bool { return p.Status == model.PollRevealed }

// Hidden: an anonymous poll whose results cannot be shown yet, for too few answers.
func (p *presentPoll) Hidden() bool { return p.Anonymous && !p.Revealed() && p.Voters < p.MinGroup }

// showLivePresent is the presenter view, for the projector: the join code, link and QR
// code, the current step, the current question with its number of answers, the results
// as a large chart once revealed, and a timer. Trainers only. It follows the console live
// through assets/static/js/present.js (a websocket that does not count as a person in the
// room); without JavaScript it reloads itself every few seconds, and a reload that finds
// nothing changed is answered 304.
func (s *Server) showLivePresent(c *fiber.Ctx) error {
	m, err := s.consoleMember(c)
	if err != nil {
		return err
	}
	st, err := s.live.State(c.UserContext(), m)
	if err != nil {
		return err
	}
	now := s.now()
	crs := s.catalog().Course(m.Cohort.CourseID)
	d := presentData{
		SessionID: m.Session.ID, ContentLang: contentLang(crs, m),
		Step: st.Step, Ended: st.Session.Ended, Now: now.UnixMilli(), MinGroup: s.cfg.LiveMinGroup,
	}
	d.ContentDir = locale.Dir(d.ContentLang)
	for _, n := range presentCountdowns {
		d.Countdowns = append(d.Countdowns, presentCountdown{Seconds: n, Label: clockText(int64(n))})
	}
	if !d.Ended {
		d.Refresh = presentRefresh
	}
	if crs != nil {
		ids := make([]string, 0, len(crs.Lessons))
		at := -1 // the lesson shown (none, or a plan's prompt or break: before the first)
		for i, l := range crs.Lessons {
			ids = append(ids, l.ID)
			if d.Step != nil && d.Step.Lesson == l.ID {
				at = i
			}
		}
		d.Lessons = strings.Join(ids, " ")
		if at+1 < len(ids) {
			d.NextLesson = ids[at+1]
		}
	}
	switch sp, err := s.store.SessionPlan(c.UserContext(), m.Session.ID); {
	case err == nil:
		d.Plan, d.PlanAt = true, sp.Position
		totals, err := s.store.PlanTotals(c.UserContext(), []int64{sp.PlanID})
		if err != nil {
			return err
		}
		d.PlanNext = sp.Position+1 < totals[sp.PlanID].Steps
	case !errors.Is(err, store.ErrNotFound):
		return err
	}
	rs := state(c)
	d.CSRF = rs.csrf
	d.JoinHidden = c.Query("join") == "hide"
	// What a control of the view just did (console_*.go, live_plan_next.go) is said in its
	// status line, not above the projected page.
	d.Notice, rs.flash = rs.flash, ""
	if st.TrainerState != nil {
		d.Present = st.Participants
	}
	if n, err := strconv.Atoi(c.Query("countdown")); err == nil && slices.Contains(presentCountdowns, n) {
		d.Countdown = n
	}
	if code := m.Cohort.JoinCode; code != nil {
		d.JoinCode = formatJoinCode(*code)
	}
	d.JoinLink, d.QR = s.presentLink(m), s.cfg.BaseURL != ""
	if st.Poll != nil {
		d.Poll = toPresentPoll(st.Poll, now, d.Countdown, state(c).loc.T("live_decimal_separator"))
	}
	if err := s.renderTitled(c, fiber.StatusOK, "live_present", m.Session.Title, d); err != nil {
		return err
	}
	return notModifiedIfSame(c)
}

// presentLink is the link the room is given to join the session: the cohort's join link,
// which leads on to the session (join_submit.go), or, when joining is closed, the session's
// own link for those already in the cohort.
func (s *Server) presentLink(m live.Member) string {
	id := strconv.FormatInt(m.Session.ID, 10)
	if code := m.Cohort.JoinCode; code != nil {
		return s.sendableLink("/join?" + url.Values{"code": {*code}, "live": {id}}.Encode())
	}
	return s.sendableLink("/live/" + id)
}

// notModifiedIfSame tags the page just rendered with a hash of its body, and answers 304
// without the body when the browser has that version: the reload of a presenter view
// without JavaScript costs a few bytes while nothing changes. The page may be kept by the
// browser, never by a shared cache.
func notModifiedIfSame(c *fiber.Ctx) error {
	sum := sha256.Sum256(c.Response().Body())
	tag := `"` + base64.RawURLEncoding.EncodeToString(sum[:12]) + `"`
	c.Set(fiber.HeaderETag, tag)
	c.Set(fiber.HeaderCacheControl, "private, no-cache")
	for _, t := range strings.Split(c.Get(fiber.HeaderIfNoneMatch), ",") {
		if strings.TrimPrefix(strings.TrimSpace(t), "W/") == tag {
			c.Response().ResetBody()
			c.Status(fiber.StatusNotModified)
			return nil
		}
	}
	return nil
}

// toPresentPoll is the current poll as the projector shows it; sep is the decimal separator
// of the page's language (a scale's mean).
func toPresentPoll(p *live.SnapshotPoll, now time.Time, countdown int, sep string) *presentPoll {
	out := &presentPoll{ID: p.ID, Prompt: p.Prompt, Status: p.Status, Anonymous: p.Anonymous, MinGroup: p.MinGroup,
		Form: p.Form, Options: p.Options, OpenedAt: p.OpenedAt, ClosedAt: p.ClosedAt,
		Kind: p.Kind, LowLabel: p.LowLabel, HighLabel: p.HighLabel}
	if p.Tally != nil {
		out.Voters = p.Tally.Voters
	}
	end := now.UnixMilli()
	if p.ClosedAt != 0 {
		end = p.ClosedAt
	}
	elapsed := max(0, (end-p.OpenedAt)/1000)
	out.Elapsed = clockText(elapsed)
	// The countdown is for answering: a closed poll has none left to count.
	if countdown > 0 && p.Status == model.PollOpen {
		left := max(0, int64(countdown)-elapsed)
		out.Remaining, out.TimeUp = clockText(left), left == 0
	}
	r := p.Results
	if r == nil {
		return out
	}
	out.Voters, out.Uncounted = r.Voters, r.Uncounted
	// Scale and open-text polls are drawn as on the participants' page (live_poll_part.go),
	// without anyone's own answer: the projector is nobody's.
	switch part := (&pollPart{Poll: &live.SnapshotPoll{PollView: p.PollView}}); p.Kind {
	case model.PollKindScale:
		out.ScaleRows = part.ScaleRows()
		if r.ScaleStats != nil {
			out.Mean, out.Median = formatTenths(r.Mean, sep, false), formatTenths(r.Median, sep, true)
		}
		return out
	case model.PollKindText:
		out.Cloud = part.Cloud()
		return out
	}
	var correct []string
	if q := r.QuizReveal; q != nil {
		out.Explain, out.Solution, correct = q.Explanation, q.Solution, q.Correct
	}
	bars := make([]presentBar, 0, len(p.Options))
	if p.Form == model.AnswerChoice {
		for _, o := range p.Options {
			bars = append(bars, presentBar{ID: o.ID, Text: o.Text})
		}
	} else {
		bars = append(bars, presentBar{ID: model.GradedRight, MsgID: "live_right"}, presentBar{ID: model.GradedWrong, MsgID: "live_wrong"})
	}
	for i := range bars {
		bars[i].Votes = r.Counts[bars[i].ID]
		bars[i].Correct = slices.Contains(correct, bars[i].ID)
		if r.Voters > 0 {
			bars[i].Percent = bars[i].Votes * 100 / r.Voters
		}
	}
	out.Bars = bars
	return out
}

// clockText is a duration in seconds as minutes and seconds, 1:05.
func clockText(seconds int64) string {
	return fmt.Sprintf("%d:%02d", seconds/60, seconds%60)
}
