package web

import "github.com/gofiber/fiber/v2"

type homeData struct {
	Registration string
}

func (s *Server) showHome(c *fiber.Ctx) error {
	mode, err := s.registrationMode(c)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "home", "home_title", homeData{Registration: mode})
}
