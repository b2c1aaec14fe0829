package web

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/auth"
	"github.com/cairn-lms/cairn/app/store"
)

func (s *Server) submitReset(c *fiber.Ctx) error {
	ctx := c.UserContext()
	loc := state(c).loc
	f := resetForm{Token: c.FormValue("token"), Errors: map[string]string{}, MinPassword: auth.PasswordMinLen}
	tokenHash := auth.HashToken(f.Token)
	user, err := s.store.PasswordResetUser(ctx, tokenHash)
	if errors.Is(err, store.ErrNotFound) {
		f.Invalid = true
		return s.render(c, fiber.StatusNotFound, "reset", "reset_title", f)
	}
	if err != nil {
		return err
	}
	f.Username = user.Username
	password := c.FormValue("password")
	if err := auth.CheckPassword(password, user.UsernameKey); err != nil {
		f.Errors["password"] = s.problem(c, err)
	} else if password != c.FormValue("password_confirm") {
		f.Errors["password_confirm"] = loc.T("error_password_mismatch")
	}
	if len(f.Errors) > 0 {
		return s.render(c, fiber.StatusUnprocessableEntity, "reset", "reset_title", f)
	}
	hash, err := s.hasher.Hash(ctx, password)
	if err != nil {
		return err
	}
	switch _, err := s.store.ResetPasswordWithToken(ctx, tokenHash, hash); {
	case errors.Is(err, store.ErrCodeInvalid):
		f.Invalid = true
		return s.render(c, fiber.StatusNotFound, "reset", "reset_title", f)
	case err != nil:
		return err
	}
	s.log.Info("password reset with an admin link", "user_id", user.ID)
	s.clearCookie(c, sessionName)
	s.flash(c, "flash_password_reset")
	return redirect(c, "/login")
}
