package web

import (
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/adminsetting"
	"github.com/cairn-lms/cairn/app/store"
)

// updateInstance stores the instance's name and description in every shipped language (an
// empty field removes that language's text, which then falls back to the default
// language's, then to the built-in one).
func (s *Server) updateInstance(c *fiber.Ctx) error {
	st := state(c)
	d, err := s.adminData(c)
	if err != nil {
		return err
	}
	values := map[string]string{}
	refused := false
	for i := range d.Instance.Languages {
		row := &d.Instance.Languages[i]
		row.InstanceName = adminsetting.CleanLine(c.FormValue("name_" + row.Tag))
		row.Description = adminsetting.CleanLine(c.FormValue("description_" + row.Tag))
		if utf8.RuneCountInString(row.InstanceName) > maxInstanceName {
			row.NameError = st.loc.T("error_instance_name_length", "Language", "\u2068"+row.Name+"\u2069", "Max", maxInstanceName)
			refused = true
		}
		if utf8.RuneCountInString(row.Description) > maxInstanceDescription {
			row.DescriptionError = st.loc.T("error_instance_description_length", "Language", "\u2068"+row.Name+"\u2069", "Max", maxInstanceDescription)
			refused = true
		}
		values[store.InstanceSettingKey(store.SettingInstanceName, row.Tag)] = row.InstanceName
		values[store.InstanceSettingKey(store.SettingInstanceDescription, row.Tag)] = row.Description
	}
	if refused {
		return s.render(c, fiber.StatusUnprocessableEntity, "admin", "admin_title", d)
	}
	if err := s.store.SetInstanceSettings(c.UserContext(), values); err != nil {
		return err
	}
	s.instanceSettingsChanged()
	s.audit(c, store.AuditSettingInstance, store.NoTarget, store.AuditDetail("what", "name"))
	s.log.Info("instance name and description changed", "by_user_id", st.user.ID)
	s.flash(c, "flash_settings_saved")
	return redirect(c, "/admin#instance")
}
