package web

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/live"
	"github.com/cairn-lms/cairn/app/plan"
	"github.com/cairn-lms/cairn/app/store"
)

// nextLivePlanStep performs the next step of the session's plan: shows its lesson or
// section, opens its poll or quiz question, or shows its prompt or break, through the same
// rules as the console's own controls. The form says which step it was shown at ("from"),
// so a form sent twice, or by two trainers at once, performs the step once. With "skip" the
// plan moves on without performing the step. Nothing here stops the trainer doing anything
// else in between: the plan only remembers where it stands. The presenter view's button
// sends the same form with back=present, and is answered there.
func (s *Server) nextLivePlanStep(c *fiber.Ctx) error {
	m, err := s.liveMember(c)
	if err != nil {
		return err
	}
	if !m.Trainer {
		return fiber.ErrForbidden
	}
	ctx := c.UserContext()
	back := presentBack(c, m) // the presenter view's own "Next step"
	if back == "" {
		back = "/live/" + strconv.FormatInt(m.Session.ID, 10) + "#live-plan"
	}
	sp, err := s.store.SessionPlan(ctx, m.Session.ID)
	if errors.Is(err, store.ErrNotFound) {
		s.flash(c, "flash_plan_none")
		return redirect(c, back)
	}
	if err != nil {
		return err
	}
	steps, err := s.store.PlanSteps(ctx, sp.PlanID)
	if err != nil {
		return err
	}
	from, err := strconv.Atoi(c.FormValue("from"))
	if err != nil || from != sp.Position {
		s.flash(c, "flash_plan_moved")
		return redirect(c, back)
	}
	to := from + 1
	if to >= len(steps) {
		s.flash(c, "flash_plan_done")
		return redirect(c, back)
	}
	if m.Session.EndedAt != nil {
		s.flash(c, "flash_live_session_ended")
		return redirect(c, back)
	}
	prev, err := s.store.AdvanceSessionPlan(ctx, m.Session.ID, from, to)
	if errors.Is(err, store.ErrPlanMoved) || errors.Is(err, store.ErrNotFound) {
		s.flash(c, "flash_plan_moved")
		return redirect(c, back)
	}
	if err != nil {
		return err
	}
	if c.FormValue("skip") != "" {
		s.flash(c, "flash_plan_skipped")
		return redirect(c, back)
	}
	if err := s.live.Handle(ctx, m, plan.Inbound(&steps[to])); err != nil {
		// The step did not happen: the plan stays where it was, and the trainer is told why
		// (a question removed from the course, the session ended…).
		if rerr := s.store.RewindSessionPlan(ctx, prev, to); rerr != nil {
			return rerr
		}
		var ce *live.ClientError
		if !errors.As(err, &ce) {
			return err
		}
		s.flash(c, "flash_live_"+ce.Code)
		return redirect(c, back)
	}
	s.flash(c, "flash_plan_next")
	return redirect(c, back)
}
