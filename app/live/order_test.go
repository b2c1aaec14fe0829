package live

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/database/dbtest"
)

// listening starts s's listener on db and waits until it is in place.
func listening(t *testing.T, ctx context.Context, s *Service, db *bun.DB) {
	t.Helper()
	s.WatchEvery = time.Hour // these tests are about the listener, not the watcher
	go s.Listen(ctx, db)
	select {
	case <-s.Ready():
	case <-time.After(30 * time.Second):
		t.Fatal("never ready")
	}
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, what string, within time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(5 * time.Millisecond) // polling with a deadline, not synchronisation
	}
}

func TestConcurrentChangesReachEveryClientInCommitOrder(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		s, first, ls := roomWithOneClient(t, db)
		listening(t, ctx, s, db)
		// A large room: fanning an event out to it takes long enough for the next change to
		// commit meanwhile, which is when order used to be lost.
		clients := []*Client{first}
		for range 9999 {
			c := testClient(ls.ID, false)
			s.Hub.add(c)
			clients = append(clients, c)
		}

		// Participants asking at once, each change on its own goroutine. Fewer than a
		// client's queue holds, so every event stays queued for the check below.
		const changes = SendQueue - 4
		var wg sync.WaitGroup
		errs := make(chan error, changes)
		for range changes {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs <- s.change(ctx, ls.ID, func(context.Context, bun.Tx, int64) (numbered, error) {
					return &QuestionMsg{Type: TypeQuestion, Question: QuestionView{Body: "why?"}}, nil
				})
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		waitFor(t, "every client has every event", 30*time.Second, func() bool {
			for _, c := range clients {
				if c.queued() < changes {
					return false
				}
			}
			return true
		})
		outOfOrder, late := 0, 0
		for _, c := range clients {
			var last int64
			for range changes {
				var m struct{ Seq int64 }
				_ = json.Unmarshal(payload(t, c.pop()), &m)
				if m.Seq != last+1 {
					outOfOrder++
				}
				last = max(last, m.Seq)
			}
			if last != changes {
				late++
			}
		}
		if outOfOrder != 0 || late != 0 {
			t.Fatalf("%d events out of order over %d clients (%d clients without the last)", outOfOrder, len(clients), late)
		}
	})
}
