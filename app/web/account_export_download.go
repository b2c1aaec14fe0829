package web

import "github.com/gofiber/fiber/v2"

// downloadAccountData sends the person their data once they have typed their password.
func (s *Server) downloadAccountData(c *fiber.Ctx) error {
	d := s.ownDataPage(c, "/account/export")
	if ok, err := s.passwordConfirmed(c, "user_export", "account_export_title", d); !ok || err != nil {
		return err
	}
	return s.sendUserData(c, d.Target.ID, "cairn-my-data")
}
