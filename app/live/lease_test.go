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

// An instance cut off from the database for longer than its lease finds its attendance
// closed by another; its people, still connected, are recorded again.
func TestAnInstanceBackFromALapsedLeaseRecordsItsConnectionsAgain(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
		st := store.New(db, func() time.Time { return now })
		tr := storetest.Account(t, st, "lapse-trainer", model.RoleTrainer)
		ls := storetest.RunningSession(t, st, tr)
		s := testService(st)
		s.Lease = 3 * time.Second
		c := testClient(ls.ID, false)
		c.UserID = tr.ID
		s.Hub.add(c)
		s.renewLease(ctx, false)
		id, err := st.JoinAttendance(ctx, ls.ID, c.UserID, s.instance())
		if err != nil {
			t.Fatal(err)
		}
		c.attendance.Store(id)

		now = now.Add(time.Minute) // no renewal meanwhile; another instance sweeps
		if sessions, err := st.SweepLeases(ctx); err != nil || len(sessions) != 1 {
			t.Fatalf("sweep: %v (%v)", sessions, err)
		}
		s.renewLease(ctx, true)
		if c.attendance.Load() == id {
			t.Fatal("the connection kept its closed row")
		}
		if n, err := st.PresentCount(ctx, ls.ID); err != nil || n != 1 {
			t.Fatalf("present %d (%v), want the connected person", n, err)
		}
	})
}
