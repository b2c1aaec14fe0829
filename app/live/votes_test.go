package live

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

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
