package store_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/database/dbtest"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
	"github.com/cairn-lms/cairn/app/store/storetest"
)

func stepTitles(t *testing.T, st *store.Store, planID int64) []string {
	t.Helper()
	steps, err := st.PlanSteps(context.Background(), planID)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i, s := range steps {
		if s.Position != i {
			t.Fatalf("step %q at position %d, want %d (positions must have no gaps)", s.Title, s.Position, i)
		}
		out = append(out, s.Title)
	}
	return out
}

func newPlan(t *testing.T, st *store.Store, owner *model.User, shared bool, titles ...string) *model.SessionPlan {
	t.Helper()
	p := &model.SessionPlan{OwnerID: owner.ID, CourseID: "c", Lang: "en", Title: "Plan of " + owner.Username, Shared: shared}
	var steps []model.PlanStep
	for _, title := range titles {
		steps = append(steps, model.PlanStep{Kind: model.PlanDiscussion, Title: title, Minutes: 10, Options: "[]"})
	}
	if err := st.CreatePlan(context.Background(), p, steps); err != nil {
		t.Fatal(err)
	}
	return p
}

// breakStep is a step of plan planID to add: a break of the given minutes.
func breakStep(planID int64, title string, minutes int) *model.PlanStep {
	return &model.PlanStep{PlanID: planID, Kind: model.PlanBreak, Title: title, Minutes: minutes, Options: "[]"}
}

// addStep adds step to its plan, failing the test on any error.
func addStep(t *testing.T, st *store.Store, step *model.PlanStep) *model.PlanStep {
	t.Helper()
	if err := st.AddPlanStep(context.Background(), step); err != nil {
		t.Fatal(err)
	}
	return step
}

func TestPlansKeepTheirStepsInOrderThroughEveryEdit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		st := store.New(db, nil)
		owner := storetest.Account(t, st, "planner", model.RoleTrainer)
		p := newPlan(t, st, owner, false, "warm-up", "input", "wrap-up")
		if got := stepTitles(t, st, p.ID); !slices.Equal(got, []string{"warm-up", "input", "wrap-up"}) {
			t.Fatalf("created with %v", got)
		}
		steps, _ := st.PlanSteps(ctx, p.ID)

		added := addStep(t, st, breakStep(p.ID, "tea", 15))
		if added.Position != 3 || added.ID == 0 {
			t.Fatalf("added step %+v, want it last", added)
		}
		// Up from the end, down from the start, and the ends stay put.
		if err := st.MovePlanStep(ctx, p.ID, added.ID, -1); err != nil {
			t.Fatal(err)
		}
		if err := st.MovePlanStep(ctx, p.ID, steps[0].ID, +1); err != nil {
			t.Fatal(err)
		}
		if got := stepTitles(t, st, p.ID); !slices.Equal(got, []string{"input", "warm-up", "tea", "wrap-up"}) {
			t.Fatalf("after moves: %v", got)
		}
		if err := st.MovePlanStep(ctx, p.ID, steps[1].ID, -1); err != nil {
			t.Fatal(err)
		}
		if err := st.MovePlanStep(ctx, p.ID, steps[2].ID, +1); err != nil {
			t.Fatal(err)
		}
		if got := stepTitles(t, st, p.ID); !slices.Equal(got, []string{"input", "warm-up", "tea", "wrap-up"}) {
			t.Fatalf("moving past an end changed the order: %v", got)
		}

		edited := steps[1]
		edited.Kind, edited.Title, edited.Lesson, edited.Section, edited.Notes, edited.Stage = model.PlanLesson, "", "first-steps", "recovery", "Bring cards", "input"
		edited.Position = 99 // ignored: an edit never moves a step
		if err := st.UpdatePlanStep(ctx, &edited); err != nil {
			t.Fatal(err)
		}
		got, err := st.PlanStep(ctx, p.ID, edited.ID)
		if err != nil || got.Kind != model.PlanLesson || got.Lesson != "first-steps" || got.Section != "recovery" || got.Notes != "Bring cards" || got.Position != 0 {
			t.Fatalf("edited step reads %+v, %v", got, err)
		}

		if err := st.RemovePlanStep(ctx, p.ID, steps[0].ID); err != nil {
			t.Fatal(err)
		}
		if got := stepTitles(t, st, p.ID); !slices.Equal(got, []string{"", "tea", "wrap-up"}) {
			t.Fatalf("after removing: %v", got)
		}

		// A step is reached only through its own plan.
		other := newPlan(t, st, owner, false, "elsewhere")
		if _, err := st.PlanStep(ctx, other.ID, added.ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("a step read through another plan: %v", err)
		}
		if err := st.RemovePlanStep(ctx, other.ID, added.ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("a step removed through another plan: %v", err)
		}
		if err := st.MovePlanStep(ctx, other.ID, added.ID, 1); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("a step moved through another plan: %v", err)
		}
		wrong := *added
		wrong.PlanID = other.ID
		if err := st.UpdatePlanStep(ctx, &wrong); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("a step edited through another plan: %v", err)
		}
	})
}

