package web

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
)

// regenerateJoinCode issues a new code; the old one stops working at once.
func (s *Server) regenerateJoinCode(c *fiber.Ctx) error {
	co, err := s.cohortAsTrainer(c)
	if err != nil {
		return err
	}
	code := newJoinCode()
	if err := s.store.SetJoinCode(c.UserContext(), co.ID, &code); err != nil {
		return err
	}
	s.audit(c, store.AuditCohortCodeNew, store.ThingTarget(model.TargetCohort, co.ID, co.Name), "")
	s.flash(c, "flash_join_code_new")
	return redirect(c, "/cohorts/"+strconv.FormatInt(co.ID, 10))
}

// revokeJoinCode closes the cohort to new members.
func (s *Server) revokeJoinCode(c *fiber.Ctx) error {
	co, err := s.cohortAsTrainer(c)
	if err != nil {
		return err
	}
	if err := s.store.SetJoinCode(c.UserContext(), co.ID, nil); err != nil {
		return err
	}
	s.audit(c, store.AuditCohortCodeRevoke, store.ThingTarget(model.TargetCohort, co.ID, co.Name), "")
	s.flash(c, "flash_join_code_revoked")
	return redirect(c, "/cohorts/"+strconv.FormatInt(co.ID, 10))
}
