package web

import "github.com/gofiber/fiber/v2"

// deleteAccount deletes the signed-in person's account once they have typed their
// password, and signs them out everywhere (their sessions are deleted with it).
func (s *Server) deleteAccount(c *fiber.Ctx) error {
	d := s.ownDataPage(c, "/account/delete")
	if ok, err := s.passwordConfirmed(c, "user_delete", "account_delete_title", d); !ok || err != nil {
		return err
	}
	if ok, err := s.deleteUser(c, "user_delete", "account_delete_title", d); !ok || err != nil {
		return err
	}
	s.auditSelfDeletion(c, d.Target.Role)
	s.log.Info("account deleted by its owner") // nothing that names them
	return s.signedOutAfterDeletion(c)
}

// signedOutAfterDeletion ends the browser's session (its row went with the account) and
// says the account is gone.
func (s *Server) signedOutAfterDeletion(c *fiber.Ctx) error {
	s.clearCookie(c, sessionName)
	s.flash(c, "flash_account_deleted")
	return redirect(c, "/")
}
