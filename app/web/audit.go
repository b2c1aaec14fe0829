package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
)

// audit records in the audit log that the signed-in person did action to target. Handlers
// call it once the change has succeeded; the action codes are listed in app/store/audit.go.
// A failure to record is logged, not shown: the change itself is done, and telling the
// person it failed would make them do it again.
func (s *Server) audit(c *fiber.Ctx, action string, target store.AuditTarget, detail string) {
	u := state(c).user
	if u == nil {
		return
	}
	if err := s.store.RecordAudit(c.UserContext(), store.UserActor(u), action, target, detail); err != nil {
		s.log.Error("record audit entry", "action", action, "err", err)
	}
}

// auditSelfDeletion records that a person deleted their own account, once it is gone: by a
// deleted user, to a deleted user, with the role it had and nothing else.
func (s *Server) auditSelfDeletion(c *fiber.Ctx, role string) {
	actor := store.AuditActor{Kind: model.ActorUser}
	if err := s.store.RecordAudit(c.UserContext(), actor, store.AuditUserDeleteSelf, store.DeletedUserTarget, store.AuditDetail("role", role)); err != nil {
		s.log.Error("record audit entry", "action", store.AuditUserDeleteSelf, "err", err)
	}
}
