package web

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/auth"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
)

// submitLoginTOTP completes sign-in with a code from the authenticator app, or with a
// recovery code when the phone is lost.
func (s *Server) submitLoginTOTP(c *fiber.Ctx) error {
	st := state(c)
	if st.session == nil || !st.session.MFAPending {
		return redirect(c, "/login")
	}
	user := st.session.User
	f := totpForm{Next: safeNext(c.FormValue("next")), Keep: keepFromForm(c.FormValue("remember"), c.FormValue("shared"))}
	ok, usedRecovery, err := s.checkSecondFactor(c, user, c.FormValue("code"))
	if err != nil {
		return err
	}
	if !ok {
		f.Error = st.loc.T("error_totp_invalid")
		return s.render(c, fiber.StatusUnauthorized, "login_totp", "login_totp_title", f)
	}
	if err := s.startSession(c, user, false, f.Keep); err != nil {
		return err
	}
	if f.Keep == keepSharedDevice {
		s.flash(c, "flash_signed_in_shared_device")
	}
	s.noteRetention(c, user)
	if usedRecovery {
		s.flash(c, "flash_recovery_code_used")
	}
	return redirect(c, f.Next)
}

// checkSecondFactor accepts a current TOTP code (each time step once) or an unused
// recovery code, which is spent.
func (s *Server) checkSecondFactor(c *fiber.Ctx, user *model.User, code string) (ok, usedRecovery bool, err error) {
	ctx := c.UserContext()
	secret, err := s.totpSecret(user, false)
	if err != nil {
		return false, false, err
	}
	if step, match := auth.MatchTOTP(secret, code, s.now()); match {
		claimed, err := s.store.ClaimTOTPStep(ctx, user.ID, step)
		return claimed, false, err
	}
	if len(auth.NormalizeCode(code)) != 16 {
		return false, false, nil
	}
	switch err := s.store.UseRecoveryCode(ctx, user.ID, auth.HashCode(code)); {
	case errors.Is(err, store.ErrCodeInvalid):
		return false, false, nil
	case err != nil:
		return false, false, err
	}
	return true, true, nil
}
