package web

import (
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/auth"
	"github.com/cairn-lms/cairn/app/freetext"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
)

// createInvite makes a code to hand out; it is shown once and stored only as a hash.
func (s *Server) createInvite(c *fiber.Ctx) error {
	st := state(c)
	uses, err1 := strconv.Atoi(c.FormValue("max_uses", "1"))
	days, err2 := strconv.Atoi(c.FormValue("days", "14"))
	note := freetext.Clean(c.FormValue("note"))
	d, err := s.adminData(c)
	if err != nil {
		return err
	}
	if err1 != nil || err2 != nil || uses < 1 || uses > 1000 || days < 1 || days > 365 || utf8.RuneCountInString(note) > 200 {
		d.Error = st.loc.T("error_invite_fields")
		return s.render(c, fiber.StatusUnprocessableEntity, "admin", "admin_title", d)
	}
	code := auth.NewCode(12)
	uid := st.user.ID
	inv := &model.Invite{
		CodeHash: auth.HashCode(code), Note: note, CreatedBy: &uid, MaxUses: uses,
		ExpiresAt: s.now().UTC().Add(time.Duration(days) * 24 * time.Hour),
	}
	if err := s.store.CreateInvite(c.UserContext(), inv); err != nil {
		return err
	}
	s.audit(c, store.AuditInviteCreate, store.ThingTarget(model.TargetInvite, inv.ID, ""), store.AuditDetail("uses", uses, "days", days))
	d, err = s.adminData(c)
	if err != nil {
		return err
	}
	d.NewInviteCode = code
	d.NewInviteLink = s.sendableLink("/signup?invite=" + code)
	return s.render(c, fiber.StatusCreated, "admin", "admin_title", d)
}
