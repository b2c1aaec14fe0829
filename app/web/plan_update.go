package web

import (
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/freetext"
	"github.com/cairn-lms/cairn/app/plan"
)

// updatePlan renames a plan and shares it with the instance's trainers, or stops sharing.
func (s *Server) updatePlan(c *fiber.Ctx) error {
	p, err := s.planAsOwner(c)
	if err != nil {
		return err
	}
	title := freetext.Clean(c.FormValue("title"))
	shared := c.FormValue("shared") != ""
	if n := utf8.RuneCountInString(title); n < 1 || n > plan.MaxPlanTitle {
		d, err := s.planPage(c, p, true)
		if err != nil {
			return err
		}
		d.Title, d.Shared, d.TitleError = title, shared, state(c).loc.T("error_plan_name")
		return s.renderPlan(c, fiber.StatusUnprocessableEntity, d)
	}
	p.Title, p.Shared = title, shared
	if err := s.store.UpdatePlan(c.UserContext(), p); err != nil {
		return err
	}
	s.flash(c, "flash_plan_saved")
	return redirect(c, planPath(p.ID))
}
