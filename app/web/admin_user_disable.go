package web

import (
	"context"
	"errors"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/store"
)

// disableUser stops an account from signing in: the store ends its sign-in sessions, and
// its live connections to this instance are closed (those to other instances end at their
// next reconnect, which finds no session). Its data stays. Nobody disables themselves, and
// the last enabled administrator stays enabled.
func (s *Server) disableUser(c *fiber.Ctx) error {
	d, err := s.disablePage(c)
	if err != nil {
		return err
	}
	if d.Self {
		return fiber.NewError(fiber.StatusBadRequest, "error_disable_self")
	}
	ctx := c.UserContext()
	switch err := s.store.DisableUser(ctx, d.Target.ID); {
	case errors.Is(err, store.ErrLastAdmin):
		d.LastAdmin = true
		return s.render(c, fiber.StatusConflict, "admin_user_disable", "admin_user_disable_title", d)
	case err != nil:
		return err
	}
	s.live.UserSignedOut(context.WithoutCancel(ctx), d.Target.ID)
	s.audit(c, store.AuditUserDisable, store.UserTarget(d.Target), "")
	s.log.Info("account disabled", "user_id", d.Target.ID, "by_user_id", state(c).user.ID)
	s.flash(c, "flash_user_disabled")
	return backToUsers(c)
}
