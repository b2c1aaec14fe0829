package web

import (
	"errors"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/live"
	"github.com/cairn-lms/cairn/app/store"
)

// chooseLivePlan sets the plan a session follows, from its start: one of the trainer's
// plans or a shared one for the cohort's course, the cohort's default, or a new copy of a
// module's shipped agenda in the cohort's language; or none. The plan the session already
// follows keeps its place. Ticked, "default" makes the choice the cohort's default plan;
// unticked, the chosen plan stops being it.
func (s *Server) chooseLivePlan(c *fiber.Ctx) error {
	m, err := s.liveMember(c)
	if err != nil {
		return err
	}
	if !m.Trainer {
		return fiber.ErrForbidden
	}
	ctx := c.UserContext()
	back := "/live/" + strconv.FormatInt(m.Session.ID, 10) + "#live-plan"
	var planID int64
	value := c.FormValue("plan")
	switch {
	case strings.HasPrefix(value, "agenda:"):
		p, err := s.planFromAgenda(c, m.Cohort.CourseID, strings.TrimPrefix(value, "agenda:"), m.Cohort.Lang)
		if err != nil {
			return err
		}
		planID = p.ID
	case strings.HasPrefix(value, "plan:"):
		id, err := strconv.ParseInt(strings.TrimPrefix(value, "plan:"), 10, 64)
		if err != nil {
			return fiber.NewError(fiber.StatusUnprocessableEntity, "error_plan_choice")
		}
		if ok, err := s.mayRunPlan(c, m, id); err != nil || !ok {
			if err == nil {
				err = fiber.NewError(fiber.StatusUnprocessableEntity, "error_plan_choice")
			}
			return err
		}
		planID = id
	case value != "":
		return fiber.NewError(fiber.StatusUnprocessableEntity, "error_plan_choice")
	}
	// The plan the session follows already keeps its place: the form then only changes
	// whether it is the cohort's default.
	current, err := s.store.SessionPlan(ctx, m.Session.ID)
	same := err == nil && current.PlanID == planID
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if !same {
		if err := s.store.SetSessionPlan(ctx, m.Session.ID, planID); err != nil {
			return err
		}
	}
	def, err := s.store.CohortPlan(ctx, m.Cohort.ID)
	if err != nil {
		return err
	}
	switch makeDefault := c.FormValue("default") != ""; {
	case makeDefault && def != planID:
		err = s.store.SetCohortPlan(ctx, m.Cohort.ID, planID)
	case !makeDefault && def == planID && def != 0:
		err = s.store.SetCohortPlan(ctx, m.Cohort.ID, 0)
	}
	if err != nil {
		return err
	}
	switch {
	case same:
		s.flash(c, "flash_plan_saved")
	case planID == 0:
		s.flash(c, "flash_plan_none")
	default:
		s.flash(c, "flash_plan_chosen")
	}
	return redirect(c, back)
}

// mayRunPlan tells whether a trainer of m's session may have it follow plan id: a plan for
// the cohort's course that they may read, or the one the cohort or session already follows.
func (s *Server) mayRunPlan(c *fiber.Ctx, m live.Member, id int64) (bool, error) {
	ctx := c.UserContext()
	p, err := s.store.Plan(ctx, id)
	if err != nil {
		return false, nil
	}
	if p.CourseID != m.Cohort.CourseID {
		return false, nil
	}
	if p.OwnerID == m.UserID || p.Shared {
		return true, nil
	}
	if def, err := s.store.CohortPlan(ctx, m.Cohort.ID); err != nil || def == id {
		return def == id, err
	}
	sp, err := s.store.SessionPlan(ctx, m.Session.ID)
	return err == nil && sp.PlanID == id, nil
}
