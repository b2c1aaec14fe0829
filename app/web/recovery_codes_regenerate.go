package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/auth"
)

// regenerateRecoveryCodes replaces every code with a new set, after the password is confirmed.
func (s *Server) regenerateRecoveryCodes(c *fiber.Ctx) error {
	ctx := c.UserContext()
	st := state(c)
	ok, _, err := s.hasher.Verify(ctx, c.FormValue("current_password"), st.user.PasswordHash)
	if err != nil {
		return err
	}
	if !ok {
		left, err := s.store.CountUnusedRecoveryCodes(ctx, st.user.ID)
		if err != nil {
			return err
		}
		return s.render(c, fiber.StatusUnauthorized, "recovery_codes", "recovery_codes_title",
			recoveryStatus{Left: left, Error: st.loc.T("error_current_password")})
	}
	codes, hashes := auth.NewRecoveryCodes()
	if err := s.store.ReplaceRecoveryCodes(ctx, st.user.ID, hashes); err != nil {
		return err
	}
	s.log.Info("recovery codes regenerated", "user_id", st.user.ID)
	return s.render(c, fiber.StatusOK, "recovery_codes_new", "recovery_codes_title", recoveryCodesData{Codes: codes, Next: "/account"})
}
