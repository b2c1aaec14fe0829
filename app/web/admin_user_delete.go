package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/store"
)

// deleteUserAccount deletes an account for an administrator who typed their own password.
// An administrator deleting their own account is signed out as its owner would be; the
// last administrator cannot (the store refuses).
func (s *Server) deleteUserAccount(c *fiber.Ctx) error {
	d, err := s.adminDataPage(c, "delete")
	if err != nil {
		return err
	}
	if ok, err := s.passwordConfirmed(c, "user_delete", "admin_user_delete_title", d); !ok || err != nil {
		return err
	}
	if ok, err := s.deleteUser(c, "user_delete", "admin_user_delete_title", d); !ok || err != nil {
		return err
	}
	admin := state(c).user
	if d.Target.ID == admin.ID {
		s.auditSelfDeletion(c, d.Target.Role)
		s.log.Info("account deleted by its owner")
		return s.signedOutAfterDeletion(c)
	}
	// Nothing about the person is written, only their role then.
	s.audit(c, store.AuditUserDelete, store.DeletedUserTarget, store.AuditDetail("role", d.Target.Role))
	s.log.Info("account deleted by an administrator", "by_user_id", admin.ID) // not whose
	s.flash(c, "flash_user_deleted")
	return redirect(c, "/admin/users")
}
