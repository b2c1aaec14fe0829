package web

import "github.com/gofiber/fiber/v2"

type homeData struct {
	Registration string
	Intake       bool // the courses have a risk intake: offer a personal plan
}

func (s *Server) showHome(c *fiber.Ctx) error {
	mode, err := s.registrationMode(c)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "home", "home_title", homeData{Registration: mode, Intake: s.intake.Load() != nil})
}
