package live

import (
	"context"
	"strconv"

	"github.com/cairn-lms/cairn/app/model"
)

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// Snapshot is the whole state a (re)joining member needs, at the current sequence number.
// Clients apply only events numbered after it, so joining and reconnecting are always safe.
// The hub notes its number: a room whose clients are behind the database can be found.
func (s *Service) Snapshot(ctx context.Context, m Member) ([]byte, error) {
	state, err := s.State(ctx, m)
	if err != nil {
		return nil, err
	}
	state["type"] = "snapshot"
	if seq, ok := state["seq"].(int64); ok {
		s.Hub.noteSeq(m.Session.ID, seq)
	}
	return mustJSON(state), nil
}

// State is the snapshot as data (the no-JavaScript page renders the same).
func (s *Service) State(ctx context.Context, m Member) (map[string]any, error) {
	ls, err := s.Store.LiveSession(ctx, m.Session.ID)
	if err != nil {
		return nil, err
	}
	crs := s.Catalog().Course(m.Cohort.CourseID)
	role := "participant"
	if m.Trainer {
		role = "trainer"
	}
	out := map[string]any{
		"seq": ls.Seq, "role": role,
		"session": map[string]any{"id": ls.ID, "title": ls.Title, "ended": ls.EndedAt != nil},
	}
	if crs != nil && ls.StepLesson != "" {
		out["step"] = stepView(crs, ls.StepLesson, ls.StepSection, m.Cohort.Lang)
	}
	p, err := s.Store.CurrentPoll(ctx, ls.ID)
	if err != nil {
		return nil, err
	}
	if p != nil {
		// Participants see counts only once a poll is revealed; counting is skipped for them
		// before that, so a room reconnecting at once does not count the votes 5,000 times.
		var counts map[string]int
		var voters int
		if m.Trainer || p.Status == model.PollRevealed {
			if counts, voters, err = s.Store.PollCounts(ctx, nil, p.ID); err != nil {
				return nil, err
			}
		}
		var reveal map[string]any
		if p.Status == model.PollRevealed && p.Kind == model.PollKindQuiz && crs != nil {
			reveal = quizReveal(crs, p, m.Cohort.Lang)
		}
		pv := pollView(p, counts, voters, reveal)
		voted, choice, err := s.Store.HasVoted(ctx, p.ID, m.UserID)
		if err != nil {
			return nil, err
		}
		pv["voted"] = voted || s.heldVote(ls.ID, p.ID, m.UserID)
		// A graded answer is stored as right or wrong: telling the voter before the reveal
		// would give the answer away.
		if choice != nil && (p.AnswerForm == model.AnswerChoice || p.Status == model.PollRevealed) {
			pv["my_choice"] = *choice
		}
		if m.Trainer {
			tally := map[string]any{"voters": voters + s.heldCount(ls.ID, p.ID)}
			if !p.Anonymous || p.Status == model.PollRevealed {
				tally["counts"] = counts
			}
			pv["tally"] = tally
		}
		out["poll"] = pv
	}
	qs, err := s.Store.Questions(ctx, ls.ID, m.Trainer)
	if err != nil {
		return nil, err
	}
	list := []map[string]any{}
	for i := range qs {
		list = append(list, questionView(&qs[i], authorOf(&qs[i])))
	}
	out["questions"] = list
	if m.Trainer {
		n, err := s.Store.PresentCount(ctx, ls.ID)
		if err != nil {
			return nil, err
		}
		out["participants"] = n
		hands, err := s.Store.Hands(ctx, ls.ID)
		if err != nil {
			return nil, err
		}
		names := []string{}
		for _, h := range hands {
			if h.User != nil {
				names = append(names, h.User.Name())
			}
		}
		out["hands"] = names
	}
	return out, nil
}
