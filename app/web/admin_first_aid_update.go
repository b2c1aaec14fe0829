package web

import (
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/adminsetting"
	"github.com/cairn-lms/cairn/app/store"
)

// updateFirstAidContacts stores the local contacts shown on the first-aid page (an empty
// text removes them).
func (s *Server) updateFirstAidContacts(c *fiber.Ctx) error {
	st := state(c)
	text := adminsetting.CleanContacts(c.FormValue("contacts"))
	if !adminsetting.ContactsFit(text) {
		d, err := s.adminData(c)
		if err != nil {
			return err
		}
		d.FirstAidContacts = text
		d.FirstAidError = st.loc.N("error_first_aid_contacts_length", adminsetting.MaxFirstAidContacts, "Max", adminsetting.MaxFirstAidContacts, "Lines", st.loc.N("first_aid_contacts_lines", adminsetting.MaxFirstAidContactsLines))
		return s.render(c, fiber.StatusUnprocessableEntity, "admin", "admin_title", d)
	}
	if err := s.store.SetSetting(c.UserContext(), store.SettingFirstAidContacts, text); err != nil {
		return err
	}
	s.audit(c, store.AuditSettingFirstAid, store.NoTarget, store.AuditDetail("characters", utf8.RuneCountInString(text)))
	s.log.Info("first-aid local contacts changed", "characters", utf8.RuneCountInString(text), "by_user_id", st.user.ID)
	s.flash(c, "flash_settings_saved")
	return redirect(c, "/admin")
}
