package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/database/dbtest"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
	"github.com/cairn-lms/cairn/app/store/storetest"
)

func TestAnonymousQuestionsCannotBeOrderedAmongTheAskersNamedOnes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		st := store.New(db, nil)
		asker := createUser(t, st, "asker")
		ls := storetest.RunningSession(t, st, asker)
		var ids []int64 // in the order asked
		for i := range 30 {
			q := &model.LiveQuestion{SessionID: ls.ID, Body: "?"}
			if i%3 != 1 { // named, anonymous, named, …
				q.UserID = &asker.ID
			}
			if err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error { return st.AddQuestion(ctx, tx, q) }); err != nil {
				t.Fatal(err)
			}
			if q.ID <= 0 || q.ID >= 1<<53 {
				t.Fatalf("question id %d does not fit a JavaScript number", q.ID)
			}
			ids = append(ids, q.ID)
		}
		if slices.IsSorted(ids) {
			t.Fatalf("question ids %v follow the order they were asked in", ids)
		}
		var stored []model.LiveQuestion
		if err := db.NewSelect().Model(&stored).Where("session_id = ?", ls.ID).Scan(ctx); err != nil {
			t.Fatal(err)
		}
		for _, q := range stored {
			if !q.CreatedAt.Equal(q.CreatedAt.Truncate(time.Minute)) {
				t.Fatalf("question %d: created_at %v is finer than the minute", q.ID, q.CreatedAt)
			}
		}
		listed, err := st.Questions(ctx, ls.ID, false)
		if err != nil || len(listed) != len(ids) {
			t.Fatalf("listed %d questions, %v", len(listed), err)
		}
	})
}
