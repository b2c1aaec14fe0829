package live

import (
	"context"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"sync"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
)

// Anonymous votes are held in memory and written in batches that mix at least the poll's
// minimum group of voters (see store.RecordAnonymousVotes). Written one by one, each vote's
// transaction would hold its voter's guard row and its count together: on PostgreSQL the
// rows share a transaction id and sit side by side, and nothing done afterwards hides that.
//
// Each instance keeps its own buffer per poll. Once it holds twice the minimum group it
// writes all but the minimum group (kept at random, not the latest), so every batch mixes at
// least that many voters and some remain to mix with the next. When the poll closes (here,
// on another instance, or when the session ends or the next poll opens) or the instance
// shuts down, everything held is written: as votes if there are enough, otherwise as voters
// without their choice. A vote held when the process crashes is lost, and with it its guard
// row, so that person may vote again.

// anonPoll is one poll's buffer on this instance.
type anonPoll struct {
	session, poll int64
	minGroup      int

	write sync.Mutex // one batch at a time; a close waits for a batch being written

	mu      sync.Mutex
	pending map[int64]string // voter → choice
	closed  bool             // the poll closed: its votes are written, new ones refused
}

func (s *Service) anonPoll(session, poll int64, minGroup int) *anonPoll {
	v, _ := s.anon.LoadOrStore([2]int64{session, poll}, &anonPoll{session: session, poll: poll, minGroup: max(minGroup, 1), pending: map[int64]string{}})
	return v.(*anonPoll)
}

// heldVote tells whether this instance holds a vote of the person in the poll, not yet written.
func (s *Service) heldVote(session, poll, user int64) bool {
	v, ok := s.anon.Load([2]int64{session, poll})
	if !ok {
		return false
	}
	ap := v.(*anonPoll)
	ap.mu.Lock()
	defer ap.mu.Unlock()
	_, held := ap.pending[user]
	return held
}

// heldCount is how many votes of the poll this instance holds, not yet written.
func (s *Service) heldCount(session, poll int64) int {
	v, ok := s.anon.Load([2]int64{session, poll})
	if !ok {
		return 0
	}
	ap := v.(*anonPoll)
	ap.mu.Lock()
	defer ap.mu.Unlock()
	return len(ap.pending)
}

func (ap *anonPoll) refusal(user int64) error {
	ap.mu.Lock()
	defer ap.mu.Unlock()
	if ap.closed {
		return store.ErrPollNotOpen
	}
	if _, held := ap.pending[user]; held {
		return store.ErrAlreadyVoted
	}
	return nil
}

// castAnonymous accepts one anonymous vote into this instance's buffer.
func (s *Service) castAnonymous(ctx context.Context, v store.Vote, minGroup int) error {
	ap := s.anonPoll(v.SessionID, v.PollID, minGroup)
	if err := ap.refusal(v.UserID); err != nil {
		return err
	}
	// The buffer exists before the poll is read, so a close that commits after this read
	// finds it and writes (or refuses) the vote.
	p, err := s.Store.Poll(ctx, v.SessionID, v.PollID)
	if err == nil && p.Status != model.PollOpen {
		err = store.ErrPollNotOpen
	}
	if errors.Is(err, store.ErrPollNotOpen) || errors.Is(err, store.ErrNotFound) {
		s.dropIfEmpty(ap)
	}
	if err != nil {
		return err
	}
	voted, _, err := s.Store.HasVoted(ctx, v.PollID, v.UserID)
	if err != nil {
		return err
	}
	if voted {
		return store.ErrAlreadyVoted
	}
	ap.mu.Lock()
	if err := func() error {
		if ap.closed {
			return store.ErrPollNotOpen
		}
		if _, held := ap.pending[v.UserID]; held {
			return store.ErrAlreadyVoted
		}
		return nil
	}(); err != nil {
		ap.mu.Unlock()
		return err
	}
	ap.pending[v.UserID] = v.Choice
	full := len(ap.pending) >= 2*ap.minGroup
	ap.mu.Unlock()
	if full {
		s.writeSome(context.WithoutCancel(ctx), ap)
	}
	return nil
}

