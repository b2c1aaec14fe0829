package live

import (
	"context"
	"errors"
	"testing"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/database/dbtest"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
	"github.com/cairn-lms/cairn/app/store/storetest"
)

func (s *Service) cachedPoll(session, poll int64) bool {
	return s.polls.cache().Contains([2]int64{session, poll})
}

func TestThePollCacheKeepsAtMostItsBoundAndTheMostRecent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		st := store.New(db, nil)
		tr := storetest.Account(t, st, "cache-trainer", model.RoleTrainer)
		ls := storetest.RunningSession(t, st, tr)
		s := testService(st)
		m := Member{UserID: tr.ID, Trainer: true, Session: ls, Cohort: &model.Cohort{ID: ls.CohortID, CourseID: "c", Lang: "en"}}
		var ids []int64
		if err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			for range pollCacheSize + 50 {
				p := &model.LivePoll{SessionID: ls.ID, Kind: model.PollKindPoll, Prompt: "?", Options: `[{"id":"a"},{"id":"b"}]`, MinGroup: 5}
				if err := st.OpenPoll(ctx, tx, p); err != nil {
					return err
				}
				ids = append(ids, p.ID)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		for _, id := range ids {
			if _, err := s.pollInfo(ctx, m, nil, id); err != nil {
				t.Fatal(err)
			}
		}
		if n := s.polls.cache().Len(); n != pollCacheSize {
			t.Fatalf("%d polls cached after %d were voted on, want the bound %d", n, len(ids), pollCacheSize)
		}
		if s.cachedPoll(ls.ID, ids[0]) || !s.cachedPoll(ls.ID, ids[len(ids)-1]) {
			t.Fatal("the oldest poll must go first and the latest stay")
		}
		// A poll that is not there is not cached, and its next vote asks again.
		if _, err := s.pollInfo(ctx, m, nil, ids[len(ids)-1]+1000); !errors.Is(err, store.ErrNotFound) || s.cachedPoll(ls.ID, ids[len(ids)-1]+1000) {
			t.Fatalf("unknown poll: %v", err)
		}
	})
}

func TestClosingAPollOrEndingTheSessionForgetsItsOptions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		st := store.New(db, nil)
		r := newAnonRoom(t, db, st, 1, 1)
		s, trainer, voter := r.s, r.trainer, r.people[0]
		open := func(anonymous bool) int64 {
			t.Helper()
			if err := s.openPoll(ctx, trainer, nil, Inbound{Type: MsgPollOpen, Prompt: "?", Options: []string{"x", "y"}, Anonymous: anonymous}); err != nil {
				t.Fatal(err)
			}
			p, err := st.CurrentPoll(ctx, r.session.ID)
			if err != nil {
				t.Fatal(err)
			}
			return p.ID
		}
		vote := func(poll int64) error {
			return s.vote(ctx, voter, nil, Inbound{Type: MsgVote, PollID: poll, Choice: "a"})
		}

		first := open(false)
		if err := vote(first); err != nil || !s.cachedPoll(r.session.ID, first) {
			t.Fatalf("vote: %v; cached %v", err, s.cachedPoll(r.session.ID, first))
		}
		if err := s.closePoll(ctx, trainer, nil, Inbound{Type: MsgPollClose, PollID: first}); err != nil {
			t.Fatal(err)
		}
		if s.cachedPoll(r.session.ID, first) {
			t.Fatal("a closed poll stays cached")
		}

		second := open(false)
		if err := vote(second); err != nil {
			t.Fatal(err)
		}
		third := open(false) // closes the second
		if s.cachedPoll(r.session.ID, second) {
			t.Fatal("a poll closed by the next one's opening stays cached")
		}
		if err := vote(third); err != nil {
			t.Fatal(err)
		}
		if err := s.end(ctx, trainer); err != nil {
			t.Fatal(err)
		}
		if s.cachedPoll(r.session.ID, third) {
			t.Fatal("a poll of an ended session stays cached")
		}
	})
}

func TestALateVoteOnAClosedAnonymousPollLeavesNoBuffer(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		st := store.New(db, nil)
		r := newAnonRoom(t, db, st, 2, 2)
		poll := r.open(t)
		if err := r.s.closePoll(ctx, r.trainer, nil, Inbound{Type: MsgPollClose, PollID: poll}); err != nil {
			t.Fatal(err)
		}
		// A vote sent just before the close, read just after.
		var ce *ClientError
		if err := r.vote(r.people[1], poll, "b"); !errors.As(err, &ce) || ce.Code != "poll_closed" {
			t.Fatalf("late vote: %v, want poll_closed", err)
		}
		if _, ok := r.s.anon.Load([2]int64{r.session.ID, poll}); ok {
			t.Fatal("a refused late vote left a buffer for a closed poll")
		}
	})
}
