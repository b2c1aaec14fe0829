package web

import (
	"strconv"

	"github.com/gofiber/fiber/v2"
)

// movePlanStep moves a step one place up or down the plan.
func (s *Server) movePlanStep(c *fiber.Ctx) error {
	p, st, err := s.planStepOf(c)
	if err != nil {
		return err
	}
	delta := 0
	switch c.FormValue("dir") {
	case "up":
		delta = -1
	case "down":
		delta = 1
	}
	if delta != 0 {
		if err := s.store.MovePlanStep(c.UserContext(), p.ID, st.ID, delta); err != nil {
			return err
		}
	}
	return redirect(c, planPath(p.ID)+"#step-"+strconv.FormatInt(st.ID, 10))
}
