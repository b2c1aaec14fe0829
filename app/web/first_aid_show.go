package web

import (
	"html/template"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/freetext"
	"github.com/cairn-lms/cairn/app/store"
)

type firstAidData struct {
	Page     *sitePage
	FellBack bool
	Contacts template.HTML // the operator's local contacts; empty when there are none
}

// showFirstAid is the digital first-aid page: what to do in the first hour after a
// suspected compromise, and who helps. Anyone may read it, signed in or not, whatever the
// content-access setting: the person who needs it may be locked out of their account.
func (s *Server) showFirstAid(c *fiber.Ctx) error {
	var d firstAidData
	d.Page, d.FellBack = s.firstAid.pick(lang(c), s.cfg.DefaultLocale)
	// The page must still help when the database does not answer: without local contacts.
	contacts, err := s.store.Setting(c.UserContext(), store.SettingFirstAidContacts, "")
	if err != nil {
		s.log.Warn("first-aid page without local contacts", "err", err, "request_id", requestID(c))
	}
	if contacts != "" {
		d.Contacts = freetext.Linkify(contacts)
	}
	return s.render(c, fiber.StatusOK, "first_aid", "first_aid_title", d)
}
