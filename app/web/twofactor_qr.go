package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/auth"
)

// twoFactorQRCode serves the pending secret as a PNG drawn on the server.
func (s *Server) twoFactorQRCode(c *fiber.Ctx) error {
	user := state(c).user
	if user.TOTPEnabled() || user.TOTPPendingSecret == "" {
		return fiber.ErrNotFound
	}
	secret, err := s.totpSecret(user, true)
	if err != nil {
		return err
	}
	png, err := auth.TOTPQRCode(secret, s.issuer, user.Username, 256)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderContentType, "image/png")
	return c.Send(png)
}
