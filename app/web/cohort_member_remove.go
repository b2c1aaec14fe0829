package web

import (
	"strconv"

	"github.com/gofiber/fiber/v2"
)

func (s *Server) removeCohortMember(c *fiber.Ctx) error {
	co, err := s.cohortAsTrainer(c)
	if err != nil {
		return err
	}
	uid, err := c.ParamsInt("user")
	if err != nil {
		return fiber.ErrNotFound
	}
	if int64(uid) == state(c).user.ID {
		return fiber.NewError(fiber.StatusBadRequest, "error_cohort_remove_self")
	}
	if err := s.store.RemoveCohortMember(c.UserContext(), co.ID, int64(uid)); err != nil {
		return err
	}
	s.summaries.forget(co.ID)
	s.flash(c, "flash_member_removed")
	return redirect(c, "/cohorts/"+strconv.FormatInt(co.ID, 10))
}
