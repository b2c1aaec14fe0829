package live

import (
	"context"
	"strconv"
	"sync"

	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/cairn-lms/cairn/app/course"
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

// roomState is the part of a snapshot that is the same for every participant of a session
// at one sequence number: everything but their own vote.
type roomState struct {
	step      *StepView
	poll      *model.LivePoll // the current poll, or nil
	view      PollView        // its view: counts only once revealed (always, for trainers)
	counts    map[string]int
	voters    int
	detail    TallyDetail // a scale's or open-text poll's, for trainers (trainerSees)
	questions []QuestionView
}

// State is the snapshot as data (the no-JavaScript page renders the same).
//
// A participant's snapshot costs two queries: the session's row, for its number, and their
// own vote. The rest is built once per session and number and shared (snapshotCache): when
// a room reconnects at once, or a gap makes every client ask for a snapshot, a thousand
// participants cost one build, not a thousand. Trainers, who also see counts before the
// reveal, hidden questions, presence and hands, which change without a number, get theirs
// built afresh.
func (s *Service) State(ctx context.Context, m Member) (*SnapshotMsg, error) {
	ls, err := s.Store.LiveSession(ctx, m.Session.ID)
	if err != nil {
		return nil, err
	}
	catalog := s.Catalog()
	crs := catalog.Course(m.Cohort.CourseID)
	var room *roomState
	if m.Trainer {
		room, err = s.roomState(ctx, ls, crs, m.Cohort.Lang, true)
	} else {
		room, err = s.snapshots.get(ctx, ls.ID, ls.Seq, catalog, func(ctx context.Context) (*roomState, error) {
			return s.roomState(ctx, ls, crs, m.Cohort.Lang, false)
		})
	}
	if err != nil {
		return nil, err
	}
	role := "participant"
	if m.Trainer {
		role = "trainer"
	}
	out := &SnapshotMsg{
		Type: TypeSnapshot, Seq: ls.Seq, Role: role,
		Session:   SessionView{ID: ls.ID, Title: ls.Title, Ended: ls.EndedAt != nil},
		Step:      room.step,
		Questions: room.questions,
	}
	if p := room.poll; p != nil {
		pv := &SnapshotPoll{PollView: room.view}
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
		if voted && p.AnswerForm == model.AnswerText && !p.Anonymous {
			// Only a named answer has a writer to find it by.
			if pv.MyChoice, err = s.Store.TextAnswerOf(ctx, p.ID, m.UserID); err != nil {
				return nil, err
			}
		}
		if m.Trainer {
			pv.Tally = &TallyView{Voters: room.voters + s.heldCount(ls.ID, p.ID), TallyDetail: room.detail}
			if !p.Anonymous || p.Status == model.PollRevealed {
				pv.Tally.Counts = room.counts
			}
		}
		out.Poll = pv
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

// roomState reads the shared part of a session's snapshot, as participants or trainers see it.
func (s *Service) roomState(ctx context.Context, ls *model.LiveSession, crs *course.Course, lang string, trainer bool) (*roomState, error) {
	sessionID := ls.ID
	out := &roomState{}
	if crs != nil && ls.StepLesson != "" {
		out.step = stepView(crs, ls.StepLesson, ls.StepSection, lang)
	} else if ls.StepKind != "" {
		out.step = textStepView(ls.StepKind, ls.StepText, ls.StepMinutes)
	}
	p, err := s.Store.CurrentPoll(ctx, sessionID)
	if err != nil {
		return nil, err
	}
	if p != nil {
		// Participants see counts only once a poll is revealed; counting is skipped for them
		// before that.
		if trainer || p.Status == model.PollRevealed {
			if out.counts, out.voters, err = s.Store.PollCounts(ctx, nil, p.ID); err != nil {
				return nil, err
			}
		}
		var reveal *QuizReveal
		if p.Status == model.PollRevealed && p.Kind == model.PollKindQuiz && crs != nil {
			reveal = quizReveal(crs, p, lang)
		}
		var detail TallyDetail
		if p.Status == model.PollRevealed || (trainer && trainerSees(p, out.voters)) {
			if detail, err = s.kindDetail(ctx, nil, p, out.counts, lang, trainer); err != nil {
				return nil, err
			}
		}
		if trainer && trainerSees(p, out.voters) {
			out.detail = detail
		}
		out.poll, out.view = p, pollView(p, out.counts, out.voters, reveal, &detail)
	}
	qs, err := s.Store.Questions(ctx, sessionID, trainer)
	if err != nil {
		return nil, err
	}
	out.questions = make([]QuestionView, 0, len(qs))
	for i := range qs {
		out.questions = append(out.questions, questionView(&qs[i], authorOf(&qs[i])))
	}
	return out, nil
}

// snapshotSessions bounds the sessions whose shared snapshot an instance keeps.
const snapshotSessions = 1024

// snapshotCache keeps, per session, the participants' shared state at the latest number
// asked for. Everything participants see of a session is numbered (votes show only once a
// poll is revealed, and results written later come as an event), so the state at a number
// stays right until the number moves; a request for a newer number replaces it.
type snapshotCache struct {
	init sync.Once
	mu   sync.Mutex
	lru  *lru.Cache[int64, *sharedSnapshot]
}

type sharedSnapshot struct {
	seq     int64
	catalog *course.Catalog // the courses as loaded when built: a reload gives new step titles
	once    sync.Once
	state   *roomState
	err     error
}

// get returns the session's shared state at seq, building it once however many ask at once.
func (c *snapshotCache) get(ctx context.Context, session, seq int64, catalog *course.Catalog, build func(context.Context) (*roomState, error)) (*roomState, error) {
	c.init.Do(func() { c.lru, _ = lru.New[int64, *sharedSnapshot](snapshotSessions) })
	c.mu.Lock()
	e, ok := c.lru.Get(session)
	switch {
	case !ok || e.seq < seq || (e.seq == seq && e.catalog != catalog):
		e = &sharedSnapshot{seq: seq, catalog: catalog}
		c.lru.Add(session, e)
	case e.seq > seq || e.catalog != catalog:
		// This reader saw an older number than the cache holds (or older courses): its
		// state is built for it alone.
		c.mu.Unlock()
		return build(ctx)
	}
	c.mu.Unlock()
	e.once.Do(func() {
		// Others wait for this build: it must not fail because this reader leaves.
		e.state, e.err = build(context.WithoutCancel(ctx))
		if e.err != nil {
			c.mu.Lock()
			if cur, ok := c.lru.Peek(session); ok && cur == e {
				c.lru.Remove(session) // not cached: the next reader tries again
			}
			c.mu.Unlock()
		}
	})
	return e.state, e.err
}
