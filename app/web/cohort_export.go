package web

import (
	"bufio"
	"context"
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/cohort"
	"github.com/cairn-lms/cairn/app/store"
)

// exportChunk is how many learners the export reads at a time: its memory, whatever the
// cohort's size.
const exportChunk = 500

// exportCohort downloads the learner table as CSV (pseudonyms only, as everywhere): every
// learner, in the order their accounts were made, streamed a chunk at a time as it is read;
// a column says whether each learner's account is enabled or disabled.
func (s *Server) exportCohort(c *fiber.Ctx) error {
	co, err := s.cohortAsTrainer(c)
	if err != nil {
		return err
	}
	crs := s.cohortCourse(co)
	if crs == nil {
		return fiber.ErrNotFound
	}
	loc := state(c).loc
	headers := []string{loc.T("cohort_col_learner"), loc.T("cohort_col_lessons_done"), loc.T("cohort_col_lessons_total"), loc.T("cohort_col_progress"), loc.T("cohort_col_last_activity"), loc.T("cohort_col_account_status")}
	enabled, disabled := loc.T("admin_users_status_enabled"), loc.T("admin_users_status_disabled")
	status := func(off bool) string {
		if off {
			return disabled
		}
		return enabled
	}
	table := learnerTable{Days: inactiveDefault, Sort: store.SortByName}
	f := learnerFilter(co, crs, table, s.now())
	cohortID := co.ID

	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="cohort-%d.csv"`, cohortID))
	c.Set(fiber.HeaderCacheControl, "no-store")
	// The writer runs after this handler has returned, when the request's context and
	// values are gone: it has its own context and only what was copied above.
	c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		out, err := cohort.NewCSV(w, crs, headers, status)
		if err == nil {
			err = s.store.EachCohortLearner(ctx, f, exportChunk, func(lines []store.LearnerLine) error {
				rows, err := s.learnerRows(ctx, crs, lines, f.QuietSince)
				if err != nil {
					return err
				}
				if err := out.Write(rows...); err != nil {
					return err
				}
				if err := out.Flush(); err != nil {
					return err
				}
				return w.Flush()
			})
		}
		if err == nil {
			err = out.Flush()
		}
		if err != nil {
			// The status line is sent: the download ends short, and the log says why.
			s.log.Warn("cohort export cut short", "cohort_id", cohortID, "err", err)
		}
	})
	return nil
}
