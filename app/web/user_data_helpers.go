package web

// Data rights: a person downloads everything the site keeps about them and deletes their
// account from /account; an administrator does both for any account from /admin/users.
// Both ask for the password of the person acting again (a shared or borrowed device left
// signed in must not be enough), and count a wrong one as a failed sign-in (limitReauth).
// The download is a POST for that reason: a GET would need no password and could be
// fetched by anyone holding the browser. README.md ("Your data") and docs/SECURITY.md
// ("Deleting an account") say what is kept and what goes.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
)

// userDataPage is the export and the deletion pages, for oneself or (Admin) for an account
// an administrator chose.
type userDataPage struct {
	Target *model.User
	Admin  bool   // an administrator acting on another account (or their own, from /admin)
	Action string // the form's action
	Back   string // where "keep it" leads
	Error  string // a wrong password
	// Deletion only: what stops it.
	LastAdmin   bool
	SoleCohorts []model.Cohort
}

// Blocked tells whether the account cannot be deleted as things stand.
func (d userDataPage) Blocked() bool { return d.LastAdmin || len(d.SoleCohorts) > 0 }

// limitReauth counts a wrong password typed to confirm an export or a deletion as a failed
// sign-in of the account acting, from this client: the same count as the sign-in form's, so
// a browser left signed in is no way to guess the password either.
func (s *Server) limitReauth(c *fiber.Ctx) error {
	return s.countSignIn(c, "password:", s.hashKey(state(c).user.UsernameKey))
}

// passwordConfirmed checks the password of the person acting; when it is wrong it renders
// page again with 401 (which limitReauth counts) and returns false.
func (s *Server) passwordConfirmed(c *fiber.Ctx, page, titleID string, d *userDataPage) (bool, error) {
	st := state(c)
	ok, _, err := s.hasher.Verify(c.UserContext(), c.FormValue("current_password"), st.user.PasswordHash)
	if err != nil || ok {
		return ok, err
	}
	d.Error = st.loc.T("error_current_password")
	return false, s.render(c, fiber.StatusUnauthorized, page, titleID, d)
}

// deletionBlockers fills in what stops the target's deletion.
func (s *Server) deletionBlockers(ctx context.Context, d *userDataPage) error {
	if d.Target.Role == model.RoleAdmin {
		n, err := s.store.CountAdmins(ctx)
		if err != nil {
			return err
		}
		d.LastAdmin = n <= 1
	}
	cohorts, err := s.store.SoleTrainerCohorts(ctx, d.Target.ID)
	d.SoleCohorts = cohorts
	return err
}

// sendUserData answers with the account's data as a JSON file, never cached.
func (s *Server) sendUserData(c *fiber.Ctx, userID int64, filename string) error {
	data, err := s.store.ExportUser(c.UserContext(), userID)
	if err != nil {
		return err
	}
	body, err := json.MarshalIndent(data, "", "  ")
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s-%s.json"`, filename, s.now().UTC().Format("2006-01-02")))
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Status(fiber.StatusOK).Send(append(body, '\n'))
}

// deleteUser deletes the target's account and tells the live sessions it was in. When the
// store refuses (someone became the last administrator, or the only trainer of a cohort,
// since the page was shown), the page is shown again with the reason.
func (s *Server) deleteUser(c *fiber.Ctx, page, titleID string, d *userDataPage) (bool, error) {
	ctx := c.UserContext()
	gone, err := s.store.DeleteUser(ctx, d.Target.ID)
	switch {
	case errors.Is(err, store.ErrLastAdmin), errors.Is(err, store.ErrSoleTrainer):
		if err := s.deletionBlockers(ctx, d); err != nil {
			return false, err
		}
		d.LastAdmin = d.LastAdmin || errors.Is(err, store.ErrLastAdmin)
		return false, s.render(c, fiber.StatusConflict, page, titleID, d)
	case err != nil:
		return false, err
	}
	s.live.UserDeleted(context.WithoutCancel(ctx), d.Target.ID, gone)
	return true, nil
}
