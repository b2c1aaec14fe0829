package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/adminsetting"
)

// trustedKeysForm is the admin page's part about signing keys (its own template block,
// partials/admin_trusted_keys.html): the instance's key id, the partners' keys it trusts, and
// the form to add one (refilled when refused).
type trustedKeysForm struct {
	OwnKeyID        string // "" when the key cannot be read or made (the page says why in the log)
	TrustedKeys     []trustedKeyView
	TrustedKeyLabel string
	TrustedKeyText  string
	TrustedKeyError string
	TrustedKeyMax   int
}

type trustedKeyView struct {
	ID, Label, Key string
}

func (s *Server) trustedKeysForm(c *fiber.Ctx) (trustedKeysForm, error) {
	f := trustedKeysForm{TrustedKeyMax: adminsetting.MaxTrustedKeyLabel}
	if k, err := s.offline.Key(); err == nil {
		f.OwnKeyID = k.Public.ID()
	} else {
		s.log.Error("signing key", "err", err)
	}
	keys, err := s.store.TrustedKeys(c.UserContext())
	if err != nil {
		return f, err
	}
	for _, k := range keys {
		f.TrustedKeys = append(f.TrustedKeys, trustedKeyView{ID: k.ID, Label: k.Label, Key: k.Key})
	}
	return f, nil
}
