package web

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/store"
)

// downloadUserData sends an administrator an account's data once they have typed their own
// password.
func (s *Server) downloadUserData(c *fiber.Ctx) error {
	d, err := s.adminDataPage(c, "export")
	if err != nil {
		return err
	}
	if ok, err := s.passwordConfirmed(c, "user_export", "admin_user_export_title", d); !ok || err != nil {
		return err
	}
	s.audit(c, store.AuditUserExport, store.UserTarget(d.Target), "")
	s.log.Info("account data exported by an administrator", "by_user_id", state(c).user.ID)
	return s.sendUserData(c, d.Target.ID, "cairn-account-"+strconv.FormatInt(d.Target.ID, 10))
}
