package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/store"
)

// updateQuickExit stores the neutral site quick exit leads to.
func (s *Server) updateQuickExit(c *fiber.Ctx) error {
	st := state(c)
	to := strings.TrimSpace(c.FormValue("url"))
	if !validQuickExitURL(to) {
		d, err := s.adminData(c)
		if err != nil {
			return err
		}
		d.QuickExitURL = to
		d.QuickExitError = st.loc.T("error_quick_exit_url")
		return s.render(c, fiber.StatusUnprocessableEntity, "admin", "admin_title", d)
	}
	if err := s.store.SetSetting(c.UserContext(), store.SettingQuickExitURL, to); err != nil {
		return err
	}
	s.audit(c, store.AuditSettingQuickExit, store.NoTarget, "")
	s.log.Info("quick exit destination changed", "by_user_id", st.user.ID)
	s.flash(c, "flash_settings_saved")
	return redirect(c, "/admin")
}
