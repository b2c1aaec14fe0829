package live

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/course"
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

// holdVoteBatches holds each statement that writes vote guard rows, while armed, until
// release is closed, as a database busy with something else would. entered is closed when
// the first one starts waiting.
type holdVoteBatches struct {
	armed   atomic.Bool
	once    sync.Once
	entered chan struct{}
	release chan struct{}
}

func (h *holdVoteBatches) BeforeQuery(ctx context.Context, e *bun.QueryEvent) context.Context {
	if h.armed.Load() && strings.Contains(e.Query, "INSERT INTO live_poll_voters") {
		h.once.Do(func() { close(h.entered) })
		<-h.release
	}
	return ctx
}

func (h *holdVoteBatches) AfterQuery(context.Context, *bun.QueryEvent) {}

// goroutinesIn counts the goroutines with fn on their stack.
func goroutinesIn(fn string) int {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	count := 0
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, fn) {
			count++
		}
	}
	return count
}

func TestVotesWaitingForTheirBatchHoldOnlyTheirReaders(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		hold := &holdVoteBatches{entered: make(chan struct{}), release: make(chan struct{})}
		st := store.New(db.WithQueryHook(hold), nil)
		tr := storetest.Account(t, st, "hold-trainer", model.RoleTrainer)
		ls := storetest.RunningSession(t, st, tr)
		s := testService(st)
		s.Catalog = func() *course.Catalog { return course.NewCatalog([]*course.Course{{ID: "c"}}) }
		cohort := &model.Cohort{ID: ls.CohortID, CourseID: "c", Lang: "en"}
		poll := openTwoOptionPoll(t, s, Member{UserID: tr.ID, Trainer: true, Session: ls, Cohort: cohort})
		const n = 6
		members := make(chan Member, n)
		for i := range n {
			u := storetest.Account(t, st, fmt.Sprintf("hold-%d", i), model.RoleLearner)
			members <- Member{UserID: u.ID, Session: ls, Cohort: cohort}
		}
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			conn, err := (&websocket.Upgrader{}).Upgrade(w, r, nil)
			if err != nil {
				return
			}
			s.Serve(ctx, conn, <-members, 0)
		}))
		defer srv.Close()
		clients := make([]*websocket.Conn, n)
		for i := range clients {
			clients[i] = dialTest(t, srv)
			if _, _, err := clients[i].ReadMessage(); err != nil { // the snapshot
				t.Fatal(err)
			}
		}
		vote := func(c *websocket.Conn, ref string) {
			if err := c.WriteJSON(Inbound{Type: MsgVote, PollID: poll.ID, Choice: "a", Ref: ref}); err != nil {
				t.Fatal(err)
			}
		}

		// The first vote's batch is held in the database; the others queue behind it, and
		// one voter sends a second vote straight after its first.
		hold.armed.Store(true)
		vote(clients[0], "v0")
		<-hold.entered
		for i := 1; i < n; i++ {
			vote(clients[i], fmt.Sprintf("v%d", i))
		}
		vote(clients[1], "again")
		waitFor(t, "the other votes are queued", 30*time.Second, func() bool {
			s.votes.mu.Lock()
			defer s.votes.mu.Unlock()
			return len(s.votes.queue) == n-1
		})
		// Only the vote writing the batch is still in a message's handling, on a pooled
		// goroutine; the others wait on their connections' readers.
		if busy := goroutinesIn("live.(*Client).handleMessage"); busy != 1 {
			t.Errorf("%d goroutines are handling a message while %d votes wait, want 1 (the one writing the batch)", busy, n)
		}
		if waiting := goroutinesIn("live.(*Client).readLoop"); waiting < n {
			t.Errorf("%d readers, want %d", waiting, n)
		}
		close(hold.release)

		// Each voter's answers come in the order of its messages.
		for i, c := range clients {
			want := []string{fmt.Sprintf("ack v%d", i)}
			if i == 1 {
				want = append(want, "error again already_voted")
			}
			_ = c.SetReadDeadline(time.Now().Add(30 * time.Second))
			var got []string
			for len(got) < len(want) {
				var out struct{ Type, Ref, Code string }
				if err := c.ReadJSON(&out); err != nil {
					t.Fatalf("voter %d: %v (got %v)", i, err, got)
				}
				if out.Type == TypeAck || out.Type == TypeError {
					got = append(got, strings.TrimSpace(out.Type+" "+out.Ref+" "+out.Code))
				}
			}
			if !slices.Equal(got, want) {
				t.Errorf("voter %d: answers %q, want %q", i, got, want)
			}
		}
		if _, voters, err := st.PollCounts(ctx, nil, poll.ID); err != nil || voters != n {
			t.Fatalf("voters %d err %v, want %d", voters, err, n)
		}
	})
}
