package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
)

// deletePlan deletes a plan once its owner has confirmed; sessions and cohorts that
// followed it go on without one. Without the confirmation it asks for it.
func (s *Server) deletePlan(c *fiber.Ctx) error {
	p, err := s.planAsOwner(c)
	if err != nil {
		return err
	}
	if c.FormValue("confirm") != "yes" {
		return redirect(c, planPath(p.ID)+"/delete")
	}
	if err := s.store.DeletePlan(c.UserContext(), p.ID); err != nil {
		return err
	}
	s.audit(c, store.AuditPlanDelete, store.ThingTarget(model.TargetPlan, p.ID, ""), store.AuditDetail("course", p.CourseID))
	s.flash(c, "flash_plan_deleted")
	return redirect(c, "/plans")
}
