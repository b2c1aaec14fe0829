package web

import (
	"encoding/json"
	"html/template"
	"sort"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/live"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/wordcloud"
)

type attendanceRow struct {
	Name    string
	RoleID  string // message id of their role in the cohort
	Spans   []model.LiveAttendance
	Minutes int
	// Disabled: an administrator disabled the account since (marked; the attendance stays).
	Disabled bool
}

type pollSummary struct {
	Poll    model.LivePoll
	Options []plainOption
	Voters  int
	Hidden  bool // anonymous poll below the minimum group: no counts shown
	// Scale and open-text polls (live_poll_part.go): the mean and median, or the cloud.
	Mean, Median string
	Cloud        []wordcloud.Word
}

type liveSummaryData struct {
	Member any
	Title  string
	// ContentLang is the language of the course's text (a quiz question and its answers),
	// with its own lang and dir whatever the reader's interface (live_helpers.go).
	ContentLang string
	Attendance  []attendanceRow
	Polls       []pollSummary
	Questions   []model.LiveQuestion
	Trainer     bool
}

// showLiveSummary: attendance (trainers only), poll results and questions.
func (s *Server) showLiveSummary(c *fiber.Ctx) error {
	m, err := s.liveMember(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	d := liveSummaryData{Title: m.Session.Title, Trainer: m.Trainer, ContentLang: contentLang(s.catalog().Course(m.Cohort.CourseID), m)}
	if m.Trainer {
		if d.Attendance, err = s.attendance(c, m); err != nil {
			return err
		}
	}
	polls, err := s.store.Polls(ctx, m.Session.ID)
	if err != nil {
		return err
	}
	for _, p := range polls {
		counts, voters, err := s.store.PollCounts(ctx, nil, p.ID)
		if err != nil {
			return err
		}
		ps := pollSummary{Poll: p, Voters: voters, Hidden: p.Anonymous && voters < p.MinGroup}
		var opts []live.OptionView
		_ = json.Unmarshal([]byte(p.Options), &opts)
		pp := toPlainPoll(&live.SnapshotPoll{PollView: live.PollView{Options: opts, Form: p.AnswerForm, Kind: p.Kind, Results: &live.Results{Counts: counts}}})
		ps.Options = pp.Options
		if err := s.summariseKind(c, m, &ps, counts); err != nil {
			return err
		}
		d.Polls = append(d.Polls, ps)
	}
	qs, err := s.store.Questions(ctx, m.Session.ID, m.Trainer)
	if err != nil {
		return err
	}
	d.Questions = qs
	return s.renderTitled(c, fiber.StatusOK, "live_summary", m.Session.Title, d)
}

func templateEscape(s string) string { return template.HTMLEscapeString(s) }

// attendance lists each person who attended, with their role in the cohort and the minutes
// they were there: their stretches overlap when they followed on two tabs or devices, or
// when the page's live part counted them before its script took over, and count once.
func (s *Server) attendance(c *fiber.Ctx, m live.Member) ([]attendanceRow, error) {
	ctx := c.UserContext()
	spans, err := s.store.Attendance(ctx, m.Session.ID)
	if err != nil {
		return nil, err
	}
	roles, err := s.store.AttendeeRoles(ctx, m.Session.ID, m.Cohort.ID)
	if err != nil {
		return nil, err
	}
	end := s.now()
	if m.Session.EndedAt != nil {
		end = *m.Session.EndedAt
	}
	byUser := map[int64]*attendanceRow{}
	var order []int64
	for _, a := range spans { // by person, then by the time they joined
		r := byUser[a.UserID]
		if r == nil {
			r = &attendanceRow{RoleID: roleMessage(roles[a.UserID], a.User)}
			if a.User != nil {
				r.Name, r.Disabled = a.User.Name(), a.User.Disabled()
			}
			byUser[a.UserID] = r
			order = append(order, a.UserID)
		}
		r.Spans = append(r.Spans, a)
	}
	out := make([]attendanceRow, 0, len(order))
	for _, id := range order {
		r := byUser[id]
		var covered time.Duration
		var until time.Time // the end of what is counted so far
		for _, a := range r.Spans {
			left := end
			if a.LeftAt != nil {
				left = *a.LeftAt
			}
			from := a.JoinedAt
			if from.Before(until) {
				from = until
			}
			if left.After(from) {
				covered += left.Sub(from)
				until = left
			}
		}
		r.Minutes = int(covered / time.Minute)
		out = append(out, *r)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// roleMessage names a person's role in the cohort (an administrator who drove the session
// need not be a member).
func roleMessage(role string, u *model.User) string {
	switch {
	case role == model.CohortTrainer:
		return "role_trainer"
	case role == model.CohortLearner:
		return "role_learner"
	case u != nil && u.HasRole(model.RoleAdmin):
		return "role_admin"
	}
	return "live_role_former"
}
