package store_test

import (
	"context"
	"maps"
	"slices"
	"testing"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/database/dbtest"
	"github.com/cairn-lms/cairn/app/store"
)

func ids(set map[string]bool) []string { return slices.Sorted(maps.Keys(set)) }

func TestChecklistTicksReplaceTheLessonsSetAndStayPrivate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		st := store.New(db, nil)
		u := createUser(t, st, "ticker")
		other := createUser(t, st, "neighbour")

		if err := st.SetChecklistTicks(ctx, u.ID, "c", "l1", []string{"a", "b", "old"}); err != nil {
			t.Fatal(err)
		}
		if err := st.SetChecklistTicks(ctx, u.ID, "c", "l2", []string{"x"}); err != nil {
			t.Fatal(err)
		}
		if err := st.SetChecklistTicks(ctx, other.ID, "c", "l1", []string{"a"}); err != nil {
			t.Fatal(err)
		}
		// The same form sent twice, then a form that unticks b and no longer has "old".
		for range 2 {
			if err := st.SetChecklistTicks(ctx, u.ID, "c", "l1", []string{"a", "c"}); err != nil {
				t.Fatal(err)
			}
		}
		ticks, err := st.ChecklistTicks(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got := ids(ticks.Lesson("c", "l1")); !slices.Equal(got, []string{"a", "c"}) {
			t.Fatalf("l1 ticks %v, want [a c]", got)
		}
		if got := ids(ticks.Lesson("c", "l2")); !slices.Equal(got, []string{"x"}) {
			t.Fatalf("l2 ticks %v, want [x]: saving one lesson must not touch another", got)
		}
		if got := ticks.Lesson("other-course", "l1"); got == nil || len(got) != 0 {
			t.Fatalf("a course without ticks gives %v, want an empty set", got)
		}
		if n := count(t, db, "checklist_ticks"); n != 4 {
			t.Fatalf("%d tick rows, want 4 (2 + 1 of this learner, 1 of the other)", n)
		}

		// Unticking everything removes the lesson's rows.
		if err := st.SetChecklistTicks(ctx, u.ID, "c", "l2", nil); err != nil {
			t.Fatal(err)
		}
		ticks, err = st.ChecklistTicks(ctx, u.ID, "c")
		if err != nil || len(ticks.Lesson("c", "l2")) != 0 {
			t.Fatalf("after unticking all: %v, %v", ticks, err)
		}
		theirs, err := st.ChecklistTicks(ctx, other.ID, "c")
		if err != nil || !slices.Equal(ids(theirs.Lesson("c", "l1")), []string{"a"}) {
			t.Fatalf("the other learner's ticks changed: %v, %v", theirs, err)
		}

		// Ticking counts as activity: the course is among the learner's enrolments.
		p, err := st.LearnerProgress(ctx, u.ID)
		if err != nil || p.Enrollments["c"] == nil {
			t.Fatalf("ticking did not enrol the learner: %+v, %v", p, err)
		}
	})
}

func TestLessonPageReadsCompletionAndTheLessonsTicksInOneQuery(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		st := store.New(db, nil)
		u := createUser(t, st, "reader")
		if _, err := st.CompleteLesson(ctx, u.ID, "c", "l1"); err != nil {
			t.Fatal(err)
		}
		if _, err := st.CompleteLesson(ctx, u.ID, "c", "l2"); err != nil {
			t.Fatal(err)
		}
		if _, err := st.CompleteLesson(ctx, u.ID, "d", "l3"); err != nil {
			t.Fatal(err)
		}
		if err := st.SetChecklistTicks(ctx, u.ID, "c", "l2", []string{"p", "q"}); err != nil {
			t.Fatal(err)
		}
		if err := st.SetChecklistTicks(ctx, u.ID, "c", "l1", []string{"r"}); err != nil {
			t.Fatal(err)
		}
		counter := &countQueries{}
		done, ticked, err := store.New(db.WithQueryHook(counter), nil).CompletedLessonsAndTicks(ctx, u.ID, "c", "l2")
		if err != nil {
			t.Fatal(err)
		}
		if got := ids(done); !slices.Equal(got, []string{"l1", "l2"}) {
			t.Fatalf("completed %v, want [l1 l2]", got)
		}
		if got := ids(ticked); !slices.Equal(got, []string{"p", "q"}) {
			t.Fatalf("ticked %v, want [p q] (only this lesson's)", got)
		}
		if counter.n != 1 {
			t.Fatalf("%d queries, want 1", counter.n)
		}
		none, nothing, err := st.CompletedLessonsAndTicks(ctx, u.ID, "e", "l1")
		if err != nil || len(none) != 0 || len(nothing) != 0 {
			t.Fatalf("a course never started: %v %v %v", none, nothing, err)
		}
	})
}

func TestDeletingAnAccountDeletesItsTicks(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		st := store.New(db, nil)
		u := createUser(t, st, "leaver")
		if err := st.SetChecklistTicks(ctx, u.ID, "c", "l1", []string{"a", "b"}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.NewDelete().TableExpr("users").Where("id = ?", u.ID).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		if n := count(t, db, "checklist_ticks"); n != 0 {
			t.Fatalf("%d ticks outlived their account", n)
		}
	})
}

type countQueries struct{ n int }

func (c *countQueries) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context {
	c.n++
	return ctx
}

func (c *countQueries) AfterQuery(context.Context, *bun.QueryEvent) {}
