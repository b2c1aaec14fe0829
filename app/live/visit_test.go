package live

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

// A refresh every ten seconds renews a thirty-second lease only when a third of it has run:
// the other refreshes cost no write. The first visit marks presence for the trainers.
func TestVisitsRenewTheLeaseOnlyWhenAThirdOfItHasRun(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		start := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
		now := start
		st := store.New(db, func() time.Time { return now })
		tr := storetest.Account(t, st, "visit-trainer", model.RoleTrainer)
		ls := storetest.RunningSession(t, st, tr)
		s := testService(st)
		m := Member{UserID: tr.ID, Session: ls}
		renewedAt := func() time.Time {
			t.Helper()
			var inst model.LiveInstance
			if err := db.NewSelect().Model(&inst).Where("id = ?", visitHolder(ls.ID, tr.ID)).Scan(ctx); err != nil {
				t.Fatal(err)
			}
			return inst.RenewedAt.UTC()
		}
		if err := s.Visit(ctx, m, VisitHold); err != nil {
			t.Fatal(err)
		}
		if !s.dirty[tallyKey{session: ls.ID}] {
			t.Fatal("a first visit did not mark the session's presence")
		}
		delete(s.dirty, tallyKey{session: ls.ID})
		now = start.Add(VisitEvery)
		if err := s.Visit(ctx, m, VisitHold); err != nil {
			t.Fatal(err)
		}
		if got := renewedAt(); !got.Equal(start) {
			t.Fatalf("renewed at %v after %v: want no write yet", got, VisitEvery)
		}
		now = start.Add(VisitEvery + time.Second)
		if err := s.Visit(ctx, m, VisitHold); err != nil {
			t.Fatal(err)
		}
		if got := renewedAt(); !got.Equal(now) {
			t.Fatalf("renewed at %v, want %v", got, now)
		}
		if s.dirty[tallyKey{session: ls.ID}] {
			t.Fatal("a renewal marked presence: nothing changed")
		}
		if len(visitHolder(1<<62, 1<<62)) != 32 {
			t.Fatal("a holder must fit the lease's id column")
		}
	})
}
