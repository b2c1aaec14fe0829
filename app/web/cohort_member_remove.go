package web

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
)

// memberRemoval is a member a trainer is about to take out of a cohort: the confirmation
// page names them and says what happens to their progress and attendance.
type memberRemoval struct {
	Cohort   *model.Cohort
	UserID   int64
	Name     string
	Username string // for the audit log
}

// cohortMemberToRemove is the member in the URL, for the cohort's trainers: never the
// trainer themself (400); someone not in the cohort is not found.
func (s *Server) cohortMemberToRemove(c *fiber.Ctx) (*memberRemoval, error) {
	co, err := s.cohortAsTrainer(c)
	if err != nil {
		return nil, err
	}
	uid, err := c.ParamsInt("user")
	if err != nil {
		return nil, fiber.ErrNotFound
	}
	if int64(uid) == state(c).user.ID {
		return nil, fiber.NewError(fiber.StatusBadRequest, "error_cohort_remove_self")
	}
	m, err := s.store.CohortMember(c.UserContext(), co.ID, int64(uid))
	if err != nil {
		return nil, err
	}
	r := &memberRemoval{Cohort: co, UserID: m.UserID}
	if m.User != nil {
		r.Name, r.Username = m.User.Name(), m.User.Username
	}
	return r, nil
}

// confirmRemoveCohortMember asks before a member is taken out of the cohort: the dashboard's
// "Remove" leads here, and this page's form (with the token) removes.
func (s *Server) confirmRemoveCohortMember(c *fiber.Ctx) error {
	r, err := s.cohortMemberToRemove(c)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "cohort_member_remove", "cohort_remove_title", r)
}

// removeCohortMember takes a member out of the cohort once the trainer has confirmed; without
// the confirmation it asks for it. Their progress stays theirs and their attendance stays
// with the sessions (store.RemoveCohortMember).
func (s *Server) removeCohortMember(c *fiber.Ctx) error {
	r, err := s.cohortMemberToRemove(c)
	if err != nil {
		return err
	}
	back := "/cohorts/" + strconv.FormatInt(r.Cohort.ID, 10)
	if c.FormValue("confirm") != "yes" {
		return redirect(c, back+"/members/"+strconv.FormatInt(r.UserID, 10)+"/remove")
	}
	if err := s.store.RemoveCohortMember(c.UserContext(), r.Cohort.ID, r.UserID); err != nil {
		return err
	}
	s.summaries.forget(r.Cohort.ID)
	uid := r.UserID
	s.audit(c, store.AuditCohortMemberRem, store.AuditTarget{Kind: model.TargetUser, ID: &uid, Name: r.Username}, store.AuditDetail("cohort", r.Cohort.ID))
	s.flash(c, "flash_member_removed")
	return redirect(c, back)
}
