package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/database/dbtest"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
	"github.com/cairn-lms/cairn/app/store/storetest"
)

// Kept event bodies are pruned: beyond the last LiveEventsKept of a session, after
// LiveEventsFor, and all of them once the session has ended.
func TestKeptLiveEventsArePruned(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		now := time.Now()
		st := store.New(db, func() time.Time { return now })
		ls := storetest.RunningSession(t, st, createUser(t, st, "events-trainer"))
		other := storetest.RunningSession(t, st, createUser(t, st, "events-other"))
		add := func(session int64, n int) {
			for range n {
				_, err := st.LiveChange(ctx, session, true, func(ctx context.Context, tx bun.Tx, seq int64) error {
					return st.AddLiveEvent(ctx, tx, session, seq, "all", []byte(`{"type":"step"}`))
				})
				if err != nil {
					t.Fatal(err)
				}
			}
		}
		count := func(session int64) int {
			n, err := db.NewSelect().Model((*model.LiveEvent)(nil)).Where("session_id = ?", session).Count(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return int(n)
		}
		add(ls.ID, store.LiveEventsKept+64)
		if n := count(ls.ID); n < store.LiveEventsKept || n > store.LiveEventsKept+32 {
			t.Fatalf("%d events kept after %d, want the last %d (give or take 32)", n, store.LiveEventsKept+64, store.LiveEventsKept)
		}
		add(other.ID, 3)

		// An ended session's events go at the next prune; the other session's stay.
		if _, err := db.NewUpdate().Model((*model.LiveSession)(nil)).Set("ended_at = ?", now).Where("id = ?", ls.ID).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := st.PruneLiveEvents(ctx); err != nil {
			t.Fatal(err)
		}
		if count(ls.ID) != 0 || count(other.ID) != 3 {
			t.Fatalf("after the end: %d events of the ended session, %d of the running one", count(ls.ID), count(other.ID))
		}
		// Old ones go too.
		now = now.Add(store.LiveEventsFor + 2*time.Minute)
		if _, err := st.PruneLiveEvents(ctx); err != nil {
			t.Fatal(err)
		}
		if count(other.ID) != 0 {
			t.Fatalf("%d events older than %v kept", count(other.ID), store.LiveEventsFor)
		}
	})
}
