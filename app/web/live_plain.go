package web

import (
	"encoding/json"
	"html/template"
	"strconv"

	"github.com/gofiber/fiber/v2"
)

type livePlainData struct {
	SessionID int64
	Title     string
	State     map[string]any
	Poll      *plainPoll
	Lesson    template.HTML
	Refresh   int // seconds between automatic refreshes; 0 when paused
	Ended     bool
}

type plainPoll struct {
	ID       int64
	Prompt   string
	Status   string
	Voted    bool
	Multiple bool
	Options  []plainOption
	Revealed bool
	Voters   int
	Explain  string
}

type plainOption struct {
	ID, Text string
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
	st, err := s.live.State(c.UserContext(), m)
	if err != nil {
		return err
	}
	d := livePlainData{SessionID: m.Session.ID, Title: m.Session.Title, State: st, Refresh: 10, Ended: m.Session.EndedAt != nil}
	if c.Query("pause") != "" || d.Ended {
		d.Refresh = 0
	}
	if step, ok := st["step"].(map[string]any); ok {
		if crs := s.catalog().Course(m.Cohort.CourseID); crs != nil {
			if l := crs.Lesson(step["lesson"].(string)); l != nil {
				v, _ := l.Version(m.Cohort.Lang)
				d.Lesson = v.HTML
			}
		}
	}
	if pv, ok := st["poll"].(map[string]any); ok {
		d.Poll = toPlainPoll(pv)
	}
	if d.Refresh > 0 {
		c.Set("Refresh", strconv.Itoa(d.Refresh)) // as well as the meta tag, for browsers that honour the header
	}
	return s.renderTitled(c, fiber.StatusOK, "live_plain", m.Session.Title, d)
}

func toPlainPoll(pv map[string]any) *plainPoll {
	raw, _ := json.Marshal(pv)
	var p struct {
		ID       int64  `json:"id"`
		Prompt   string `json:"prompt"`
		Status   string `json:"status"`
		Voted    bool   `json:"voted"`
		Multiple bool   `json:"multiple"`
		Voters   int    `json:"voters"`
		Options  []struct {
			ID   string `json:"id"`
			Text string `json:"text"`
		} `json:"options"`
		Counts      map[string]int `json:"counts"`
		Correct     []string       `json:"correct"`
		Explanation string         `json:"explanation"`
	}
	_ = json.Unmarshal(raw, &p)
	out := &plainPoll{ID: p.ID, Prompt: p.Prompt, Status: p.Status, Voted: p.Voted, Multiple: p.Multiple, Revealed: p.Status == "revealed", Voters: p.Voters, Explain: p.Explanation}
	for _, o := range p.Options {
		correct := false
		for _, c := range p.Correct {
			correct = correct || c == o.ID
		}
		out.Options = append(out.Options, plainOption{ID: o.ID, Text: o.Text, Votes: p.Counts[o.ID], Correct: correct})
	}
	return out
}

// jsonRaw lets a stored JSON column be re-read as part of a map.
func jsonRaw(s string) json.RawMessage { return json.RawMessage(s) }
