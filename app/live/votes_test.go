package live

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/database/dbtest"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
	"github.com/cairn-lms/cairn/app/store/storetest"
)

func TestVoteStormThroughTheBatcherRecordsEveryVoterOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		st := store.New(db, nil)
		var users []*model.User
		for i := range 60 {
			users = append(users, storetest.Account(t, st, fmt.Sprintf("storm%02d", i), model.RoleLearner))
		}
		ls := storetest.RunningSession(t, st, users[0])
		p := &model.LivePoll{SessionID: ls.ID, Kind: model.PollKindPoll, Prompt: "?", Options: `[{"id":"a"},{"id":"b"}]`, MinGroup: 5}
		if err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error { return st.OpenPoll(ctx, tx, p) }); err != nil {
			t.Fatal(err)
		}

		// Every participant votes at once, twice (a second tab), through one batcher.
		var b voteBatcher
		var wg sync.WaitGroup
		outcomes := make([][2]error, len(users))
		for i, u := range users {
			for tab := range 2 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					outcomes[i][tab] = b.Cast(ctx, st, nil, store.Vote{SessionID: ls.ID, PollID: p.ID, UserID: u.ID, Choice: []string{"a", "b"}[i%2]})
				}()
			}
		}
		wg.Wait()
		for i, o := range outcomes {
			ok := 0
			for _, err := range o {
				switch {
				case err == nil:
					ok++
				case !errors.Is(err, store.ErrAlreadyVoted):
					t.Errorf("participant %d: %v", i, err)
				}
			}
			if ok != 1 {
				t.Errorf("participant %d: recorded %d times", i, ok)
			}
		}
		counts, voters, err := st.PollCounts(ctx, nil, p.ID)
		if err != nil || voters != len(users) || counts["a"] != len(users)/2 || counts["b"] != len(users)/2 {
			t.Fatalf("counts %v voters %d err %v", counts, voters, err)
		}
		if b.flushing || len(b.queue) != 0 {
			t.Fatalf("batcher left %d votes queued (flushing=%v)", len(b.queue), b.flushing)
		}
	})
}

// panicOnce makes the first insert of a vote's guard row panic, as a bug in the batch's
// code would.
type panicOnce struct{ armed atomic.Bool }

func (h *panicOnce) BeforeQuery(ctx context.Context, e *bun.QueryEvent) context.Context {
	if strings.Contains(e.Query, "live_poll_voters") && h.armed.CompareAndSwap(true, false) {
		panic("injected fault in a vote batch")
	}
	return ctx
}

func (h *panicOnce) AfterQuery(context.Context, *bun.QueryEvent) {}

func TestAPanicInAVoteBatchFailsThatBatchAndLaterVotesAreRecorded(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		fault := &panicOnce{}
		st := store.New(db.WithQueryHook(fault), nil)
		alice := storetest.Account(t, st, "alice", model.RoleLearner)
		bob := storetest.Account(t, st, "bob", model.RoleLearner)
		ls := storetest.RunningSession(t, st, alice)
		p := &model.LivePoll{SessionID: ls.ID, Kind: model.PollKindPoll, Prompt: "?", Options: `[{"id":"a"},{"id":"b"}]`, MinGroup: 5}
		if err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error { return st.OpenPoll(ctx, tx, p) }); err != nil {
			t.Fatal(err)
		}

		var b voteBatcher
		// A bound, not a wait: before the fix the second vote waited for a flusher that
		// never came.
		bounded, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		cast := func(u *model.User) (err error) {
			defer func() {
				if v := recover(); v != nil {
					err = fmt.Errorf("the panic reached the voter's goroutine: %v", v)
				}
			}()
			return b.Cast(bounded, st, nil, store.Vote{SessionID: ls.ID, PollID: p.ID, UserID: u.ID, Choice: "a"})
		}
		fault.armed.Store(true)
		var pe *PanicError
		if err := cast(alice); !errors.As(err, &pe) {
			t.Fatalf("the faulty batch's vote: %v, want a PanicError", err)
		}
		if err := cast(bob); err != nil {
			t.Fatalf("a vote after the faulty batch: %v", err)
		}
		if err := cast(alice); err != nil {
			t.Fatalf("the failed vote, cast again: %v", err)
		}
		if _, voters, err := st.PollCounts(ctx, nil, p.ID); err != nil || voters != 2 {
			t.Fatalf("voters %d err %v, want 2", voters, err)
		}
		if b.flushing || len(b.queue) != 0 {
			t.Fatalf("batcher left %d votes queued (flushing=%v)", len(b.queue), b.flushing)
		}
	})
}
