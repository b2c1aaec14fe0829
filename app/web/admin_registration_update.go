package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/adminsetting"
	"github.com/cairn-lms/cairn/app/store"
)

func (s *Server) updateRegistration(c *fiber.Ctx) error {
	mode := c.FormValue("registration")
	if !adminsetting.ValidRegistration(mode) {
		return fiber.NewError(fiber.StatusBadRequest, "error_registration_mode")
	}
	if err := s.store.SetSetting(c.UserContext(), store.SettingRegistration, mode); err != nil {
		return err
	}
	s.audit(c, store.AuditSettingRegister, store.NoTarget, store.AuditDetail("mode", mode))
	s.log.Info("registration mode changed", "mode", mode, "by_user_id", state(c).user.ID)
	s.flash(c, "flash_settings_saved")
	return redirect(c, "/admin")
}
