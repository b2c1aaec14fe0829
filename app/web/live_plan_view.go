package web

import (
	"context"
	"errors"
	"strconv"

	"github.com/cairn-lms/cairn/app/course"
	"github.com/cairn-lms/cairn/app/live"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/plan"
	"github.com/cairn-lms/cairn/app/store"
)

// livePlanData is the session plan's part of the trainer's console (partials/live_plan.html):
// where the session stands in its plan, or the plans it could follow.
type livePlanData struct {
	SessionID int64
	Ended     bool

	Plan     *model.SessionPlan // nil when the session follows none
	Dir      string
	Steps    []planStepView
	Position int // the step performed last; -1 before the first
	Current  *planStepView
	Next     *planStepView
	Total    int // minutes

	StepUsed   int // seconds since the current step was performed
	PlanUsed   int // seconds since the first step was
	PlannedNow int // minutes planned up to the end of the current step

	// The plans the trainer may choose from for this session's course, and which is chosen.
	Mine, Shared, Others []model.SessionPlan // Others: the cohort's default or current plan of another trainer
	Agendas              []agendaModule
	Selected             string // "plan:ID" or ""
	IsDefault            bool   // the selected plan is the cohort's default
}

// Clock writes seconds as minutes and seconds, "12:05".
func (d *livePlanData) Clock(seconds int) string {
	return strconv.Itoa(seconds/60) + ":" + twoDigits(seconds%60)
}

// Over tells whether the current step has taken longer than planned.
func (d *livePlanData) Over() bool { return d.Current != nil && d.StepUsed > d.Current.Minutes*60 }

// Value is how a plan is named in the console's choice of plans.
func planValue(id int64) string { return "plan:" + strconv.FormatInt(id, 10) }

// livePlan gathers the console's plan card for a trainer of m's session.
func (s *Server) livePlan(ctx context.Context, m live.Member, crs *course.Course) (*livePlanData, error) {
	d := &livePlanData{SessionID: m.Session.ID, Ended: m.Session.EndedAt != nil, Position: -1}
	defaultID, err := s.store.CohortPlan(ctx, m.Cohort.ID)
	if err != nil {
		return nil, err
	}
	sp, err := s.store.SessionPlan(ctx, m.Session.ID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		sp = nil
	case err != nil:
		return nil, err
	}
	if sp != nil {
		if err := s.followedPlan(ctx, d, sp, crs); err != nil {
			return nil, err
		}
	}
	if d.Plan != nil {
		d.Selected, d.IsDefault = planValue(d.Plan.ID), d.Plan.ID == defaultID
	} else if defaultID != 0 {
		d.Selected, d.IsDefault = planValue(defaultID), true
	}

	visible, err := s.store.VisiblePlans(ctx, m.UserID, m.Cohort.CourseID)
	if err != nil {
		return nil, err
	}
	seen := map[int64]bool{}
	for _, p := range visible {
		seen[p.ID] = true
		if p.OwnerID == m.UserID {
			d.Mine = append(d.Mine, p)
		} else {
			d.Shared = append(d.Shared, p)
		}
	}
	// The cohort's default, and the plan the session follows, are shown to every trainer
	// of the cohort even when their owner keeps them private: choosing them for the
	// cohort shared them with its trainers.
	for _, id := range []int64{defaultID, planIDOf(d.Plan)} {
		if id == 0 || seen[id] {
			continue
		}
		seen[id] = true
		p, err := s.store.Plan(ctx, id)
		if err != nil {
			return nil, err
		}
		d.Others = append(d.Others, *p)
	}
	if crs != nil {
		d.Agendas = s.agendaCourse(crs, m.Cohort.Lang).Modules
	}
	return d, nil
}

func planIDOf(p *model.SessionPlan) int64 {
	if p == nil {
		return 0
	}
	return p.ID
}

// followedPlan fills in the plan the session follows and where it stands.
func (s *Server) followedPlan(ctx context.Context, d *livePlanData, sp *model.LiveSessionPlan, crs *course.Course) error {
	p, err := s.store.Plan(ctx, sp.PlanID)
	if err != nil {
		return err
	}
	steps, err := s.store.PlanSteps(ctx, p.ID)
	if err != nil {
		return err
	}
	d.Plan, d.Dir, d.Steps, d.Total = p, s.textDir(p.Lang), planStepViews(crs, p.Lang, steps), plan.Total(steps)
	// Steps removed while the session ran leave the position past the end: the plan is done.
	d.Position = min(sp.Position, len(steps)-1)
	now := s.store.Now()
	if d.Position >= 0 {
		d.Current = &d.Steps[d.Position]
		d.PlannedNow = d.Current.End
		if sp.StepStartedAt != nil {
			d.StepUsed = int(now.Sub(*sp.StepStartedAt).Seconds())
		}
		if sp.StartedAt != nil {
			d.PlanUsed = int(now.Sub(*sp.StartedAt).Seconds())
		}
	}
	if d.Position+1 < len(d.Steps) {
		d.Next = &d.Steps[d.Position+1]
	}
	return nil
}
