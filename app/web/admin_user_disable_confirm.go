package web

import (
	"fmt"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/model"
)

// userDisablePage is the confirmation before disabling an account: what it does, what it
// keeps, and what stops it.
type userDisablePage struct {
	Target    *model.User
	Back      string // the list page it came from
	Action    string // the form's action, carrying the list page's query string
	Self      bool
	LastAdmin bool
}

// Blocked tells whether the account cannot be disabled as things stand.
func (d userDisablePage) Blocked() bool { return d.Self || d.LastAdmin }

// confirmDisableUser shows an administrator what disabling an account does before they do.
func (s *Server) confirmDisableUser(c *fiber.Ctx) error {
	d, err := s.disablePage(c)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "admin_user_disable", "admin_user_disable_title", d)
}

func (s *Server) disablePage(c *fiber.Ctx) (*userDisablePage, error) {
	id, err := c.ParamsInt("id")
	if err != nil {
		return nil, fiber.ErrNotFound
	}
	ctx := c.UserContext()
	u, err := s.store.UserByID(ctx, int64(id))
	if err != nil {
		return nil, err
	}
	q := parseUsersQuery(c)
	d := &userDisablePage{Target: u, Back: q.At("/admin/users"), Action: q.At(fmt.Sprintf("/admin/users/%d/disable", u.ID)), Self: u.ID == state(c).user.ID}
	if u.Role == model.RoleAdmin && !u.Disabled() {
		n, err := s.store.CountAdmins(ctx)
		if err != nil {
			return nil, err
		}
		d.LastAdmin = n <= 1
	}
	return d, nil
}

func withQueryString(path, query string) string {
	if query == "" {
		return path
	}
	return path + "?" + query
}
