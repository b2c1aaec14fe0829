package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/cairn-lms/cairn/app/database"
	"github.com/cairn-lms/cairn/app/model"
)

// MaxPlanSteps bounds a plan: its pages show every step at once.
const MaxPlanSteps = 100

// Session-plan errors callers branch on.
var (
	ErrPlanFull = errors.New("the plan has as many steps as it may")
	// ErrPlanMoved: the session's plan is no longer at the step the request started from
	// (another trainer, or a form sent twice, moved it on).
	ErrPlanMoved = errors.New("the session's plan has moved on")
)

// CreatePlan stores a plan with its first steps, in the order given.
func (s *Store) CreatePlan(ctx context.Context, p *model.SessionPlan, steps []model.PlanStep) error {
	if len(steps) > MaxPlanSteps {
		return ErrPlanFull
	}
	now := s.Now()
	p.CreatedAt, p.UpdatedAt = now, now
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(p).Exec(ctx); err != nil {
			return fmt.Errorf("insert plan: %w", err)
		}
		return insertSteps(ctx, tx, p.ID, steps)
	})
}

func insertSteps(ctx context.Context, tx bun.Tx, planID int64, steps []model.PlanStep) error {
	if len(steps) == 0 {
		return nil
	}
	rows := make([]model.PlanStep, len(steps))
	for i, st := range steps {
		st.ID, st.PlanID, st.Position = 0, planID, i
		rows[i] = st
	}
	if _, err := tx.NewInsert().Model(&rows).Exec(ctx); err != nil {
		return fmt.Errorf("insert plan steps: %w", err)
	}
	return nil
}

// Plan loads one plan with its owner's name.
func (s *Store) Plan(ctx context.Context, id int64) (*model.SessionPlan, error) {
	p := new(model.SessionPlan)
	err := s.db.NewSelect().Model(p).Relation("Owner", ownerColumns).Where("session_plan.id = ?", id).Scan(ctx)
	return p, notFound(err)
}

// ownerColumns loads only what a plan page shows of its owner.
func ownerColumns(q *bun.SelectQuery) *bun.SelectQuery {
	return q.Column("id", "username", "display_name")
}

// VisiblePlans lists the plans a trainer may use: their own and every shared one, the most
// recently changed first; for one course only unless courseID is empty.
func (s *Store) VisiblePlans(ctx context.Context, userID int64, courseID string) ([]model.SessionPlan, error) {
	var out []model.SessionPlan
	q := s.db.NewSelect().Model(&out).Relation("Owner", ownerColumns).
		WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			return q.Where("session_plan.owner_id = ?", userID).WhereOr("session_plan.shared = ?", true)
		}).
		Order("session_plan.updated_at DESC", "session_plan.id DESC")
	if courseID != "" {
		q = q.Where("session_plan.course_id = ?", courseID)
	}
	return out, q.Scan(ctx)
}

// PlanSteps lists a plan's steps, first first.
func (s *Store) PlanSteps(ctx context.Context, planID int64) ([]model.PlanStep, error) {
	var out []model.PlanStep
	err := s.db.NewSelect().Model(&out).Where("plan_id = ?", planID).Order("position ASC", "id ASC").Scan(ctx)
	return out, err
}

// PlanStep loads one step of a plan.
func (s *Store) PlanStep(ctx context.Context, planID, stepID int64) (*model.PlanStep, error) {
	st := new(model.PlanStep)
	err := s.db.NewSelect().Model(st).Where("id = ?", stepID).Where("plan_id = ?", planID).Scan(ctx)
	return st, notFound(err)
}

// UpdatePlan saves a plan's title and whether it is shared.
func (s *Store) UpdatePlan(ctx context.Context, p *model.SessionPlan) error {
	p.UpdatedAt = s.Now()
	res, err := s.db.NewUpdate().Model(p).Column("title", "shared", "updated_at").WherePK().Exec(ctx)
	if err != nil {
		return err
	}
	if !affectedOne(res) {
		return ErrNotFound
	}
	return nil
}

// DeletePlan deletes a plan and its steps; sessions and cohorts that followed it no longer do.
func (s *Store) DeletePlan(ctx context.Context, id int64) error {
	res, err := s.db.NewDelete().Model((*model.SessionPlan)(nil)).Where("id = ?", id).Exec(ctx)
	if err != nil {
		return err
	}
	if !affectedOne(res) {
		return ErrNotFound
	}
	return nil
}

// DuplicatePlan copies a plan and its steps for owner, unshared, under a new title.
func (s *Store) DuplicatePlan(ctx context.Context, planID, ownerID int64, title string) (*model.SessionPlan, error) {
	src, err := s.Plan(ctx, planID)
	if err != nil {
		return nil, err
	}
	steps, err := s.PlanSteps(ctx, planID)
	if err != nil {
		return nil, err
	}
	cp := &model.SessionPlan{OwnerID: ownerID, CourseID: src.CourseID, Lang: src.Lang, Title: title, SourceModule: src.SourceModule}
	return cp, s.CreatePlan(ctx, cp, steps)
}

