package web

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/model"
)

type planStepPageData struct {
	Plan *model.SessionPlan
	N    int
	Form *planStepForm
}

// planStepOf loads the step in the URL of a plan its viewer owns.
func (s *Server) planStepOf(c *fiber.Ctx) (*model.SessionPlan, *model.PlanStep, error) {
	p, err := s.planAsOwner(c)
	if err != nil {
		return nil, nil, err
	}
	id, err := c.ParamsInt("step")
	if err != nil {
		return nil, nil, fiber.ErrNotFound
	}
	st, err := s.store.PlanStep(c.UserContext(), p.ID, int64(id))
	if err != nil {
		return nil, nil, err
	}
	return p, st, nil
}

func stepPath(p *model.SessionPlan, st *model.PlanStep) string {
	return planPath(p.ID) + "/steps/" + strconv.FormatInt(st.ID, 10)
}

func (s *Server) renderPlanStep(c *fiber.Ctx, status int, p *model.SessionPlan, st *model.PlanStep, errs map[string]string) error {
	crs := s.planCourse(p)
	if crs == nil {
		return fiber.ErrNotFound
	}
	f := stepForm(crs, p, s.textDir(p.Lang), stepPath(p, st), "edit", st)
	f.Open = true
	if errs != nil {
		f.Errors = errs
	}
	return s.render(c, status, "plan_step", "plan_step_edit_title", planStepPageData{Plan: p, N: st.Position + 1, Form: f})
}

// editPlanStep is the form that changes one step (its kind stays: remove it and add
// another to change what it does).
func (s *Server) editPlanStep(c *fiber.Ctx) error {
	p, st, err := s.planStepOf(c)
	if err != nil {
		return err
	}
	return s.renderPlanStep(c, fiber.StatusOK, p, st, nil)
}
