package web

import (
	"errors"
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/plan"
	"github.com/cairn-lms/cairn/app/store"
)

// addPlanStep appends a step of the kind the form is for. A refused step comes back in
// its form, unfolded, with what was typed and what is wrong.
func (s *Server) addPlanStep(c *fiber.Ctx) error {
	p, err := s.planAsOwner(c)
	if err != nil {
		return err
	}
	crs := s.planCourse(p)
	if crs == nil {
		return fiber.ErrNotFound
	}
	st := &model.PlanStep{PlanID: p.ID, Kind: c.FormValue("kind")}
	if !slices.Contains(plan.Kinds, st.Kind) {
		return fiber.NewError(fiber.StatusUnprocessableEntity, "error_plan_kind")
	}
	readStepForm(c, st)
	problems := plan.Clean(st, crs, p.Lang)
	if len(problems) == 0 {
		err = s.store.AddPlanStep(c.UserContext(), st)
		if errors.Is(err, store.ErrPlanFull) {
			problems = plan.Problems{"kind": "error_plan_full"}
		} else if err != nil {
			return err
		}
	}
	if len(problems) > 0 {
		d, err := s.planPage(c, p, true)
		if err != nil {
			return err
		}
		for i, f := range d.Adds {
			if f.Kind == st.Kind {
				d.Adds[i] = stepForm(crs, p, d.Dir, f.Action, f.ID, st)
				d.Adds[i].Open, d.Adds[i].Errors = true, localised(state(c).loc, problems)
			}
		}
		return s.renderPlan(c, fiber.StatusUnprocessableEntity, d)
	}
	s.flash(c, "flash_plan_step_added")
	return redirect(c, planPath(p.ID)+"#step-"+strconv.FormatInt(st.ID, 10))
}
