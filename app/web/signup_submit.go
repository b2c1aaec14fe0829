package web

import (
	"errors"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/auth"
	"github.com/cairn-lms/cairn/app/config"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
)

type recoveryCodesData struct {
	Codes []string
	Next  string
}

// submitSignup creates a pseudonymous account (username and password only), signs the
// person in and shows their recovery codes once.
func (s *Server) submitSignup(c *fiber.Ctx) error {
	ctx := c.UserContext()
	loc := state(c).loc
	mode, err := s.registrationMode(c)
	if err != nil {
		return err
	}
	f := newSignupForm(mode)
	if mode == config.RegistrationClosed {
		return s.render(c, fiber.StatusForbidden, "signup", "signup_title", f)
	}
	f.Username = c.FormValue("username")
	f.DisplayName = c.FormValue("display_name")
	f.Invite = strings.TrimSpace(c.FormValue("invite"))
	f.JoinCode = strings.TrimSpace(c.FormValue("join_code"))
	password := c.FormValue("password")

	username, err := auth.CleanUsername(f.Username)
	if err != nil {
		f.Errors["username"] = s.problem(c, err)
	}
	displayName, err := auth.CleanDisplayName(f.DisplayName)
	if err != nil {
		f.Errors["display_name"] = s.problem(c, err)
	}
	if err := auth.CheckPassword(password, username.Key); err != nil {
		f.Errors["password"] = s.problem(c, err)
	} else if password != c.FormValue("password_confirm") {
		f.Errors["password_confirm"] = loc.T("error_password_mismatch")
	}
	if mode == config.RegistrationInvite && f.Invite == "" {
		f.Errors["invite"] = loc.T("error_invite_required")
	}
	if f.JoinCode != "" {
		switch _, err := s.store.CohortByCode(ctx, auth.NormalizeCode(f.JoinCode)); {
		case errors.Is(err, store.ErrJoinCodeWrong):
			f.Errors["join_code"] = loc.T("error_join_code")
		case err != nil:
			return err
		}
	}
	if len(f.Errors) > 0 {
		return s.render(c, fiber.StatusUnprocessableEntity, "signup", "signup_title", f)
	}

	hash, err := s.hasher.Hash(ctx, password)
	if err != nil {
		return err
	}
	codes, hashes := auth.NewRecoveryCodes()
	user := &model.User{
		Username: username.Display, UsernameKey: username.Key, UsernameSkeleton: username.Skeleton,
		DisplayName:  displayName,
		PasswordHash: hash, Role: model.RoleLearner, Locale: loc.Lang.Tag,
	}
	account := store.NewAccount{User: user, RecoveryHashes: hashes}
	if mode == config.RegistrationInvite {
		account.InviteCodeHash = auth.HashCode(f.Invite)
	}
	switch err := s.store.CreateAccount(ctx, account); {
	case errors.Is(err, store.ErrUsernameTaken):
		f.Errors["username"] = loc.T("error_username_taken")
		return s.render(c, fiber.StatusConflict, "signup", "signup_title", f)
	case errors.Is(err, store.ErrUsernameConfusable):
		f.Errors["username"] = loc.T("error_username_confusable")
		return s.render(c, fiber.StatusConflict, "signup", "signup_title", f)
	case errors.Is(err, store.ErrInviteInvalid):
		f.Errors["invite"] = loc.T("error_invite_invalid")
		return s.render(c, fiber.StatusUnprocessableEntity, "signup", "signup_title", f)
	case err != nil:
		return err
	}
	s.log.Info("account created", "user_id", user.ID)
	if err := s.startSession(c, user, false, keepUntilBrowserCloses); err != nil {
		return err
	}
	next := "/account"
	if f.JoinCode != "" {
		// Joining stays a step of its own: the page names the cohort and asks to confirm.
		next = "/join?code=" + url.QueryEscape(f.JoinCode)
	}
	return s.render(c, fiber.StatusCreated, "recovery_codes_new", "recovery_codes_title", recoveryCodesData{Codes: codes, Next: next})
}

// signupCodeValid tells whether the form carries an invitation or a cohort join code that
// would admit someone now (see limitSignup).
func (s *Server) signupCodeValid(c *fiber.Ctx) (bool, error) {
	ctx := c.UserContext()
	if invite := strings.TrimSpace(c.FormValue("invite")); invite != "" {
		if ok, err := s.store.InviteUsable(ctx, auth.HashCode(invite)); ok || err != nil {
			return ok, err
		}
	}
	code := auth.NormalizeCode(c.FormValue("join_code"))
	if code == "" {
		return false, nil
	}
	switch _, err := s.store.CohortByCode(ctx, code); {
	case errors.Is(err, store.ErrJoinCodeWrong):
		return false, nil
	case err != nil:
		return false, err
	}
	return true, nil
}
