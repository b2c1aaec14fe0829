package web

import "github.com/gofiber/fiber/v2"

// showAccountExport says what the download holds and asks for the password.
func (s *Server) showAccountExport(c *fiber.Ctx) error {
	return s.render(c, fiber.StatusOK, "user_export", "account_export_title", s.ownDataPage(c, "/account/export"))
}

// ownDataPage is the export or deletion page for the person signed in.
func (s *Server) ownDataPage(c *fiber.Ctx, action string) *userDataPage {
	return &userDataPage{Target: state(c).user, Action: action, Back: "/account"}
}