// dropIfEmpty forgets the buffer of a poll that has closed (or is gone) if it holds nothing:
// a vote that arrives too late would otherwise leave one behind for good, since no event
// will tell this instance of the close again. Closed first, so that a vote which read the
// poll as open just before the close is refused instead of held in a forgotten buffer.
func (s *Service) dropIfEmpty(ap *anonPoll) {
	if !ap.write.TryLock() {
		return // a close is writing it, and puts the votes back if it fails
	}
	defer ap.write.Unlock()
	ap.mu.Lock()
	defer ap.mu.Unlock()
	if len(ap.pending) == 0 {
		ap.closed = true
		s.anon.CompareAndDelete([2]int64{ap.session, ap.poll}, ap)
	}
}

// writeSome writes all but the minimum group of the held votes, if at least twice that
// many are held.
func (s *Service) writeSome(ctx context.Context, ap *anonPoll) {
	ap.write.Lock()
	defer ap.write.Unlock()
	ap.mu.Lock()
	var batch map[int64]string
	if !ap.closed && len(ap.pending) >= 2*ap.minGroup {
		users := make([]int64, 0, len(ap.pending))
		for u := range ap.pending {
			users = append(users, u)
		}
		rand.Shuffle(len(users), func(i, j int) { users[i], users[j] = users[j], users[i] })
		batch = map[int64]string{}
		for _, u := range users[ap.minGroup:] {
			batch[u] = ap.pending[u]
			delete(ap.pending, u)
		}
	}
	ap.mu.Unlock()
	if batch == nil {
		return
	}
	err := s.Store.DB().RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		_, err := s.Store.RecordAnonymousVotes(ctx, tx, ap.session, ap.poll, batch)
		return err
	})
	if err != nil {
		s.Log.Warn("live: record anonymous votes; kept for the next batch", "err", err)
		ap.mu.Lock()
		for u, c := range batch {
			ap.pending[u] = c
		}
		ap.mu.Unlock()
		return
	}
	s.mark(tallyKey{session: ap.session, poll: ap.poll})
}

// takeForClose stops the buffer of a poll taking votes and returns everything it holds, to
// be written with the close. done(true) forgets them; done(false) (the close failed) puts
// them back and takes votes again.
func (s *Service) takeForClose(session, poll int64) (held map[int64]string, done func(written bool)) {
	v, ok := s.anon.Load([2]int64{session, poll})
	if !ok {
		return nil, func(bool) {}
	}
	ap := v.(*anonPoll)
	ap.write.Lock()
	ap.mu.Lock()
	held, ap.pending, ap.closed = ap.pending, map[int64]string{}, true
	ap.mu.Unlock()
	return held, func(written bool) {
		if !written {
			ap.mu.Lock()
			for u, c := range held {
				ap.pending[u] = c
			}
			ap.closed = false
			ap.mu.Unlock()
		}
		ap.write.Unlock()
	}
}

// writeClosed writes every vote held for a poll that has closed (or, at shutdown, is about
// to be left), in a transaction of its own. It reports whether any was written.
func (s *Service) writeClosed(ctx context.Context, session, poll int64) (bool, error) {
	held, done := s.takeForClose(session, poll)
	if len(held) == 0 {
		done(true)
		return false, nil
	}
	err := s.Store.DB().RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		_, err := s.Store.RecordAnonymousVotes(ctx, tx, session, poll, held)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		err = nil // the poll was deleted with its session: nothing to write
	}
	done(err == nil)
	return err == nil, err
}

