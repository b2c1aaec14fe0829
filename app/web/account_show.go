package web

import (
	"time"

	"github.com/gofiber/fiber/v2"
)

type accountData struct {
	RecoveryCodesLeft int
	DisplayName       string
	Error             string
	// RetentionDays is the instance's period after which unused accounts are deleted (0:
	// never); RetentionExempt says the person's own is not (an administrator's).
	RetentionDays   int
	RetentionExempt bool
	// RetentionDay is the day the account would be deleted if not used again.
	RetentionDay time.Time
}

// withRetention adds the retention policy that applies to the account, for the page to state.
func (s *Server) withRetention(c *fiber.Ctx, d accountData) (accountData, error) {
	p, err := s.retentionPolicy(c.UserContext())
	if err != nil {
		return d, err
	}
	d.RetentionDays = p.InactiveDays
	d.RetentionDay = p.DeletionDay(state(c).user)
	d.RetentionExempt = d.RetentionDay.IsZero()
	return d, nil
}

func (s *Server) showAccount(c *fiber.Ctx) error {
	user := state(c).user
	left, err := s.store.CountUnusedRecoveryCodes(c.UserContext(), user.ID)
	if err != nil {
		return err
	}
	d, err := s.withRetention(c, accountData{RecoveryCodesLeft: left, DisplayName: user.DisplayName})
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "account", "account_title", d)
}
