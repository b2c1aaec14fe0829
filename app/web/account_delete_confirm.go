package web

import "github.com/gofiber/fiber/v2"

// confirmDeleteAccount says what deleting the account removes and what stays, or what
// stops it, and asks for the password.
func (s *Server) confirmDeleteAccount(c *fiber.Ctx) error {
	d := s.ownDataPage(c, "/account/delete")
	if err := s.deletionBlockers(c.UserContext(), d); err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "user_delete", "account_delete_title", d)
}
