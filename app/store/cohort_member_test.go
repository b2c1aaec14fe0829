package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/database/dbtest"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
	"github.com/cairn-lms/cairn/app/store/storetest"
)

// A member is found with their account; removed, they are no longer one, while what the
// confirmation page says stays does: their progress in the course (theirs, not the
// cohort's) and their attendance at the cohort's sessions, then listed without a role.
func TestRemovingAMemberKeepsTheirProgressAndAttendance(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		st := store.New(db, nil)
		trainer := storetest.Account(t, st, "remover", model.RoleTrainer)
		learner := storetest.Account(t, st, "removed", model.RoleLearner)
		ls := storetest.RunningSession(t, st, trainer)
		if err := st.JoinCohort(ctx, ls.CohortID, learner.ID, 0); err != nil {
			t.Fatal(err)
		}
		m, err := st.CohortMember(ctx, ls.CohortID, learner.ID)
		if err != nil || m.Role != model.CohortLearner || m.User == nil || m.User.Username != "removed" {
			t.Fatalf("member %+v, %v", m, err)
		}
		if _, err := st.CohortMember(ctx, ls.CohortID+1, learner.ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("a member of another cohort: %v", err)
		}
		if _, err := st.CompleteLesson(ctx, learner.ID, "c", "l1"); err != nil {
			t.Fatal(err)
		}
		if _, err := st.JoinAttendance(ctx, ls.ID, learner.ID, "test"); err != nil {
			t.Fatal(err)
		}

		if err := st.RemoveCohortMember(ctx, ls.CohortID, learner.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := st.CohortMember(ctx, ls.CohortID, learner.ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("still a member after removal: %v", err)
		}
		if done, err := st.CompletedLessons(ctx, learner.ID, "c"); err != nil || !done["l1"] {
			t.Fatalf("progress after removal: %v, %v", done, err)
		}
		spans, err := st.Attendance(ctx, ls.ID)
		if err != nil || len(spans) != 1 || spans[0].UserID != learner.ID {
			t.Fatalf("attendance after removal: %+v, %v", spans, err)
		}
		if roles, err := st.AttendeeRoles(ctx, ls.ID, ls.CohortID); err != nil || roles[learner.ID] != "" {
			t.Fatalf("a removed member keeps a role: %v, %v", roles, err)
		}
		if err := st.RemoveCohortMember(ctx, ls.CohortID, learner.ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("removing twice: %v", err)
		}
	})
}
