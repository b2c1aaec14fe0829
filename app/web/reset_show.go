package web

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/auth"
	"github.com/cairn-lms/cairn/app/store"
)

// resetForm sets a new password from a one-time link an admin issued.
type resetForm struct {
	Token       string
	Username    string
	Invalid     bool
	Errors      map[string]string
	MinPassword int
}

func (s *Server) showReset(c *fiber.Ctx) error {
	f := resetForm{Token: c.Query("token"), MinPassword: auth.PasswordMinLen}
	user, err := s.store.PasswordResetUser(c.UserContext(), auth.HashToken(f.Token))
	if errors.Is(err, store.ErrNotFound) {
		f.Invalid = true
		return s.render(c, fiber.StatusNotFound, "reset", "reset_title", f)
	}
	if err != nil {
		return err
	}
	f.Username = user.Username
	return s.render(c, fiber.StatusOK, "reset", "reset_title", f)
}