func TestPlanStepsAddedAtOnceGetDistinctPositionsUpToTheLimit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		st := store.New(db, nil)
		owner := storetest.Account(t, st, "busy", model.RoleTrainer)
		p := newPlan(t, st, owner, false)
		const writers = 8
		var wg sync.WaitGroup
		errs := make([]error, writers)
		for i := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = st.AddPlanStep(ctx, breakStep(p.ID, "", 5))
			}()
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		stepTitles(t, st, p.ID) // fails on a repeated or missing position
		for range store.MaxPlanSteps - writers {
			addStep(t, st, breakStep(p.ID, "", 5))
		}
		if err := st.AddPlanStep(ctx, breakStep(p.ID, "", 5)); !errors.Is(err, store.ErrPlanFull) {
			t.Fatalf("step %d: %v, want ErrPlanFull", store.MaxPlanSteps+1, err)
		}
	})
}

func TestTrainersSeeTheirOwnAndSharedPlansAndCopyThem(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		st := store.New(db, nil)
		ana := storetest.Account(t, st, "ana", model.RoleTrainer)
		ben := storetest.Account(t, st, "ben", model.RoleTrainer)
		private := newPlan(t, st, ana, false, "one")
		shared := newPlan(t, st, ben, true, "a", "b")
		bens := newPlan(t, st, ben, false, "secret")

		ids := func(user *model.User, course string) []int64 {
			ps, err := st.VisiblePlans(ctx, user.ID, course)
			if err != nil {
				t.Fatal(err)
			}
			var out []int64
			for _, p := range ps {
				if p.Owner == nil || p.Owner.ID != p.OwnerID || p.Owner.Username == "" {
					t.Fatalf("plan %d listed without its owner: %+v", p.ID, p.Owner)
				}
				out = append(out, p.ID)
			}
			slices.Sort(out)
			return out
		}
		if got := ids(ana, ""); !slices.Equal(got, []int64{private.ID, shared.ID}) {
			t.Fatalf("ana sees %v, want her own %d and the shared %d", got, private.ID, shared.ID)
		}
		if got := ids(ben, ""); !slices.Equal(got, []int64{shared.ID, bens.ID}) {
			t.Fatalf("ben sees %v", got)
		}
		totals, err := st.PlanTotals(ctx, []int64{private.ID, shared.ID, bens.ID, 999})
		if err != nil || totals[shared.ID] != (store.PlanTotal{PlanID: shared.ID, Steps: 2, Minutes: 20}) || totals[private.ID].Steps != 1 || len(totals) != 3 {
			t.Fatalf("totals %+v, %v", totals, err)
		}
		if got := ids(ana, "another-course"); len(got) != 0 {
			t.Fatalf("plans of course c listed for another course: %v", got)
		}

		cp, err := st.DuplicatePlan(ctx, shared.ID, ana.ID, "My copy")
		if err != nil {
			t.Fatal(err)
		}
		if cp.OwnerID != ana.ID || cp.Shared || cp.Title != "My copy" || cp.CourseID != shared.CourseID || cp.ID == shared.ID {
			t.Fatalf("copy %+v", cp)
		}
		if got := stepTitles(t, st, cp.ID); !slices.Equal(got, []string{"a", "b"}) {
			t.Fatalf("copy has steps %v", got)
		}
		// Editing the copy leaves the original alone.
		steps, _ := st.PlanSteps(ctx, cp.ID)
		if err := st.RemovePlanStep(ctx, cp.ID, steps[0].ID); err != nil {
			t.Fatal(err)
		}
		if got := stepTitles(t, st, shared.ID); !slices.Equal(got, []string{"a", "b"}) {
			t.Fatalf("the original changed with its copy: %v", got)
		}

		shared.Title, shared.Shared = "Renamed", false
		if err := st.UpdatePlan(ctx, shared); err != nil {
			t.Fatal(err)
		}
		if got := ids(ana, ""); !slices.Equal(got, []int64{private.ID, cp.ID}) {
			t.Fatalf("after ben stopped sharing, ana sees %v", got)
		}
		if err := st.DeletePlan(ctx, shared.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Plan(ctx, shared.ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("deleted plan still loads: %v", err)
		}
		if n := count(t, db, "session_plan_steps"); n != 3 { // "one", "secret" and the copy's "b"
			t.Fatalf("%d steps left, want the deleted plan's gone", n)
		}
		if err := st.DeletePlan(ctx, shared.ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("deleting twice: %v", err)
		}
	})
}

