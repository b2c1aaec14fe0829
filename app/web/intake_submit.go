package web

import (
	"github.com/gofiber/fiber/v2"
)

// submitIntake answers the form with the plan its rules make, on the same request: the
// answers are in this POST body and nowhere else. "Change my answers" on the plan posts them
// back with edit=1, to show the form again with them chosen. An answer the intake does not
// have (the questions changed while the form was open) shows the form again with the rest.
func (s *Server) submitIntake(c *fiber.Ctx) error {
	noStore(c)
	in, err := s.currentIntake()
	if err != nil {
		return err
	}
	answers, bad := readIntakeForm(c, in)
	if len(bad) > 0 {
		return s.render(c, fiber.StatusUnprocessableEntity, "intake", "intake_title", intakeFormData{
			Questions: intakeFormView(in, lang(c), answers, bad), Error: state(c).loc.T("intake_error_unknown_answer"),
		})
	}
	if string(c.Request().PostArgs().Peek("edit")) == "1" {
		return s.render(c, fiber.StatusOK, "intake", "intake_title", intakeFormData{Questions: intakeFormView(in, lang(c), answers, nil)})
	}
	data, err := s.planView(c, in, answers)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "intake_plan", "intake_plan_title", data)
}