// changePlan runs fn on a plan's steps in a transaction that holds the plan's row, so two
// edits at once (two tabs) cannot give two steps one position, and marks the plan changed.
func (s *Store) changePlan(ctx context.Context, planID int64, fn func(ctx context.Context, tx bun.Tx) error) error {
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := database.LockForUpdate(ctx, tx, "session_plans", planID); err != nil {
			return err
		}
		res, err := tx.NewUpdate().Model((*model.SessionPlan)(nil)).Set("updated_at = ?", s.Now()).Where("id = ?", planID).Exec(ctx)
		if err != nil {
			return err
		}
		if !affectedOne(res) {
			return ErrNotFound
		}
		return fn(ctx, tx)
	})
}

// AddPlanStep appends a step to its plan (st.PlanID).
func (s *Store) AddPlanStep(ctx context.Context, st *model.PlanStep) error {
	return s.changePlan(ctx, st.PlanID, func(ctx context.Context, tx bun.Tx) error {
		n, err := tx.NewSelect().Model((*model.PlanStep)(nil)).Where("plan_id = ?", st.PlanID).Count(ctx)
		if err != nil {
			return err
		}
		if n >= MaxPlanSteps {
			return ErrPlanFull
		}
		st.ID, st.Position = 0, int(n)
		_, err = tx.NewInsert().Model(st).Exec(ctx)
		return err
	})
}

// UpdatePlanStep saves what a step does; its plan and position stay.
func (s *Store) UpdatePlanStep(ctx context.Context, st *model.PlanStep) error {
	return s.changePlan(ctx, st.PlanID, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewUpdate().Model(st).
			Column("kind", "stage", "minutes", "title", "notes", "lesson", "section", "quiz_module", "question_id", "options", "anonymous", "multiple").
			Where("id = ?", st.ID).Where("plan_id = ?", st.PlanID).Exec(ctx)
		if err != nil {
			return err
		}
		if !affectedOne(res) {
			return ErrNotFound
		}
		return nil
	})
}

// MovePlanStep swaps a step with the one before it (delta -1) or after it (+1); at either
// end of the plan it stays where it is.
func (s *Store) MovePlanStep(ctx context.Context, planID, stepID int64, delta int) error {
	if delta != -1 && delta != 1 {
		return fmt.Errorf("move a plan step by %d: only by one", delta)
	}
	return s.changePlan(ctx, planID, func(ctx context.Context, tx bun.Tx) error {
		st := new(model.PlanStep)
		if err := tx.NewSelect().Model(st).Where("id = ?", stepID).Where("plan_id = ?", planID).Scan(ctx); err != nil {
			return notFound(err)
		}
		res, err := tx.NewUpdate().Model((*model.PlanStep)(nil)).Set("position = ?", st.Position).
			Where("plan_id = ?", planID).Where("position = ?", st.Position+delta).Exec(ctx)
		if err != nil {
			return err
		}
		if !affectedOne(res) {
			return nil // first or last already
		}
		_, err = tx.NewUpdate().Model((*model.PlanStep)(nil)).Set("position = ?", st.Position+delta).Where("id = ?", stepID).Exec(ctx)
		return err
	})
}

// RemovePlanStep deletes a step and closes the gap it leaves.
func (s *Store) RemovePlanStep(ctx context.Context, planID, stepID int64) error {
	return s.changePlan(ctx, planID, func(ctx context.Context, tx bun.Tx) error {
		st := new(model.PlanStep)
		if err := tx.NewSelect().Model(st).Where("id = ?", stepID).Where("plan_id = ?", planID).Scan(ctx); err != nil {
			return notFound(err)
		}
		if _, err := tx.NewDelete().Model((*model.PlanStep)(nil)).Where("id = ?", stepID).Exec(ctx); err != nil {
			return err
		}
		_, err := tx.NewUpdate().Model((*model.PlanStep)(nil)).Set("position = position - 1").
			Where("plan_id = ?", planID).Where("position > ?", st.Position).Exec(ctx)
		return err
	})
}

// SessionPlan returns the plan a live session follows and where it stands, or ErrNotFound.
func (s *Store) SessionPlan(ctx context.Context, sessionID int64) (*model.LiveSessionPlan, error) {
	sp := new(model.LiveSessionPlan)
	err := s.db.NewSelect().Model(sp).Where("session_id = ?", sessionID).Scan(ctx)
	return sp, notFound(err)
}

// SetSessionPlan makes a session follow a plan from its start; planID 0 lets it follow none.
func (s *Store) SetSessionPlan(ctx context.Context, sessionID, planID int64) error {
	if planID == 0 {
		_, err := s.db.NewDelete().Model((*model.LiveSessionPlan)(nil)).Where("session_id = ?", sessionID).Exec(ctx)
		return err
	}
	_, err := s.db.NewInsert().Model(&model.LiveSessionPlan{SessionID: sessionID, PlanID: planID, Position: -1}).
		On("CONFLICT (session_id) DO UPDATE").
		Set("plan_id = EXCLUDED.plan_id, position = EXCLUDED.position, started_at = NULL, step_started_at = NULL").
		Exec(ctx)
	return err
}

