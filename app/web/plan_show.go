package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/course"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/plan"
	"github.com/cairn-lms/cairn/app/store"
)

type planPageData struct {
	Plan        *model.SessionPlan
	Own         bool
	CourseTitle course.Text // empty when the course is no longer in the catalog
	Dir         string      // of the plan's texts
	LangName    string
	Steps       []planStepView
	Total       int
	Full        bool // no more steps may be added

	// The owner's forms: the plan's title and sharing, and one form per kind of step.
	Title      string
	Shared     bool
	TitleError string
	Adds       []*planStepForm
}

// planPage gathers a plan's page; the caller adjusts it (a refused form) before rendering.
func (s *Server) planPage(c *fiber.Ctx, p *model.SessionPlan, own bool) (*planPageData, error) {
	steps, err := s.store.PlanSteps(c.UserContext(), p.ID)
	if err != nil {
		return nil, err
	}
	crs := s.planCourse(p)
	d := &planPageData{Plan: p, Own: own, Dir: s.textDir(p.Lang), LangName: p.Lang, Steps: planStepViews(crs, p.Lang, steps),
		Total: plan.Total(steps), Title: p.Title, Shared: p.Shared}
	if l, ok := s.locales.Lookup(p.Lang); ok {
		d.LangName = l.Lang.Name
	}
	if crs != nil {
		d.CourseTitle = crs.TextIn(crs.Title, lang(c))
	}
	d.Full = len(steps) >= store.MaxPlanSteps
	if own && crs != nil {
		for _, kind := range plan.Kinds {
			d.Adds = append(d.Adds, stepForm(crs, p, d.Dir, planPath(p.ID)+"/steps", "add-"+kind, &model.PlanStep{Kind: kind}))
		}
	}
	return d, nil
}

func (s *Server) renderPlan(c *fiber.Ctx, status int, d *planPageData) error {
	return s.renderTitled(c, status, "plan", d.Plan.Title, d)
}

// showPlan is a plan's page: its steps with their times and notes; for its owner, the
// forms that change it.
func (s *Server) showPlan(c *fiber.Ctx) error {
	p, own, err := s.planAccess(c)
	if err != nil {
		return err
	}
	d, err := s.planPage(c, p, own)
	if err != nil {
		return err
	}
	return s.renderPlan(c, fiber.StatusOK, d)
}
