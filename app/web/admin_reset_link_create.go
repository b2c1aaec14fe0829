package web

import (
	"net/url"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/auth"
	"github.com/cairn-lms/cairn/app/store"
)

// ResetLinkTTL is how long an admin-issued password reset link stays valid.
const ResetLinkTTL = 24 * time.Hour

// createResetLink issues a one-time link for someone who lost both password and recovery
// codes; the admin hands it over through a channel they trust.
func (s *Server) createResetLink(c *fiber.Ctx) error {
	ctx := c.UserContext()
	id, err := c.ParamsInt("id")
	if err != nil {
		return fiber.ErrNotFound
	}
	user, err := s.store.UserByID(ctx, int64(id))
	if err != nil {
		return err
	}
	token, hash := auth.NewToken()
	if err := s.store.CreatePasswordReset(ctx, user.ID, hash, ResetLinkTTL); err != nil {
		return err
	}
	d, err := s.usersPage(c)
	if err != nil {
		return err
	}
	d.ResetFor = user.Username
	d.ResetLink = s.sendableLink("/reset?token=" + url.QueryEscape(token))
	s.audit(c, store.AuditUserResetLink, store.UserTarget(user), "")
	s.log.Info("password reset link issued", "user_id", user.ID, "by_user_id", state(c).user.ID)
	return s.render(c, fiber.StatusCreated, "admin_users", "admin_users_title", d)
}
