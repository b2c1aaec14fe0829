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
	Spans   []model.LiveAttendance
	Minutes int
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
	Member     any
	Title      string
	Attendance []attendanceRow
	Polls      []pollSummary
	Questions  []model.LiveQuestion
	Trainer    bool
}

// showLiveSummary: attendance (trainers only), poll results and questions.
func (s *Server) showLiveSummary(c *fiber.Ctx) error {
	m, err := s.liveMember(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	d := liveSummaryData{Title: m.Session.Title, Trainer: m.Trainer}
	if m.Trainer {
		spans, err := s.store.Attendance(ctx, m.Session.ID)
		if err != nil {
			return err
		}
		byUser := map[int64]*attendanceRow{}
		var order []int64
		end := s.now()
		if m.Session.EndedAt != nil {
			end = *m.Session.EndedAt
		}
		for _, a := range spans {
			r := byUser[a.UserID]
			if r == nil {
				name := ""
				if a.User != nil {
					name = a.User.Name()
				}
				r = &attendanceRow{Name: name}
				byUser[a.UserID] = r
				order = append(order, a.UserID)
			}
			r.Spans = append(r.Spans, a)
			until := end
			if a.LeftAt != nil {
				until = *a.LeftAt
			}
			r.Minutes += int(until.Sub(a.JoinedAt) / time.Minute)
		}
		for _, id := range order {
			d.Attendance = append(d.Attendance, *byUser[id])
		}
		sort.SliceStable(d.Attendance, func(i, j int) bool { return d.Attendance[i].Name < d.Attendance[j].Name })
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
		pp := toPlainPoll(&live.SnapshotPoll{PollView: live.PollView{Options: opts, Form: p.AnswerForm, Results: &live.Results{Counts: counts}}})
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
