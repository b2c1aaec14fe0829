package web

import (
	"github.com/gofiber/fiber/v2"
)

// disableTwoFactor needs the password and a current code (or a recovery code).
func (s *Server) disableTwoFactor(c *fiber.Ctx) error {
	ctx := c.UserContext()
	st := state(c)
	user := st.user
	if !user.TOTPEnabled() {
		return redirect(c, "/account/2fa")
	}
	d := s.twoFactorData(c)
	ok, _, err := s.hasher.Verify(ctx, c.FormValue("current_password"), user.PasswordHash)
	if err != nil {
		return err
	}
	if !ok {
		d.Error = st.loc.T("error_current_password")
		return s.render(c, fiber.StatusUnauthorized, "twofactor", "twofactor_title", d)
	}
	ok, _, err = s.checkSecondFactor(c, user, c.FormValue("code"))
	if err != nil {
		return err
	}
	if !ok {
		// Counted by limitReauth like a wrong password: someone holding a signed-in browser
		// and the password must not try every code.
		d.Error = st.loc.T("error_totp_invalid")
		return s.render(c, fiber.StatusUnauthorized, "twofactor", "twofactor_title", d)
	}
	if err := s.store.DisableTOTP(ctx, user.ID); err != nil {
		return err
	}
	if err := s.startSession(c, user, false, rotatedKeep(state(c).session)); err != nil {
		return err
	}
	s.log.Info("two-factor disabled", "user_id", user.ID)
	s.flash(c, "flash_totp_disabled")
	return redirect(c, "/account/2fa")
}