// settleClosedPolls writes the votes held for the session's polls that are no longer open,
// then sends the updated tally, and the updated results of a revealed poll. It runs after
// an event that may have closed a poll, wherever that happened.
func (s *Service) settleClosedPolls(ctx context.Context, session int64) {
	var polls []int64
	s.anon.Range(func(k, _ any) bool {
		if key := k.([2]int64); key[0] == session {
			polls = append(polls, key[1])
		}
		return true
	})
	for _, poll := range polls {
		p, err := s.Store.Poll(ctx, session, poll)
		if errors.Is(err, store.ErrNotFound) {
			s.anon.Delete([2]int64{session, poll})
			continue
		}
		if err != nil {
			s.Log.Warn("live: settle anonymous votes", "err", err)
			continue
		}
		if p.Status == model.PollOpen {
			continue
		}
		wrote, err := s.writeClosed(ctx, session, poll)
		if err != nil {
			s.Log.Warn("live: record anonymous votes at close", "err", err)
			continue
		}
		// A vote still holding this buffer finds it closed; a later one reads the poll.
		s.anon.Delete([2]int64{session, poll})
		if !wrote {
			continue
		}
		s.mark(tallyKey{session: session, poll: poll})
		if p.Status == model.PollRevealed {
			if err := s.resendResults(ctx, session, poll); err != nil && !errors.Is(err, errStale) {
				s.Log.Warn("live: resend results", "err", err)
			}
		}
	}
}

var errStale = errors.New("no longer the current poll")

// resendResults tells everyone a revealed poll's results again, now with the votes another
// instance held when it was revealed (or without a word the trainer hid from its cloud).
func (s *Service) resendResults(ctx context.Context, session, poll int64) error {
	// The cohort is read first: inside the change, every read must go through its
	// transaction (SQLite has one connection).
	ls, err := s.Store.LiveSession(ctx, session)
	if err != nil {
		return err
	}
	cohort, err := s.Store.Cohort(ctx, ls.CohortID)
	if err != nil {
		return err
	}
	crs := s.Catalog().Course(cohort.CourseID)
	return s.change(ctx, session, func(ctx context.Context, tx bun.Tx, _ int64) (numbered, error) {
		p, err := s.Store.CurrentPollIn(ctx, tx, session)
		if err != nil {
			return nil, err
		}
		if p == nil || p.ID != poll || p.Status != model.PollRevealed {
			return nil, errStale
		}
		counts, voters, err := s.Store.PollCounts(ctx, tx, poll)
		if err != nil {
			return nil, err
		}
		var reveal *QuizReveal
		if p.Kind == model.PollKindQuiz && crs != nil {
			reveal = quizReveal(crs, p, cohort.Lang)
		}
		detail, err := s.kindDetail(ctx, tx, p, counts, cohort.Lang, false)
		if err != nil {
			return nil, err
		}
		return &PollRevealedMsg{Type: TypePollRevealed, Poll: pollView(p, counts, voters, reveal, &detail)}, nil
	})
}

// mayClosePolls tells whether an event can have closed a poll: closing or revealing one,
// opening the next (which closes the open one), ending the session.
func mayClosePolls(data []byte) bool {
	var head struct {
		Type string `json:"type"`
	}
	if json.Unmarshal(data, &head) != nil {
		return false
	}
	switch head.Type {
	case "poll_closed", "poll_revealed", "poll_opened", "ended":
		return true
	}
	return false
}

// holdsVotesOf tells whether this instance has a buffer for a poll of the session.
func (s *Service) holdsVotesOf(session int64) bool {
	found := false
	s.anon.Range(func(k, _ any) bool {
		found = k.([2]int64)[0] == session
		return !found
	})
	return found
}

// FlushAnonymous writes the anonymous votes this instance holds, before it stops: as votes
// where there are enough to mix, otherwise as voters without their choice. Call it once no
// connection is left to vote.
func (s *Service) FlushAnonymous(ctx context.Context) {
	var keys [][2]int64
	s.anon.Range(func(k, _ any) bool {
		keys = append(keys, k.([2]int64))
		return true
	})
	for _, k := range keys {
		if _, err := s.writeClosed(ctx, k[0], k[1]); err != nil {
			s.Log.Error("live: anonymous votes lost at shutdown", "poll", k[1], "err", err)
		}
	}
}

// settleAll runs settleClosedPolls for every session this instance holds votes of: a
// notification that a poll closed may have been lost.
func (s *Service) settleAll(ctx context.Context) {
	sessions := map[int64]bool{}
	s.anon.Range(func(k, _ any) bool {
		sessions[k.([2]int64)[0]] = true
		return true
	})
	for session := range sessions {
		s.settleClosedPolls(ctx, session)
	}
}
