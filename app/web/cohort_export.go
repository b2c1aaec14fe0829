package web

import (
	"bytes"
	"fmt"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/cohort"
)

// exportCohort downloads the learner table as CSV (pseudonyms only, as everywhere).
func (s *Server) exportCohort(c *fiber.Ctx) error {
	co, err := s.cohortAsTrainer(c)
	if err != nil {
		return err
	}
	crs := s.cohortCourse(co)
	if crs == nil {
		return fiber.ErrNotFound
	}
	rows, _, _, err := s.dashboard(c, co, crs, inactiveDefault)
	if err != nil {
		return err
	}
	loc := state(c).loc
	var buf bytes.Buffer
	headers := []string{loc.T("cohort_col_learner"), loc.T("cohort_col_lessons_done"), loc.T("cohort_col_lessons_total"), loc.T("cohort_col_progress"), loc.T("cohort_col_last_activity")}
	if err := cohort.WriteCSV(&buf, crs, rows, headers); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="cohort-%d.csv"`, co.ID))
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(buf.Bytes())
}
