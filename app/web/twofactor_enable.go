package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/auth"
)

// enableTwoFactor confirms the authenticator works (a valid code) and that the account owner
// is present (the password), then turns two-factor on and rotates the session.
func (s *Server) enableTwoFactor(c *fiber.Ctx) error {
	ctx := c.UserContext()
	st := state(c)
	user := st.user
	if user.TOTPEnabled() || user.TOTPPendingSecret == "" {
		return redirect(c, "/account/2fa")
	}
	ok, _, err := s.hasher.Verify(ctx, c.FormValue("current_password"), user.PasswordHash)
	if err != nil {
		return err
	}
	d := s.twoFactorData(c)
	if !ok {
		d.Error = st.loc.T("error_current_password")
		return s.render(c, fiber.StatusUnauthorized, "twofactor", "twofactor_title", d)
	}
	secret, err := s.totpSecret(user, true)
	if err != nil {
		return err
	}
	step, match := auth.MatchTOTP(secret, c.FormValue("code"), s.now())
	if !match {
		d.Error = st.loc.T("error_totp_invalid")
		return s.render(c, fiber.StatusUnprocessableEntity, "twofactor", "twofactor_title", d)
	}
	if err := s.store.EnableTOTP(ctx, user.ID, step); err != nil {
		return err
	}
	if err := s.startSession(c, user, false, rotatedKeep(state(c).session)); err != nil {
		return err
	}
	s.log.Info("two-factor enabled", "user_id", user.ID)
	s.flash(c, "flash_totp_enabled")
	return redirect(c, "/account/2fa")
}
