package web_test

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/uptrace/bun"
)

// queryCounter counts queries the database sees.
type queryCounter struct{ n atomic.Int64 }

func (q *queryCounter) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context {
	q.n.Add(1)
	return ctx
}

func (q *queryCounter) AfterQuery(context.Context, *bun.QueryEvent) {}

func TestLessonPageCostsAtMostTwoQueriesForASignedInLearner(t *testing.T) {
	eachServer(t, testConfig(), func(t *testing.T, ts *testServer) {
		b := ts.browser(t)
		b.signUp("frugal")
		b.get("/courses/sample/lessons/first-steps") // the once-a-minute session touch happens here, if due
		counter := &queryCounter{}
		ts.DB.AddQueryHook(counter)
		for range 3 {
			mustStatus(t, b.get("/courses/sample/lessons/second-steps"), http.StatusOK)
		}
		if n := counter.n.Load(); n > 6 {
			t.Fatalf("3 lesson pages ran %d queries, want at most 2 each", n)
		}
	})
}
