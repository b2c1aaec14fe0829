package web

import (
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/freetext"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/plan"
	"github.com/cairn-lms/cairn/app/store"
)

// createPlan starts an empty plan for a course.
func (s *Server) createPlan(c *fiber.Ctx) error {
	loc := state(c).loc
	d := s.newPlanData(c)
	d.CourseID, d.Lang, d.Title, d.Shared = c.FormValue("course"), c.FormValue("lang"), freetext.Clean(c.FormValue("title")), c.FormValue("shared") != ""
	if s.catalog().Course(d.CourseID) == nil {
		d.Errors["course"] = loc.T("error_cohort_course")
	}
	if _, ok := s.locales.Lookup(d.Lang); !ok {
		d.Errors["lang"] = loc.T("error_cohort_lang")
	}
	if n := utf8.RuneCountInString(d.Title); n < 1 || n > plan.MaxPlanTitle {
		d.Errors["title"] = loc.T("error_plan_name")
	}
	if len(d.Errors) > 0 {
		return s.render(c, fiber.StatusUnprocessableEntity, "plan_new", "plan_new_title", d)
	}
	p := &model.SessionPlan{OwnerID: state(c).user.ID, CourseID: d.CourseID, Lang: d.Lang, Title: d.Title, Shared: d.Shared}
	if err := s.store.CreatePlan(c.UserContext(), p, nil); err != nil {
		return err
	}
	s.audit(c, store.AuditPlanCreate, store.ThingTarget(model.TargetPlan, p.ID, ""), store.AuditDetail("course", p.CourseID))
	s.flash(c, "flash_plan_created")
	return redirect(c, planPath(p.ID))
}
