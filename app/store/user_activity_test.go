package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/database/dbtest"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
)

func TestAnAccountRemembersTheDayItWasLastUsedAndNoMore(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		created := time.Date(2026, 3, 4, 15, 16, 17, 0, time.UTC)
		clock := created
		st := store.New(db, func() time.Time { return clock })
		u := createUser(t, st, "amina")
		activeOn := func() time.Time {
			t.Helper()
			got, err := st.UserByID(ctx, u.ID)
			if err != nil {
				t.Fatal(err)
			}
			return got.ActiveOn
		}
		if got, want := activeOn(), model.ActiveDay(created); !got.Equal(want) {
			t.Fatalf("a new account is active on %v, want its creation day %v", got, want)
		}
		later := model.ActiveDay(created.AddDate(0, 0, 40))
		if err := st.MarkActive(ctx, u.ID, later); err != nil {
			t.Fatal(err)
		}
		if got := activeOn(); !got.Equal(later) || got.Hour() != 0 || got.Minute() != 0 {
			t.Fatalf("active on %v, want the day %v at midnight", got, later)
		}
		// A request from an earlier day arriving late never moves the day back.
		if err := st.MarkActive(ctx, u.ID, model.ActiveDay(created)); err != nil {
			t.Fatal(err)
		}
		if got := activeOn(); !got.Equal(later) {
			t.Fatalf("an earlier day moved the last active day back to %v", got)
		}
	})
}
