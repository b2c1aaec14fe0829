package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/auth"
)

// recoverForm resets a forgotten password with a recovery code: the way back in without email.
type recoverForm struct {
	Username    string
	Errors      map[string]string
	MinPassword int
}

func (s *Server) showRecover(c *fiber.Ctx) error {
	return s.render(c, fiber.StatusOK, "recover", "recover_title", recoverForm{MinPassword: auth.PasswordMinLen})
}
