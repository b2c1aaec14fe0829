package web

import (
	"github.com/gofiber/fiber/v2"
)

type accountData struct {
	RecoveryCodesLeft int
	DisplayName       string
	Error             string
}

func (s *Server) showAccount(c *fiber.Ctx) error {
	user := state(c).user
	left, err := s.store.CountUnusedRecoveryCodes(c.UserContext(), user.ID)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "account", "account_title", accountData{RecoveryCodesLeft: left, DisplayName: user.DisplayName})
}
