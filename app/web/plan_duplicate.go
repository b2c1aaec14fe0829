package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/plan"
	"github.com/cairn-lms/cairn/app/store"
)

// duplicatePlan copies a plan (the trainer's own, or one shared with them) into a new plan
// of theirs, unshared, to change for another group.
func (s *Server) duplicatePlan(c *fiber.Ctx) error {
	p, _, err := s.planAccess(c)
	if err != nil {
		return err
	}
	title := []rune(state(c).loc.T("plan_copy_of", "Title", p.Title))
	if len(title) > plan.MaxPlanTitle {
		title = title[:plan.MaxPlanTitle]
	}
	cp, err := s.store.DuplicatePlan(c.UserContext(), p.ID, state(c).user.ID, string(title))
	if err != nil {
		return err
	}
	s.audit(c, store.AuditPlanCreate, store.ThingTarget(model.TargetPlan, cp.ID, ""), store.AuditDetail("course", cp.CourseID, "from_plan", p.ID))
	s.flash(c, "flash_plan_copied")
	return redirect(c, planPath(cp.ID))
}
