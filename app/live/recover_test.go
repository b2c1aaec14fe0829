package live

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/course"
	"github.com/cairn-lms/cairn/app/database/dbtest"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
)

// next returns the next message queued for c, within 10 seconds.
func next(t *testing.T, c *Client) []byte {
	t.Helper()
	m := nextFrame(c, 10*time.Second)
	if m == nil {
		t.Fatal("no message reached the client")
	}
	return payload(t, m)
}

func TestAnEventLargerThanANotificationReachesEveryClient(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		s, c, ls := roomWithOneClient(t, db)
		listening(t, ctx, s, db)
		explanation := strings.Repeat("Long explanation. ", 20000/18+1)[:20000]
		err := s.change(ctx, ls.ID, func(context.Context, bun.Tx, int64) (numbered, error) {
			return &PollRevealedMsg{Type: TypePollRevealed, Poll: PollView{ID: 1, Results: &Results{
				Counts: map[string]int{"a": 3}, QuizReveal: &QuizReveal{Explanation: explanation, Correct: []string{"a"}}}}}, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		var got PollRevealedMsg
		if err := json.Unmarshal(next(t, c), &got); err != nil || got.Seq != 1 || got.Poll.Results == nil || got.Poll.QuizReveal == nil {
			t.Fatalf("got %+v (%v)", got, err)
		}
		if got.Poll.Explanation != explanation {
			t.Fatalf("the explanation arrived with %d bytes, want %d", len(got.Poll.Explanation), len(explanation))
		}
	})
}

// steps makes n numbered changes.
func steps(t *testing.T, ctx context.Context, s *Service, session int64, n int) {
	t.Helper()
	for i := range n {
		err := s.change(ctx, session, func(context.Context, bun.Tx, int64) (numbered, error) {
			return &StepMsg{Type: TypeStep, Step: &StepView{Lesson: fmt.Sprint("lesson-", i)}}, nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func TestACatchingUpClientIsSentWhatItMissedOrElseASnapshot(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		s, _, ls := roomWithOneClient(t, db)
		steps(t, ctx, s, ls.ID, 5)
		cohort, err := s.Store.Cohort(ctx, ls.CohortID)
		if err != nil {
			t.Fatal(err)
		}
		m := Member{UserID: 1, Session: ls, Cohort: cohort}
		empty := course.NewCatalog(nil)
		s.Catalog = func() *course.Catalog { return empty }

		// Had 2: gets 3, 4 and 5, and no snapshot.
		msgs, err := s.catchUp(ctx, m, 2)
		if err != nil || len(msgs) != 1 {
			t.Fatalf("%d messages (%v)", len(msgs), err)
		}
		var r ReplayMsg
		if err := json.Unmarshal(msgs[0], &r); err != nil || r.Type != TypeReplay || r.Seq != 5 || len(r.Events) != 3 {
			t.Fatalf("got %s", msgs[0])
		}
		for i, raw := range r.Events {
			var ev StepMsg
			if err := json.Unmarshal(raw, &ev); err != nil || ev.Seq != int64(3+i) || ev.Step.Lesson != fmt.Sprint("lesson-", 2+i) {
				t.Fatalf("event %d: %s", i, raw)
			}
		}
		// Up to date: an empty replay.
		if msgs, err := s.catchUp(ctx, m, 5); err != nil || !strings.Contains(string(msgs[0]), `"events":[]`) {
			t.Fatalf("up to date: %s (%v)", msgs, err)
		}

		// Events 1 and 2 pruned: a client at 1 needs 2 and gets a snapshot; one at 2 still
		// gets a replay.
		if _, err := db.NewDelete().Model((*model.LiveEvent)(nil)).Where("session_id = ?", ls.ID).Where("seq <= 2").Exec(ctx); err != nil {
			t.Fatal(err)
		}
		for since, want := range map[int64]string{1: TypeSnapshot, 2: TypeReplay, 9: TypeSnapshot} {
			msgs, err := s.catchUp(ctx, m, since)
			if err != nil || !strings.HasPrefix(string(msgs[0]), `{"type":"`+want+`"`) {
				t.Fatalf("since %d: %s (%v), want a %s", since, msgs, err, want)
			}
		}

		// Too old: events of more than a few minutes ago are not replayed.
		s.Store = store.New(db, func() time.Time { return time.Now().Add(time.Hour) })
		if msgs, err := s.catchUp(ctx, m, 2); err != nil || !strings.HasPrefix(string(msgs[0]), `{"type":"snapshot"`) {
			t.Fatalf("an hour later: %s (%v), want a snapshot", msgs, err)
		}
	})
}

// When the listening connection drops, the instance stops being ready until it listens
// again; then rooms that missed events are told to resync, and trainers get their
// unnumbered state (presence, hands) afresh, since those updates are never replayed.
func TestReadinessFollowsTheListenerAndRoomsRecoverAfterALoss(t *testing.T) {
	db := dbtest.Open(t, "postgres")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, learner, ls := roomWithOneClient(t, db)
	trainer := testClient(ls.ID, true)
	s.Hub.add(trainer)
	if s.Listening() {
		t.Fatal("listening before Listen")
	}
	listening(t, ctx, s, db)
	waitFor(t, "listening", 10*time.Second, s.Listening)
	s.Hub.noteSeq(ls.ID, 0) // the clients' snapshot

	// A change whose notification is lost: committed without one, as while the listener
	// was down.
	if _, err := db.NewUpdate().Model((*model.LiveSession)(nil)).Set("seq = seq + 1").Where("id = ?", ls.ID).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	channel, err := s.Store.LiveChannel(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.NewRaw(`SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE query LIKE ?`,
		fmt.Sprintf(`LISTEN "%s%%`, channel)).Scan(ctx, &n); err != nil || n != 1 {
		t.Fatalf("terminated %d listening backends (%v), want 1", n, err)
	}
	waitFor(t, "not ready while the listener is down", 10*time.Second, func() bool { return !s.Listening() })
	waitFor(t, "ready again", 20*time.Second, s.Listening)
	if m := next(t, learner); string(m) != `{"type":"stale"}` {
		t.Fatalf("the learner got %s, want stale", m)
	}
	seen := map[string]bool{}
	for len(seen) < 3 {
		var head struct{ Type string }
		_ = json.Unmarshal(next(t, trainer), &head)
		seen[head.Type] = true
	}
	if !seen[TypeStale] || !seen[TypePresence] || !seen[TypeHands] {
		t.Fatalf("the trainer got %v, want stale, presence and hands", seen)
	}
}
