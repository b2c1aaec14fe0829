package web

import (
	"github.com/gofiber/fiber/v2"
)

// saveIntakePlan keeps a signed-in learner's answers, replacing any saved before: the one
// way answers are ever stored, and only on the learner's request.
func (s *Server) saveIntakePlan(c *fiber.Ctx) error {
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
	if err := s.store.SaveIntakePlan(c.UserContext(), state(c).user.ID, in.Version, answers.Encode()); err != nil {
		return err
	}
	s.flash(c, "flash_intake_saved")
	return redirect(c, "/my-plan/saved")
}
