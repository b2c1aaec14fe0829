package web

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/course"
	"github.com/cairn-lms/cairn/app/live"
	"github.com/cairn-lms/cairn/app/model"
)

// liveMember loads the session in the URL and checks that the viewer belongs to its cohort
// (trainers of the cohort and admins drive it). Everyone else gets a 404.
func (s *Server) liveMember(c *fiber.Ctx) (live.Member, error) {
	id, err := c.ParamsInt("session")
	if err != nil {
		return live.Member{}, fiber.ErrNotFound
	}
	ctx := c.UserContext()
	u := state(c).user
	ls, co, role, err := s.store.LiveMembership(ctx, int64(id), u.ID)
	if err != nil {
		return live.Member{}, err
	}
	if u.HasRole(model.RoleAdmin) {
		role = model.CohortTrainer
	}
	if role == "" {
		return live.Member{}, fiber.ErrNotFound
	}
	return live.Member{UserID: u.ID, Name: u.Name(), Trainer: role == model.CohortTrainer, Lang: lang(c), Session: ls, Cohort: co}, nil
}

// livePath is the session's live page.
func livePath(m live.Member) string { return "/live/" + strconv.FormatInt(m.Session.ID, 10) }

// contentLang is the language the session's course content is shown in: the cohort's, when
// the course has it, else the course's own. Content gets its lang and dir, whatever the
// reader's interface language.
func contentLang(crs *course.Course, m live.Member) string {
	if crs == nil || crs.HasLanguage(m.Cohort.Lang) {
		return m.Cohort.Lang
	}
	return crs.DefaultLanguage
}
