package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/store"
)

// removeLogo removes the instance's logo: the header shows the name again.
func (s *Server) removeLogo(c *fiber.Ctx) error {
	if err := s.store.DeleteLogo(c.UserContext()); err != nil {
		return err
	}
	s.instanceSettingsChanged()
	s.audit(c, store.AuditSettingInstance, store.NoTarget, store.AuditDetail("what", "logo_removed"))
	s.log.Info("instance logo removed", "by_user_id", state(c).user.ID)
	s.flash(c, "flash_logo_removed")
	return redirect(c, "/admin#logo")
}