// AdvanceSessionPlan records that the session's plan went from step from to step to, if it
// still stands at from: only one of two trainers pressing "next" at once moves it. It
// returns the progress as it was, for RewindSessionPlan.
func (s *Store) AdvanceSessionPlan(ctx context.Context, sessionID int64, from, to int) (*model.LiveSessionPlan, error) {
	prev := new(model.LiveSessionPlan)
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := tx.NewSelect().Model(prev).Where("session_id = ?", sessionID).Scan(ctx); err != nil {
			return notFound(err)
		}
		now := s.Now()
		started := prev.StartedAt
		if started == nil {
			started = &now
		}
		res, err := tx.NewUpdate().Model((*model.LiveSessionPlan)(nil)).
			Set("position = ?", to).Set("step_started_at = ?", now).Set("started_at = ?", started).
			Where("session_id = ?", sessionID).Where("position = ?", from).Exec(ctx)
		if err != nil {
			return err
		}
		if !affectedOne(res) {
			return ErrPlanMoved
		}
		return nil
	})
	return prev, err
}

// RewindSessionPlan puts a session's plan back where it was before an advance to step to
// (the step could not be performed), unless it has moved again since.
func (s *Store) RewindSessionPlan(ctx context.Context, prev *model.LiveSessionPlan, to int) error {
	_, err := s.db.NewUpdate().Model((*model.LiveSessionPlan)(nil)).
		Set("position = ?", prev.Position).Set("step_started_at = ?", prev.StepStartedAt).Set("started_at = ?", prev.StartedAt).
		Where("session_id = ?", prev.SessionID).Where("plan_id = ?", prev.PlanID).Where("position = ?", to).Exec(ctx)
	return err
}

// CohortPlan returns the id of the plan a cohort's sessions follow by default, or 0.
func (s *Store) CohortPlan(ctx context.Context, cohortID int64) (int64, error) {
	cp := new(model.CohortPlan)
	err := s.db.NewSelect().Model(cp).Where("cohort_id = ?", cohortID).Scan(ctx)
	if errors.Is(notFound(err), ErrNotFound) {
		return 0, nil
	}
	return cp.PlanID, err
}

// SetCohortPlan makes a plan the cohort's default; planID 0 leaves it without one.
func (s *Store) SetCohortPlan(ctx context.Context, cohortID, planID int64) error {
	if planID == 0 {
		_, err := s.db.NewDelete().Model((*model.CohortPlan)(nil)).Where("cohort_id = ?", cohortID).Exec(ctx)
		return err
	}
	_, err := s.db.NewInsert().Model(&model.CohortPlan{CohortID: cohortID, PlanID: planID}).
		On("CONFLICT (cohort_id) DO UPDATE").Set("plan_id = EXCLUDED.plan_id").Exec(ctx)
	return err
}

// PlanTotal is how many steps a plan has and how many minutes they add up to.
type PlanTotal struct {
	PlanID  int64 `bun:"plan_id"`
	Steps   int   `bun:"steps"`
	Minutes int   `bun:"minutes"`
}

// PlanTotals sums up the steps of the given plans in one query (a list of plans).
func (s *Store) PlanTotals(ctx context.Context, ids []int64) (map[int64]PlanTotal, error) {
	out := map[int64]PlanTotal{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []PlanTotal
	err := s.db.NewSelect().Model((*model.PlanStep)(nil)).
		ColumnExpr("plan_id, COUNT(*) AS steps, COALESCE(SUM(minutes), 0) AS minutes").
		Where("plan_id IN (?)", bun.List(ids)).Group("plan_id").Scan(ctx, &rows)
	for _, r := range rows {
		out[r.PlanID] = r
	}
	return out, err
}

// plansOwnedBy lists a user's session plans with their steps, for the data export.
func plansOwnedBy(ctx context.Context, db bun.IDB, userID int64) ([]SessionPlanData, error) {
	var plans []model.SessionPlan
	if err := db.NewSelect().Model(&plans).Where("owner_id = ?", userID).Order("id").Scan(ctx); err != nil {
		return nil, err
	}
	out := make([]SessionPlanData, 0, len(plans))
	for _, p := range plans {
		var steps []model.PlanStep
		if err := db.NewSelect().Model(&steps).Where("plan_id = ?", p.ID).Order("position", "id").Scan(ctx); err != nil {
			return nil, err
		}
		d := SessionPlanData{ID: p.ID, CourseID: p.CourseID, Lang: p.Lang, Title: p.Title, Shared: p.Shared, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt}
		for _, st := range steps {
			d.Steps = append(d.Steps, PlanStepData{
				Kind: st.Kind, Stage: st.Stage, Minutes: st.Minutes, Title: st.Title, Notes: st.Notes,
				Lesson: st.Lesson, Section: st.Section, QuizModule: st.QuizModule, QuestionID: st.QuestionID,
				Options: RawJSON(st.Options), Anonymous: st.Anonymous, Multiple: st.Multiple,
			})
		}
		out = append(out, d)
	}
	return out, nil
}
