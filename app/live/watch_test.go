package live

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/database/dbtest"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
	"github.com/cairn-lms/cairn/app/store/storetest"
)

// testService is a live service on st with a silent log and no course catalog.
func testService(st *store.Store) *Service {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	return &Service{Store: st, Hub: NewHub(log), Log: log}
}

// roomWithOneClient is a running session, a live service on db and one participant of the
// session connected to it.
func roomWithOneClient(t *testing.T, db *bun.DB) (*Service, *Client, *model.LiveSession) {
	t.Helper()
	st := store.New(db, nil)
	ls := storetest.RunningSession(t, st, storetest.Account(t, st, "room-trainer", model.RoleTrainer))
	s := testService(st)
	c := testClient(ls.ID, false)
	s.Hub.add(c)
	return s, c, ls
}

func TestRoomsThatMissedAnEventAreToldToResync(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		s, c, ls := roomWithOneClient(t, db)
		s.WatchEvery = 10 * time.Millisecond
		s.Hub.noteSeq(ls.ID, 0) // the client's snapshot
		go s.watchLoop(ctx)

		// A change whose notification never arrived (the listener was reconnecting).
		if _, err := db.NewUpdate().Model((*model.LiveSession)(nil)).Set("seq = seq + 1").Where("id = ?", ls.ID).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		m := nextFrame(c, 10*time.Second)
		if m == nil {
			t.Fatal("a room behind the database was never told to resync")
		}
		if m := payload(t, m); string(m) != `{"type":"stale"}` {
			t.Fatalf("the room got %s, want a request to resync", m)
		}
		if got := s.Hub.seqs()[ls.ID]; got != 1 {
			t.Fatalf("after the resync request the room counts as at %d, want 1", got)
		}
	})
}

func TestAnEventPublishedAfterReadyReachesThisInstancesClients(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		s, c, ls := roomWithOneClient(t, db)
		// This test is about the listener: on a loaded machine a notification can take longer
		// than two checks of the stale-room watcher, which would then (rightly) send "stale".
		s.WatchEvery = time.Hour
		go s.Listen(ctx, db)
		select {
		case <-s.Ready():
		case <-time.After(30 * time.Second):
			t.Fatal("never ready")
		}
		// A change as any instance publishes it: on PostgreSQL it reaches this one only
		// through NOTIFY; on SQLite (one instance) it is dispatched in process.
		err := s.change(ctx, ls.ID, func(context.Context, bun.Tx, int64) (numbered, error) {
			return &StepMsg{Type: TypeStep}, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		m := nextFrame(c, 10*time.Second)
		if m == nil {
			t.Fatal("the event never reached the client")
		}
		m = payload(t, m)
		var got StepMsg
		if err := json.Unmarshal(m, &got); err != nil || got.Type != TypeStep || got.Seq != 1 {
			t.Fatalf("got %s", m)
		}
	})
}
