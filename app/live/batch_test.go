package live

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/database/dbtest"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
	"github.com/cairn-lms/cairn/app/store/storetest"
)

// holdFirstAttendanceWrite counts the statements that write attendance and holds the first
// until released, so that the others queue behind it.
type holdFirstAttendanceWrite struct {
	writes  atomic.Int64
	armed   atomic.Bool
	started chan struct{}
	release chan struct{}
}

func (h *holdFirstAttendanceWrite) BeforeQuery(ctx context.Context, e *bun.QueryEvent) context.Context {
	q := e.Query
	if strings.HasPrefix(q, "INSERT INTO \"live_attendance\"") || strings.HasPrefix(q, "UPDATE \"live_attendance\"") {
		h.writes.Add(1)
		if h.armed.CompareAndSwap(true, false) {
			close(h.started)
			<-h.release
		}
	}
	return ctx
}

func (h *holdFirstAttendanceWrite) AfterQuery(context.Context, *bun.QueryEvent) {}

func TestAttendanceOfPeopleJoiningAndLeavingAtOnceIsWrittenInBatches(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		hook := &holdFirstAttendanceWrite{}
		st := store.New(db.WithQueryHook(hook), nil)
		tr := storetest.Account(t, st, "batch-att-trainer", model.RoleTrainer)
		ls := storetest.RunningSession(t, st, tr)
		s := testService(st)
		const people = 30
		members := make([]Member, people)
		for i := range members {
			u := storetest.Account(t, st, fmt.Sprintf("batch-att-%02d", i), model.RoleLearner)
			members[i] = Member{UserID: u.ID, Session: ls}
		}
		// run makes everyone do fn at once: the first write is held until all the others
		// are queued behind it.
		run := func(fn func(i int) error) {
			t.Helper()
			hook.writes.Store(0)
			hook.started, hook.release = make(chan struct{}), make(chan struct{})
			hook.armed.Store(true)
			errs := make([]error, people)
			var wg sync.WaitGroup
			wg.Add(1)
			go func() { defer wg.Done(); errs[0] = fn(0) }()
			<-hook.started
			var queued sync.WaitGroup
			for i := 1; i < people; i++ {
				wg.Add(1)
				queued.Add(1)
				go func() { defer wg.Done(); queued.Done(); errs[i] = fn(i) }()
			}
			queued.Wait()
			// Every caller is in the queue (they join it without blocking), or, written one
			// by one, has started its own write.
			for hook.writes.Load() < people {
				s.joins.mu.Lock()
				s.leaves.mu.Lock()
				n := len(s.joins.queue) + len(s.leaves.queue)
				s.leaves.mu.Unlock()
				s.joins.mu.Unlock()
				if n == people-1 {
					break
				}
			}
			close(hook.release)
			wg.Wait()
			for i, err := range errs {
				if err != nil {
					t.Fatalf("participant %d: %v", i, err)
				}
			}
		}
		ids := make([]int64, people)
		run(func(i int) (err error) { ids[i], err = s.joinAttendance(ctx, members[i]); return err })
		if n := hook.writes.Load(); n != 2 {
			t.Fatalf("%d joins took %d inserts, want 2 (the first, then everyone queued behind it)", people, n)
		}
		rows, err := st.Attendance(ctx, ls.ID)
		if err != nil || len(rows) != people {
			t.Fatalf("%d attendance rows (%v), want %d", len(rows), err, people)
		}
		byID := map[int64]model.LiveAttendance{}
		for _, r := range rows {
			byID[r.ID] = r
		}
		for i, id := range ids {
			if r, ok := byID[id]; !ok || r.UserID != members[i].UserID || r.LeftAt != nil {
				t.Fatalf("participant %d was given row %d: %+v", i, id, r)
			}
		}

		run(func(i int) error { return s.leaveAttendance(ctx, ids[i]) })
		if n := hook.writes.Load(); n != 2 {
			t.Fatalf("%d leaves took %d updates, want 2", people, n)
		}
		rows, err = st.Attendance(ctx, ls.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if r.LeftAt == nil {
				t.Fatalf("row %d of user %d is still open", r.ID, r.UserID)
			}
		}
	})
}
