package web

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/auth"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
)

// addCoTrainer gives another trainer (by username) the same rights over this cohort.
func (s *Server) addCoTrainer(c *fiber.Ctx) error {
	co, err := s.cohortAsTrainer(c)
	if err != nil {
		return err
	}
	u, err := s.store.UserByUsernameKey(c.UserContext(), auth.UsernameKey(c.FormValue("username")))
	if errors.Is(err, store.ErrNotFound) || (err == nil && !u.HasRole(model.RoleTrainer)) {
		return fiber.NewError(fiber.StatusUnprocessableEntity, "error_cotrainer")
	}
	if err != nil {
		return err
	}
	if err := s.store.AddCohortTrainer(c.UserContext(), co.ID, u.ID); err != nil {
		return err
	}
	s.audit(c, store.AuditCohortTrainerAdd, store.UserTarget(u), store.AuditDetail("cohort", co.ID))
	s.flash(c, "flash_cotrainer_added")
	return redirect(c, "/cohorts/"+strconv.FormatInt(co.ID, 10))
}
