package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/auth"
	"github.com/cairn-lms/cairn/app/course"
)

type joinData struct {
	Code        string
	CohortName  string
	CourseTitle course.Text
	Error       string
	// Live is the live session the link came from (a presenter view's join link), opened
	// once the cohort is joined.
	Live int64
}

// showJoin is where an invite link or a typed code leads: it names the cohort and asks to
// confirm, so following a link never joins anyone by itself.
func (s *Server) showJoin(c *fiber.Ctx) error {
	d := joinData{Code: c.Query("code"), Live: int64(max(c.QueryInt("live"), 0))}
	if d.Code != "" {
		co, err := s.store.CohortByCode(c.UserContext(), auth.NormalizeCode(d.Code))
		if err == nil {
			d.CohortName = co.Name
			if crs := s.cohortCourse(co); crs != nil {
				d.CourseTitle = crs.TextIn(crs.Title, lang(c))
			}
		} else {
			d.Error = state(c).loc.T("error_join_code")
		}
	}
	return s.render(c, fiber.StatusOK, "join", "join_title", d)
}
