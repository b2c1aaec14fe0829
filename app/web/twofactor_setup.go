package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/auth"
)

// setupTwoFactor draws a new secret; it becomes active only once a code from it is confirmed.
func (s *Server) setupTwoFactor(c *fiber.Ctx) error {
	user := state(c).user
	if user.TOTPEnabled() {
		return redirect(c, "/account/2fa")
	}
	secret, err := auth.NewTOTPSecret(s.issuer, user.Username)
	if err != nil {
		return err
	}
	sealed, err := s.secrets.Seal(secret, totpContext(user.ID))
	if err != nil {
		return err
	}
	if err := s.store.SetPendingTOTP(c.UserContext(), user.ID, sealed); err != nil {
		return err
	}
	return redirect(c, "/account/2fa")
}
