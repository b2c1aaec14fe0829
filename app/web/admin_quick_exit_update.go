package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/adminsetting"
	"github.com/cairn-lms/cairn/app/store"
)

// updateQuickExit stores the neutral site quick exit leads to.
func (s *Server) updateQuickExit(c *fiber.Ctx) error {
	st := state(c)
	to := strings.TrimSpace(c.FormValue("url"))
	if !adminsetting.ValidQuickExitURL(to) {
		d, err := s.adminData(c)
		if err != nil {
			return err
		}
		d.QuickExitURL, d.Discreet = to, c.FormValue("discreet") == "on"
		d.QuickExitError = st.loc.T("error_quick_exit_url")
		return s.render(c, fiber.StatusUnprocessableEntity, "admin", "admin_title", d)
	}
	if err := s.store.SetSetting(c.UserContext(), store.SettingQuickExitURL, to); err != nil {
		return err
	}
	discreet := ""
	if c.FormValue("discreet") == "on" {
		discreet = "on"
	}
	if was := s.instance(c.UserContext()).discreet; was != (discreet == "on") {
		if err := s.store.SetInstanceSettings(c.UserContext(), map[string]string{store.SettingDiscreetMode: discreet}); err != nil {
			return err
		}
		s.instanceSettingsChanged()
		s.audit(c, store.AuditSettingInstance, store.NoTarget, store.AuditDetail("what", "discreet_"+map[bool]string{true: "on", false: "off"}[discreet == "on"]))
	}
	s.audit(c, store.AuditSettingQuickExit, store.NoTarget, "")
	s.log.Info("quick exit destination changed", "by_user_id", st.user.ID)
	s.flash(c, "flash_settings_saved")
	return redirect(c, "/admin")
}
