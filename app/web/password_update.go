package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/auth"
)

// updatePassword changes the password, signs out every other session and rotates this one.
func (s *Server) updatePassword(c *fiber.Ctx) error {
	ctx := c.UserContext()
	st := state(c)
	user := st.user
	f := passwordForm{Errors: map[string]string{}, MinPassword: auth.PasswordMinLen}
	ok, _, err := s.hasher.Verify(ctx, c.FormValue("current_password"), user.PasswordHash)
	if err != nil {
		return err
	}
	if !ok {
		f.Errors["current_password"] = st.loc.T("error_current_password")
	}
	password := c.FormValue("password")
	if err := auth.CheckPassword(password, user.UsernameKey); err != nil {
		f.Errors["password"] = s.problem(c, err)
	} else if password != c.FormValue("password_confirm") {
		f.Errors["password_confirm"] = st.loc.T("error_password_mismatch")
	}
	if !ok {
		// 401, which limitReauth counts as a failed sign-in: a browser left signed in is no
		// way to guess the password.
		return s.render(c, fiber.StatusUnauthorized, "password", "password_title", f)
	}
	if len(f.Errors) > 0 {
		return s.render(c, fiber.StatusUnprocessableEntity, "password", "password_title", f)
	}
	hash, err := s.hasher.Hash(ctx, password)
	if err != nil {
		return err
	}
	if err := s.store.SetPassword(ctx, user.ID, hash, st.session.ID); err != nil {
		return err
	}
	if err := s.startSession(c, user, false, rotatedKeep(state(c).session)); err != nil {
		return err
	}
	s.log.Info("password changed", "user_id", user.ID)
	s.flash(c, "flash_password_changed")
	return redirect(c, "/account")
}
