package web

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/intake"
	"github.com/cairn-lms/cairn/app/store"
)

// showIntake is the risk intake's questions as one form. A signed-in learner who saved a
// plan finds their answers chosen, to change them.
func (s *Server) showIntake(c *fiber.Ctx) error {
	noStore(c)
	in, err := s.currentIntake()
	if err != nil {
		return err
	}
	data := intakeFormData{}
	answers := intake.Answers{}
	if u := state(c).user; u != nil {
		saved, err := s.store.IntakePlan(c.UserContext(), u.ID)
		switch {
		case err == nil:
			data.HasSaved = true
			if a, err := intake.DecodeAnswers(saved.Answers); err == nil {
				answers = in.Known(a)
			}
		case !errors.Is(err, store.ErrNotFound):
			return err
		}
	}
	data.Questions = intakeFormView(in, lang(c), answers, nil)
	return s.render(c, fiber.StatusOK, "intake", "intake_title", data)
}
