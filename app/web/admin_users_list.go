package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/model"
)

type adminUsersData struct {
	Users     []model.User
	Roles     []string
	ResetFor  string
	ResetLink string
}

var allRoles = []string{model.RoleLearner, model.RoleTrainer, model.RoleAdmin}

func (s *Server) listUsers(c *fiber.Ctx) error {
	users, err := s.store.ListUsers(c.UserContext())
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "admin_users", "admin_users_title", adminUsersData{Users: users, Roles: allRoles})
}