func TestASessionFollowsItsPlanOneStepAtATime(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		st := store.New(db, nil)
		trainer := storetest.Account(t, st, "runner", model.RoleTrainer)
		ls := storetest.RunningSession(t, st, trainer)
		p := newPlan(t, st, trainer, false, "first", "second")

		if _, err := st.SessionPlan(ctx, ls.ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("a new session follows a plan: %v", err)
		}
		if err := st.SetSessionPlan(ctx, ls.ID, p.ID); err != nil {
			t.Fatal(err)
		}
		sp, err := st.SessionPlan(ctx, ls.ID)
		if err != nil || sp.PlanID != p.ID || sp.Position != -1 || sp.StartedAt != nil || sp.StepStartedAt != nil {
			t.Fatalf("progress %+v, %v", sp, err)
		}

		// Two trainers press "next" at the same step: one moves the plan, the other is told
		// it has moved on.
		const presses = 4
		var wg sync.WaitGroup
		errs := make([]error, presses)
		for i := range presses {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = st.AdvanceSessionPlan(ctx, ls.ID, -1, 0)
			}()
		}
		wg.Wait()
		moved := 0
		for _, err := range errs {
			switch {
			case err == nil:
				moved++
			case !errors.Is(err, store.ErrPlanMoved):
				t.Fatal(err)
			}
		}
		if moved != 1 {
			t.Fatalf("%d of %d simultaneous presses moved the plan, want 1", moved, presses)
		}
		first, _ := st.SessionPlan(ctx, ls.ID)
		if first.Position != 0 || first.StartedAt == nil || first.StepStartedAt == nil {
			t.Fatalf("after the first step: %+v", first)
		}

		prev, err := st.AdvanceSessionPlan(ctx, ls.ID, 0, 1)
		if err != nil || prev.Position != 0 {
			t.Fatalf("advance to the second step: %+v, %v", prev, err)
		}
		second, _ := st.SessionPlan(ctx, ls.ID)
		if !second.StartedAt.Equal(*first.StartedAt) {
			t.Fatalf("the plan's start moved from %v to %v", first.StartedAt, second.StartedAt)
		}
		// The step could not be performed: back to where it was.
		if err := st.RewindSessionPlan(ctx, prev, 1); err != nil {
			t.Fatal(err)
		}
		back, _ := st.SessionPlan(ctx, ls.ID)
		if back.Position != 0 || !back.StepStartedAt.Equal(*first.StepStartedAt) {
			t.Fatalf("after rewinding: %+v, want %+v", back, first)
		}

		// Choosing a plan again starts it afresh; choosing none stops following.
		if err := st.SetSessionPlan(ctx, ls.ID, p.ID); err != nil {
			t.Fatal(err)
		}
		if again, _ := st.SessionPlan(ctx, ls.ID); again.Position != -1 || again.StartedAt != nil {
			t.Fatalf("a plan chosen again does not start afresh: %+v", again)
		}
		if err := st.SetSessionPlan(ctx, ls.ID, 0); err != nil {
			t.Fatal(err)
		}
		if _, err := st.SessionPlan(ctx, ls.ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("the session still follows a plan: %v", err)
		}
		if _, err := st.AdvanceSessionPlan(ctx, ls.ID, -1, 0); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("advancing without a plan: %v", err)
		}
	})
}

