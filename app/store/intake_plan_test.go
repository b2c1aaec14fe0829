package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/database/dbtest"
	"github.com/cairn-lms/cairn/app/store"
)

func TestASavedIntakePlanIsReplacedByTheNextAndCanBeDeleted(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		now := time.Date(2026, 12, 7, 15, 4, 5, 0, time.UTC)
		st := store.New(db, func() time.Time { return now })
		u := createUser(t, st, "planner")
		other := createUser(t, st, "someone-else")
		if _, err := st.IntakePlan(ctx, u.ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("before saving: %v, want ErrNotFound", err)
		}
		if err := st.SaveIntakePlan(ctx, u.ID, 1, `{"worries":["accounts"]}`); err != nil {
			t.Fatal(err)
		}
		if err := st.SaveIntakePlan(ctx, other.ID, 1, `{"team":["alone"]}`); err != nil {
			t.Fatal(err)
		}
		now = now.AddDate(0, 0, 2)
		if err := st.SaveIntakePlan(ctx, u.ID, 2, `{"devices":["phone"]}`); err != nil {
			t.Fatal(err)
		}
		p, err := st.IntakePlan(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if p.Version != 2 || p.Answers != `{"devices":["phone"]}` || !p.SavedOn.Equal(time.Date(2026, 12, 9, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("after saving again: %+v, want version 2, the new answers, and the day only", p)
		}
		if gone, err := st.DeleteIntakePlan(ctx, u.ID); err != nil || !gone {
			t.Fatalf("delete: %v %v", gone, err)
		}
		if gone, err := st.DeleteIntakePlan(ctx, u.ID); err != nil || gone {
			t.Fatalf("delete again: %v %v, want nothing deleted", gone, err)
		}
		if _, err := st.IntakePlan(ctx, u.ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("after deleting: %v", err)
		}
		if p, err := st.IntakePlan(ctx, other.ID); err != nil || p.Answers != `{"team":["alone"]}` {
			t.Fatalf("another learner's plan after: %+v %v", p, err)
		}
	})
}
