package store_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/database/dbtest"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
	"github.com/cairn-lms/cairn/app/store/storetest"
)

func TestAnInstanceWhoseLeaseEndsStopsCountingAndItsAttendanceClosesAtItsLastRenewal(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		start := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
		now := start
		st := store.New(db, func() time.Time { return now })
		tr := storetest.Account(t, st, "lease-trainer", model.RoleTrainer)
		learner := storetest.Account(t, st, "lease-learner", model.RoleLearner)
		ls := storetest.RunningSession(t, st, tr)
		const lease = 10 * time.Second
		renew := func(instance string, wantHeld bool) {
			t.Helper()
			if held, err := st.RenewLease(ctx, instance, lease); err != nil || held != wantHeld {
				t.Fatalf("renew %s: held %v (%v), want %v", instance, held, err, wantHeld)
			}
		}
		present := func(want int) {
			t.Helper()
			if n, err := st.PresentCount(ctx, ls.ID); err != nil || n != want {
				t.Fatalf("present at %v: %d (%v), want %d", now.Sub(start), n, err, want)
			}
		}
		renew("killed", false)
		renew("alive", false)
		gone, err := st.JoinAttendance(ctx, ls.ID, learner.ID, "killed")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.JoinAttendance(ctx, ls.ID, tr.ID, "alive"); err != nil {
			t.Fatal(err)
		}
		present(2)

		now = start.Add(5 * time.Second)
		renew("killed", true) // its last renewal
		renew("alive", true)
		now = start.Add(12 * time.Second)
		renew("alive", true)
		present(2) // the killed one's lease runs to 15 s
		if sessions, err := st.SweepLeases(ctx); err != nil || len(sessions) != 0 {
			t.Fatalf("swept %v (%v) while every lease runs", sessions, err)
		}

		now = start.Add(16 * time.Second)
		present(1) // before any sweep: its people no longer count
		sessions, err := st.SweepLeases(ctx)
		if err != nil || len(sessions) != 1 || sessions[0] != ls.ID {
			t.Fatalf("swept %v (%v)", sessions, err)
		}
		spans, err := st.Attendance(ctx, ls.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range spans {
			switch {
			case a.ID == gone && (a.LeftAt == nil || !a.LeftAt.Equal(start.Add(5*time.Second))):
				t.Fatalf("the killed instance's row left at %v, want its last renewal", a.LeftAt)
			case a.ID != gone && a.LeftAt != nil:
				t.Fatal("a live instance's row was closed")
			}
		}
		if sessions, err := st.SweepLeases(ctx); err != nil || len(sessions) != 0 {
			t.Fatalf("a second sweep found %v (%v)", sessions, err)
		}
		present(1)
		// Back after its lease was swept, the instance learns that its rows were closed.
		renew("killed", false)
	})
}

func TestLiveMembershipIsTheSessionItsCohortAndTheRoleInOneLookup(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		st := store.New(db, nil)
		tr := storetest.Account(t, st, "membership-trainer", model.RoleTrainer)
		learner := storetest.Account(t, st, "membership-learner", model.RoleLearner)
		stranger := storetest.Account(t, st, "membership-stranger", model.RoleLearner)
		ls := storetest.RunningSession(t, st, tr)
		if err := st.JoinCohort(ctx, ls.CohortID, learner.ID, 0); err != nil {
			t.Fatal(err)
		}
		wantSession, err := st.LiveSession(ctx, ls.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantCohort, err := st.Cohort(ctx, ls.CohortID)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			who  *model.User
			role string
		}{{tr, model.CohortTrainer}, {learner, model.CohortLearner}, {stranger, ""}} {
			gotSession, gotCohort, role, err := st.LiveMembership(ctx, ls.ID, c.who.ID)
			if err != nil {
				t.Fatal(err)
			}
			if role != c.role {
				t.Errorf("%s: role %q, want %q", c.who.Username, role, c.role)
			}
			if !reflect.DeepEqual(gotSession, wantSession) || !reflect.DeepEqual(gotCohort, wantCohort) {
				t.Errorf("%s: got %+v %+v, want %+v %+v", c.who.Username, gotSession, gotCohort, wantSession, wantCohort)
			}
		}
		if _, _, _, err := st.LiveMembership(ctx, ls.ID+1000, tr.ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("unknown session: %v, want ErrNotFound", err)
		}
	})
}

func TestAVisitorsLeaseHoldsOneAttendanceRowThatClosesAtTheirLastRefresh(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		start := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
		now := start
		st := store.New(db, func() time.Time { return now })
		tr := storetest.Account(t, st, "visit-trainer", model.RoleTrainer)
		learner := storetest.Account(t, st, "visit-learner", model.RoleLearner)
		ls := storetest.RunningSession(t, st, tr)
		if err := st.JoinCohort(ctx, ls.CohortID, learner.ID, 0); err != nil {
			t.Fatal(err)
		}
		const holder, hold = "vvisitor", 30 * time.Second
		visit := func(lease time.Duration, wantJoined bool) {
			t.Helper()
			if joined, err := st.RenewVisit(ctx, holder, ls.ID, learner.ID, lease); err != nil || joined != wantJoined {
				t.Fatalf("visit at %v: joined %v (%v), want %v", now.Sub(start), joined, err, wantJoined)
			}
		}
		present := func(want int) {
			t.Helper()
			if n, err := st.PresentCount(ctx, ls.ID); err != nil || n != want {
				t.Fatalf("present at %v: %d (%v), want %d", now.Sub(start), n, err, want)
			}
		}
		visit(hold, true)
		present(1)
		now = start.Add(10 * time.Second)
		visit(hold, false)
		visit(5*time.Second, false) // a shorter hold does not shorten the lease
		now = start.Add(39 * time.Second)
		present(1)
		if sessions, err := st.SweepLeases(ctx); err != nil || len(sessions) != 0 {
			t.Fatalf("swept %v (%v) while the visitor's lease runs", sessions, err)
		}
		now = start.Add(41 * time.Second)
		present(0)
		if sessions, err := st.SweepLeases(ctx); err != nil || len(sessions) != 1 || sessions[0] != ls.ID {
			t.Fatalf("swept %v (%v)", sessions, err)
		}
		spans, err := st.Attendance(ctx, ls.ID)
		if err != nil || len(spans) != 1 || !spans[0].JoinedAt.Equal(start) || spans[0].LeftAt == nil || !spans[0].LeftAt.Equal(start.Add(10*time.Second)) {
			t.Fatalf("attendance %+v (%v): want one stretch from the first refresh to the last", spans, err)
		}
		// Back later: a new stretch.
		now = start.Add(time.Minute)
		visit(hold, true)
		present(1)
		if spans, _ := st.Attendance(ctx, ls.ID); len(spans) != 2 {
			t.Fatalf("after coming back: %d stretches, want 2", len(spans))
		}
		// Roles: of those who attended only (the trainer did not).
		roles, err := st.AttendeeRoles(ctx, ls.ID, ls.CohortID)
		if err != nil || len(roles) != 1 || roles[learner.ID] != model.CohortLearner {
			t.Fatalf("roles %v (%v)", roles, err)
		}
	})
}
