package web

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/intake"
	"github.com/cairn-lms/cairn/app/store"
)

// showSavedIntakePlan is the learner's saved plan, made again from their answers and the
// current rules, with what they have done. Without a saved plan it leads to the questions.
func (s *Server) showSavedIntakePlan(c *fiber.Ctx) error {
	noStore(c)
	in, err := s.currentIntake()
	if err != nil {
		return err
	}
	saved, err := s.store.IntakePlan(c.UserContext(), state(c).user.ID)
	if errors.Is(err, store.ErrNotFound) {
		return redirect(c, "/my-plan")
	}
	if err != nil {
		return err
	}
	answers, err := intake.DecodeAnswers(saved.Answers)
	if err != nil {
		return err
	}
	data, err := s.planView(c, in, answers)
	if err != nil {
		return err
	}
	data.Saved, data.SavedOn, data.Outdated = true, saved.SavedOn, saved.Version != in.Version
	return s.render(c, fiber.StatusOK, "intake_plan", "intake_plan_title", data)
}
