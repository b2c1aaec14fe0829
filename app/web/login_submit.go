package web

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/auth"
	"github.com/cairn-lms/cairn/app/store"
)

// submitLogin checks the password; with two-factor on, it opens a short pending session that
// only allows the code step.
func (s *Server) submitLogin(c *fiber.Ctx) error {
	ctx := c.UserContext()
	f := loginForm{
		Username: c.FormValue("username"),
		Next:     safeNext(c.FormValue("next")),
		Keep:     keepFromForm(c.FormValue("remember"), c.FormValue("shared")),
	}
	password := c.FormValue("password")
	user, err := s.store.UserByUsernameKey(ctx, auth.UsernameKey(f.Username))
	hash := ""
	switch {
	case err == nil:
		hash = user.PasswordHash
	case !errors.Is(err, store.ErrNotFound):
		return err
	}
	ok, rehash, err := s.hasher.Verify(ctx, password, hash)
	if err != nil {
		return err
	}
	if !ok {
		f.Error = state(c).loc.T("error_login_failed")
		return s.render(c, fiber.StatusUnauthorized, "login", "login_title", f)
	}
	if user.Disabled() {
		// Said only to someone who knows the password: to anyone else a disabled account
		// is as unknown as any other failed sign-in. Neither a failure nor a success for
		// the rate limit (403).
		f.Error = state(c).loc.T("error_account_disabled")
		return s.render(c, fiber.StatusForbidden, "login", "login_title", f)
	}
	if rehash {
		if newHash, err := s.hasher.Hash(ctx, password); err == nil {
			if err := s.store.UpdatePasswordHash(ctx, user.ID, newHash); err != nil {
				s.log.Warn("upgrade password hash", "user_id", user.ID, "err", err)
			}
		}
	}
	if user.TOTPEnabled() {
		if err := s.startSession(c, user, true, f.Keep); err != nil {
			return err
		}
		return redirect(c, "/login/totp"+nextQuery(f.Next)+f.Keep.query())
	}
	if err := s.startSession(c, user, false, f.Keep); err != nil {
		return err
	}
	if f.Keep == keepSharedDevice {
		s.flash(c, "flash_signed_in_shared_device")
	}
	s.noteRetention(c, user)
	return redirect(c, f.Next)
}
