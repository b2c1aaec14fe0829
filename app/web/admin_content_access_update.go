package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/adminsetting"
	"github.com/cairn-lms/cairn/app/store"
)

// updateContentAccess chooses whether reading courses needs an account.
func (s *Server) updateContentAccess(c *fiber.Ctx) error {
	mode := c.FormValue("content_access")
	if !adminsetting.ValidContentAccess(mode) {
		return fiber.NewError(fiber.StatusBadRequest, "error_content_access_mode")
	}
	if err := s.store.SetSetting(c.UserContext(), settingContentAccess, mode); err != nil {
		return err
	}
	s.audit(c, store.AuditSettingContent, store.NoTarget, store.AuditDetail("mode", mode))
	s.log.Info("content access changed", "mode", mode, "by_user_id", state(c).user.ID)
	s.flash(c, "flash_settings_saved")
	return redirect(c, "/admin")
}
