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
		left, cerr := s.store.CountUnusedRecoveryCodes(ctx, user.ID)
		if cerr != nil {
			return cerr
		}
		d, rerr := s.withRetention(c, accountData{RecoveryCodesLeft: left, DisplayName: c.FormValue("display_name"), Error: s.problem(c, err)})
		if rerr != nil {
			return rerr
		}
		return s.render(c, fiber.StatusUnprocessableEntity, "account", "account_title", d)
	}
	if err := s.store.UpdateProfile(ctx, user.ID, name, user.Locale); err != nil {
		return err
	}
	s.flash(c, "flash_profile_saved")
	return redirect(c, "/account")
}
