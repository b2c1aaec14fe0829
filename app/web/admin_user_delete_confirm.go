package web

import "github.com/gofiber/fiber/v2"

// confirmDeleteUser shows an administrator what deleting an account removes and what stays,
// or what stops it (the last administrator, a cohort's only trainer).
func (s *Server) confirmDeleteUser(c *fiber.Ctx) error {
	d, err := s.adminDataPage(c, "delete")
	if err != nil {
		return err
	}
	if err := s.deletionBlockers(c.UserContext(), d); err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "user_delete", "admin_user_delete_title", d)
}
