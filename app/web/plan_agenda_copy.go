package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/plan"
	"github.com/cairn-lms/cairn/app/store"
)

// copyAgenda makes a plan of a module's shipped agenda ("Use this module's agenda"), in the
// language asked for or, when the notes are not written in it, the course's default.
func (s *Server) copyAgenda(c *fiber.Ctx) error {
	p, err := s.planFromAgenda(c, c.FormValue("course"), c.FormValue("module"), c.FormValue("lang"))
	if err != nil {
		return err
	}
	s.audit(c, store.AuditPlanCreate, store.ThingTarget(model.TargetPlan, p.ID, ""), store.AuditDetail("course", p.CourseID))
	s.flash(c, "flash_plan_created")
	return redirect(c, planPath(p.ID))
}

// planFromAgenda stores a new plan of the signed-in trainer from a module's agenda.
func (s *Server) planFromAgenda(c *fiber.Ctx, courseID, moduleID, lang string) (*model.SessionPlan, error) {
	crs := s.catalog().Course(courseID)
	if crs == nil {
		return nil, fiber.NewError(fiber.StatusUnprocessableEntity, "error_plan_agenda")
	}
	mod := crs.Module(moduleID)
	if mod == nil {
		return nil, fiber.NewError(fiber.StatusUnprocessableEntity, "error_plan_agenda")
	}
	title, textLang, steps, _ := plan.FromAgenda(mod, lang)
	if steps == nil {
		return nil, fiber.NewError(fiber.StatusUnprocessableEntity, "error_plan_agenda")
	}
	p := &model.SessionPlan{OwnerID: state(c).user.ID, CourseID: crs.ID, Lang: textLang, Title: title, SourceModule: mod.ID}
	return p, s.store.CreatePlan(c.UserContext(), p, steps)
}
