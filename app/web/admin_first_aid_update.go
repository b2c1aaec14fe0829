package web

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/freetext"
	"github.com/cairn-lms/cairn/app/store"
)

// Local contacts stay short enough for the first-aid page to print on one sheet.
const (
	maxFirstAidContacts      = 600 // characters
	maxFirstAidContactsLines = 12
)

// updateFirstAidContacts stores the local contacts shown on the first-aid page (an empty
// text removes them).
func (s *Server) updateFirstAidContacts(c *fiber.Ctx) error {
	st := state(c)
	text := cleanContacts(c.FormValue("contacts"))
	if utf8.RuneCountInString(text) > maxFirstAidContacts || strings.Count(text, "\n") >= maxFirstAidContactsLines {
		d, err := s.adminData(c)
		if err != nil {
			return err
		}
		d.FirstAidContacts = text
		d.FirstAidError = st.loc.N("error_first_aid_contacts_length", maxFirstAidContacts, "Max", maxFirstAidContacts, "Lines", st.loc.N("first_aid_contacts_lines", maxFirstAidContactsLines))
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

// cleanContacts is the stored form of the contacts: Unix line breaks, no bidirectional
// overrides or other control characters, no trailing spaces, no blank lines at either end.
func cleanContacts(s string) string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\n':
			return r
		case r == '\t':
			return ' '
		case unicode.IsControl(r):
			return -1
		}
		return r
	}, freetext.StripBidiControls(s))
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRightFunc(l, unicode.IsSpace)
	}
	return strings.Trim(strings.Join(lines, "\n"), "\n ")
}
