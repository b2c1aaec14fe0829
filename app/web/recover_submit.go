package web

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/auth"
	"github.com/cairn-lms/cairn/app/store"
)

// submitRecover spends a recovery code to set a new password and signs every session out.
// Two-factor stays on: signing in afterwards still asks for a code (or another recovery code).
func (s *Server) submitRecover(c *fiber.Ctx) error {
	ctx := c.UserContext()
	loc := state(c).loc
	f := recoverForm{Username: c.FormValue("username"), Errors: map[string]string{}, MinPassword: auth.PasswordMinLen}
	key := auth.UsernameKey(f.Username)
	password := c.FormValue("password")
	if err := auth.CheckPassword(password, key); err != nil {
		f.Errors["password"] = s.problem(c, err)
	} else if password != c.FormValue("password_confirm") {
		f.Errors["password_confirm"] = loc.T("error_password_mismatch")
	}
	if len(f.Errors) > 0 {
		return s.render(c, fiber.StatusUnprocessableEntity, "recover", "recover_title", f)
	}
	invalid := func() error {
		f.Errors["code"] = loc.T("error_recovery_failed")
		return s.render(c, fiber.StatusUnauthorized, "recover", "recover_title", f)
	}
	// An unknown username does the same work as a known one (a full hash, the same
	// transaction, which finds no code for nobody), so the time taken does not tell
	// whether the account exists.
	var userID int64
	switch user, err := s.store.UserByUsernameKey(ctx, key); {
	case err == nil:
		userID = user.ID
	case !errors.Is(err, store.ErrNotFound):
		return err
	}
	hash, err := s.hasher.Hash(ctx, password)
	if err != nil {
		return err
	}
	switch err := s.store.ResetPasswordWithRecoveryCode(ctx, userID, auth.HashCode(c.FormValue("code")), hash); {
	case errors.Is(err, store.ErrCodeInvalid):
		return invalid()
	case err != nil:
		return err
	case userID == 0:
		return invalid() // cannot happen: no code belongs to nobody
	}
	s.log.Info("password reset with a recovery code", "user_id", userID)
	s.clearCookie(c, sessionName)
	s.flash(c, "flash_password_reset")
	return redirect(c, "/login")
}
