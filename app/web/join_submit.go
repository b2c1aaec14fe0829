package web

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/auth"
	"github.com/cairn-lms/cairn/app/store"
)

func (s *Server) submitJoin(c *fiber.Ctx) error {
	ctx := c.UserContext()
	loc := state(c).loc
	d := joinData{Code: c.FormValue("code")}
	d.Live, _ = strconv.ParseInt(c.FormValue("live"), 10, 64)
	co, err := s.store.CohortByCode(ctx, auth.NormalizeCode(d.Code))
	if errors.Is(err, store.ErrJoinCodeWrong) {
		d.Error = loc.T("error_join_code")
		return s.render(c, fiber.StatusUnprocessableEntity, "join", "join_title", d)
	}
	if err != nil {
		return err
	}
	to := "/cohorts/" + strconv.FormatInt(co.ID, 10)
	// A join link from a presenter view goes on into its session, if it is this cohort's
	// and still running; any other number is ignored.
	if d.Live > 0 {
		if ls, err := s.store.LiveSession(ctx, d.Live); err == nil && ls.CohortID == co.ID && ls.EndedAt == nil {
			to = "/live/" + strconv.FormatInt(ls.ID, 10)
		}
	}
	switch err := s.store.JoinCohort(ctx, co.ID, state(c).user.ID, co.SeatLimit); {
	case errors.Is(err, store.ErrAlreadyMember):
		return redirect(c, to)
	case errors.Is(err, store.ErrCohortFull):
		d.Error = loc.T("error_cohort_full")
		d.CohortName = co.Name
		return s.render(c, fiber.StatusConflict, "join", "join_title", d)
	case err != nil:
		return err
	}
	s.flash(c, "flash_joined_cohort")
	return redirect(c, to)
}
