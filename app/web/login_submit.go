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
		Remember: c.FormValue("remember") != "",
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
	if rehash {
		if newHash, err := s.hasher.Hash(ctx, password); err == nil {
			if err := s.store.UpdatePasswordHash(ctx, user.ID, newHash); err != nil {
				s.log.Warn("upgrade password hash", "user_id", user.ID, "err", err)
			}
		}
	}
	if user.TOTPEnabled() {
		if err := s.startSession(c, user, true, f.Remember); err != nil {
			return err
		}
		to := "/login/totp" + nextQuery(f.Next)
		if f.Remember {
			to += "&remember=1"
		}
		return redirect(c, to)
	}
	if err := s.startSession(c, user, false, f.Remember); err != nil {
		return err
	}
	s.noteRetention(c, user)
	return redirect(c, f.Next)
}
