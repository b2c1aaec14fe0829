package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/auth"
)

func (s *Server) updateProfile(c *fiber.Ctx) error {
	ctx := c.UserContext()
	user := state(c).user
	name, err := auth.CleanDisplayName(c.FormValue("display_name"))
	if err != nil {
		return s.renderAccount(c, fiber.StatusUnprocessableEntity, accountData{DisplayName: c.FormValue("display_name"), Error: s.problem(c, err)})
	}
	if err := s.store.UpdateProfile(ctx, user.ID, name, user.Locale); err != nil {
		return err
	}
	s.flash(c, "flash_profile_saved")
	return redirect(c, "/account")
}
