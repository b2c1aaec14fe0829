package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/auth"
)

type twoFactorData struct {
	Enabled bool
	Pending bool
	Secret  string // grouped for typing, shown beside the QR code
	Error   string
}

func (s *Server) twoFactorData(c *fiber.Ctx) twoFactorData {
	u := state(c).user
	d := twoFactorData{Enabled: u.TOTPEnabled(), Pending: !u.TOTPEnabled() && u.TOTPPendingSecret != ""}
	if d.Pending {
		// The start-up check made sure the key opens it.
		if secret, err := s.totpSecret(u, true); err == nil {
			d.Secret = auth.FormatSecret(secret)
		}
	}
	return d
}

func (s *Server) showTwoFactor(c *fiber.Ctx) error {
	return s.render(c, fiber.StatusOK, "twofactor", "twofactor_title", s.twoFactorData(c))
}
