package web_test

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/database/dbtest"
)

// queryCounter counts queries the database sees.
type queryCounter struct{ n atomic.Int64 }

func (q *queryCounter) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context {
	q.n.Add(1)
	return ctx
}

func (q *queryCounter) AfterQuery(context.Context, *bun.QueryEvent) {}

func TestLessonPageCostsAtMostTwoQueriesForASignedInLearner(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		counter := &queryCounter{}
		ts := startServer(t, db.WithQueryHook(counter), testConfig())
		b := ts.browser(t)
		b.signUp("frugal")
		b.get("/courses/sample/lessons/first-steps") // the once-a-minute session touch happens here, if due
		counter.n.Store(0)
		for range 3 {
			mustStatus(t, b.get("/courses/sample/lessons/second-steps"), http.StatusOK)
		}
		if n := counter.n.Load(); n > 6 {
			t.Fatalf("3 lesson pages ran %d queries, want at most 2 each", n)
		}
	})
}
