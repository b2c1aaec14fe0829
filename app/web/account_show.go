package web

import (
	"errors"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/store"
)

type accountData struct {
	RecoveryCodesLeft int
	DisplayName       string
	Error             string
	// The personal learning plan: offered when the courses have a risk intake; saved when
	// the learner kept one (with the day).
	IntakeOffered bool
	IntakeSaved   bool
	IntakeSavedOn time.Time
	// RetentionDays is the instance's period after which unused accounts are deleted (0:
	// never); RetentionExempt says the person's own is not (an administrator's).
	RetentionDays   int
	RetentionExempt bool
	// RetentionDay is the day the account would be deleted if not used again.
	RetentionDay time.Time
}

func (s *Server) showAccount(c *fiber.Ctx) error {
	return s.renderAccount(c, fiber.StatusOK, accountData{DisplayName: state(c).user.DisplayName})
}

// renderAccount fills in what the account page shows besides the profile form.
func (s *Server) renderAccount(c *fiber.Ctx, status int, data accountData) error {
	ctx, user := c.UserContext(), state(c).user
	left, err := s.store.CountUnusedRecoveryCodes(ctx, user.ID)
	if err != nil {
		return err
	}
	data.RecoveryCodesLeft = left
	data.IntakeOffered = s.intake.Load() != nil
	saved, err := s.store.IntakePlan(ctx, user.ID)
	switch {
	case err == nil:
		data.IntakeSaved, data.IntakeSavedOn = true, saved.SavedOn
	case !errors.Is(err, store.ErrNotFound):
		return err
	}
	p, err := s.retentionPolicy(ctx)
	if err != nil {
		return err
	}
	data.RetentionDays = p.InactiveDays
	data.RetentionDay = p.DeletionDay(user)
	data.RetentionExempt = data.RetentionDay.IsZero()
	return s.render(c, status, "account", "account_title", data)
}