func TestCohortDefaultPlanAndDeletingAPlanLetsGoOfIt(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		st := store.New(db, nil)
		trainer := storetest.Account(t, st, "default-setter", model.RoleTrainer)
		ls := storetest.RunningSession(t, st, trainer)
		p := newPlan(t, st, trainer, false, "only")
		if id, err := st.CohortPlan(ctx, ls.CohortID); err != nil || id != 0 {
			t.Fatalf("a new cohort has default plan %d, %v", id, err)
		}
		if err := st.SetCohortPlan(ctx, ls.CohortID, p.ID); err != nil {
			t.Fatal(err)
		}
		if err := st.SetCohortPlan(ctx, ls.CohortID, p.ID); err != nil {
			t.Fatal(err)
		}
		if id, err := st.CohortPlan(ctx, ls.CohortID); err != nil || id != p.ID {
			t.Fatalf("default plan %d, %v; want %d", id, err, p.ID)
		}
		if err := st.SetSessionPlan(ctx, ls.ID, p.ID); err != nil {
			t.Fatal(err)
		}
		if err := st.DeletePlan(ctx, p.ID); err != nil {
			t.Fatal(err)
		}
		if id, _ := st.CohortPlan(ctx, ls.CohortID); id != 0 {
			t.Fatalf("the cohort still defaults to deleted plan %d", id)
		}
		if _, err := st.SessionPlan(ctx, ls.ID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("the session still follows the deleted plan: %v", err)
		}
		q := newPlan(t, st, trainer, false)
		if err := st.SetCohortPlan(ctx, ls.CohortID, q.ID); err != nil {
			t.Fatal(err)
		}
		if err := st.SetCohortPlan(ctx, ls.CohortID, 0); err != nil {
			t.Fatal(err)
		}
		if id, _ := st.CohortPlan(ctx, ls.CohortID); id != 0 {
			t.Fatalf("the default was not cleared: %d", id)
		}
	})
}

func TestTextStepsReplaceTheLessonAndBack(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		st := store.New(db, nil)
		trainer := storetest.Account(t, st, "texter", model.RoleTrainer)
		ls := storetest.RunningSession(t, st, trainer)
		set := func(fn func(ctx context.Context, tx bun.Tx) error) *model.LiveSession {
			t.Helper()
			if err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error { return fn(ctx, tx) }); err != nil {
				t.Fatal(err)
			}
			got, err := st.LiveSession(ctx, ls.ID)
			if err != nil {
				t.Fatal(err)
			}
			return got
		}
		set(func(ctx context.Context, tx bun.Tx) error {
			return store.SetStep(ctx, tx, ls.ID, "first-steps", "intro")
		})
		got := set(func(ctx context.Context, tx bun.Tx) error {
			return store.SetTextStep(ctx, tx, ls.ID, model.PlanBreak, "Tea", 15)
		})
		if got.StepLesson != "" || got.StepSection != "" || got.StepKind != model.PlanBreak || got.StepText != "Tea" || got.StepMinutes != 15 {
			t.Fatalf("after a break: %+v", got)
		}
		got = set(func(ctx context.Context, tx bun.Tx) error { return store.SetStep(ctx, tx, ls.ID, "first-steps", "") })
		if got.StepLesson != "first-steps" || got.StepKind != "" || got.StepText != "" || got.StepMinutes != 0 {
			t.Fatalf("back to a lesson: %+v", got)
		}
	})
}
