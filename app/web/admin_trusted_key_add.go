package web

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/adminsetting"
	"github.com/cairn-lms/cairn/app/signing"
	"github.com/cairn-lms/cairn/app/store"
)

// addTrustedKey trusts a partner instance's minisign public key, under a name the admin
// gives it. Refusals come back on the admin page with what was typed.
func (s *Server) addTrustedKey(c *fiber.Ctx) error {
	st := state(c)
	label, labelOK := adminsetting.CleanKeyLabel(c.FormValue("label"))
	text := c.FormValue("key")
	refuse := func(id string) error {
		d, err := s.adminData(c)
		if err != nil {
			return err
		}
		d.TrustedKeyLabel, d.TrustedKeyText, d.TrustedKeyError = label, text, st.loc.T(id)
		return s.render(c, fiber.StatusUnprocessableEntity, "admin", "admin_title", d)
	}
	if !labelOK {
		return refuse("error_trusted_key_label")
	}
	key, err := signing.ParsePublicKey(text)
	if err != nil {
		return refuse("error_trusted_key_invalid")
	}
	pub := signing.PublicKey{Label: label, Key: key}
	if own, err := s.offline.Key(); err == nil && own.Public.ID() == pub.ID() {
		return refuse("error_trusted_key_own")
	}
	err = s.store.AddTrustedKey(c.UserContext(), store.TrustedKey{ID: pub.ID(), Label: label, Key: pub.String()})
	if errors.Is(err, store.ErrTrustedKeyExists) {
		return refuse("error_trusted_key_exists")
	}
	if err != nil {
		return err
	}
	s.audit(c, store.AuditSettingTrustedKeys, store.NoTarget, store.AuditDetail("added", pub.ID()))
	s.log.Info("trusted key added", "key_id", pub.ID(), "by_user_id", st.user.ID)
	s.flash(c, "flash_trusted_key_added")
	return redirect(c, "/admin#trusted-keys")
}
