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
	s.Hub.noteSeq(m.Session.ID, state.Seq)
	return mustJSON(state), nil
}

// State is the snapshot as data (the no-JavaScript page renders the same).
func (s *Service) State(ctx context.Context, m Member) (*SnapshotMsg, error) {
	ls, err := s.Store.LiveSession(ctx, m.Session.ID)
	if err != nil {
		return nil, err
	}
	crs := s.Catalog().Course(m.Cohort.CourseID)
	role := "participant"
	if m.Trainer {
		role = "trainer"
	}
	out := &SnapshotMsg{
		Type: TypeSnapshot, Seq: ls.Seq, Role: role,
		Session: SessionView{ID: ls.ID, Title: ls.Title, Ended: ls.EndedAt != nil},
	}
	if crs != nil && ls.StepLesson != "" {
		out.Step = stepView(crs, ls.StepLesson, ls.StepSection, m.Cohort.Lang)
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
		var reveal *QuizReveal
		if p.Status == model.PollRevealed && p.Kind == model.PollKindQuiz && crs != nil {
			reveal = quizReveal(crs, p, m.Cohort.Lang)
		}
		pv := &SnapshotPoll{PollView: pollView(p, counts, voters, reveal)}
		voted, choice, err := s.Store.HasVoted(ctx, p.ID, m.UserID)
		if err != nil {
			return nil, err
		}
		pv.Voted = voted || s.heldVote(ls.ID, p.ID, m.UserID)
		// A graded answer is stored as right or wrong: telling the voter before the reveal
		// would give the answer away.
		if choice != nil && (p.AnswerForm == model.AnswerChoice || p.Status == model.PollRevealed) {
			pv.MyChoice = *choice
		}
		if m.Trainer {
			pv.Tally = &TallyView{Voters: voters + s.heldCount(ls.ID, p.ID)}
			if !p.Anonymous || p.Status == model.PollRevealed {
				pv.Tally.Counts = counts
			}
		}
		out.Poll = pv
	}
	qs, err := s.Store.Questions(ctx, ls.ID, m.Trainer)
	if err != nil {
		return nil, err
	}
	out.Questions = []QuestionView{}
	for i := range qs {
		out.Questions = append(out.Questions, questionView(&qs[i], authorOf(&qs[i])))
	}
	if m.Trainer {
		n, err := s.Store.PresentCount(ctx, ls.ID)
		if err != nil {
			return nil, err
		}
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
		out.TrainerState = &TrainerState{Participants: n, Hands: names}
	}
	return out, nil
}
