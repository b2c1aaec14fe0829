package web

import (
	"strconv"

	"github.com/gofiber/fiber/v2"
)

// showUserExport: an administrator downloads an account's data (for a person who cannot
// sign in, or asks for it through the people who run the site).
func (s *Server) showUserExport(c *fiber.Ctx) error {
	d, err := s.adminDataPage(c, "export")
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "user_export", "admin_user_export_title", d)
}

// adminDataPage loads the account in the URL for an administrator's export or deletion.
func (s *Server) adminDataPage(c *fiber.Ctx, action string) (*userDataPage, error) {
	id, err := c.ParamsInt("id")
	if err != nil {
		return nil, fiber.ErrNotFound
	}
	u, err := s.store.UserByID(c.UserContext(), int64(id))
	if err != nil {
		return nil, err
	}
	return &userDataPage{Target: u, Admin: true, Action: "/admin/users/" + strconv.FormatInt(u.ID, 10) + "/" + action, Back: "/admin/users"}, nil
}
