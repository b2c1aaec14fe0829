package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/auth"
)

type passwordForm struct {
	Errors      map[string]string
	MinPassword int
}

func (s *Server) showPassword(c *fiber.Ctx) error {
	return s.render(c, fiber.StatusOK, "password", "password_title", passwordForm{MinPassword: auth.PasswordMinLen})
}
