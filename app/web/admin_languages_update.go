package web

import (
	"sort"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/store"
)

// updateLanguages chooses which shipped languages the instance offers and its default.
func (s *Server) updateLanguages(c *fiber.Ctx) error {
	st := state(c)
	def := c.FormValue("default_language")
	var offered []string
	seen := map[string]bool{}
	for _, v := range c.Request().PostArgs().PeekMulti("offered") {
		l, ok := s.locales.Lookup(string(v))
		if !ok {
			// Only a hand-made form names a language the page did not list.
			return fiber.NewError(fiber.StatusBadRequest, "error_languages_unknown")
		}
		if !seen[l.Lang.Tag] {
			seen[l.Lang.Tag] = true
			offered = append(offered, l.Lang.Tag)
		}
	}
	sort.Strings(offered)
	var problem string
	switch {
	case len(offered) == 0:
		problem = "error_languages_none"
	case !seen[def]:
		problem = "error_languages_default"
	}
	if problem != "" {
		d, err := s.adminData(c)
		if err != nil {
			return err
		}
		for i := range d.Instance.Languages {
			row := &d.Instance.Languages[i]
			row.Offered, row.Default = seen[row.Tag], row.Tag == def
		}
		d.Instance.LanguagesError = st.loc.T(problem)
		return s.render(c, fiber.StatusUnprocessableEntity, "admin", "admin_title", d)
	}
	if err := s.store.SetInstanceSettings(c.UserContext(), map[string]string{
		store.SettingOfferedLanguages: strings.Join(offered, ","),
		store.SettingDefaultLanguage:  def,
	}); err != nil {
		return err
	}
	s.instanceSettingsChanged()
	s.audit(c, store.AuditSettingInstance, store.NoTarget, store.AuditDetail("what", "languages"))
	s.log.Info("instance languages changed", "offered", strings.Join(offered, ","), "default", def, "by_user_id", st.user.ID)
	s.flash(c, "flash_settings_saved")
	return redirect(c, "/admin#languages")
}
