package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/auth"
	"github.com/cairn-lms/cairn/app/config"
	"github.com/cairn-lms/cairn/app/store"
)

// signupForm is the sign-up page: what was typed (never the password) and what is wrong.
type signupForm struct {
	Mode        string
	Username    string
	DisplayName string
	Invite      string
	JoinCode    string // a cohort's join code, optional: the new account is offered to join it
	Errors      map[string]string
	MinPassword int
	MinUsername int
	MaxUsername int
}

func newSignupForm(mode string) *signupForm {
	return &signupForm{
		Mode: mode, Errors: map[string]string{},
		MinPassword: auth.PasswordMinLen, MinUsername: auth.UsernameMinLen, MaxUsername: auth.UsernameMaxLen,
	}
}

func (s *Server) registrationMode(c *fiber.Ctx) (string, error) {
	return s.store.Setting(c.UserContext(), store.SettingRegistration, s.cfg.Registration)
}

func (s *Server) showSignup(c *fiber.Ctx) error {
	if state(c).user != nil {
		return redirect(c, "/account")
	}
	mode, err := s.registrationMode(c)
	if err != nil {
		return err
	}
	f := newSignupForm(mode)
	f.Invite = c.Query("invite")
	f.JoinCode = c.Query("code")
	status := fiber.StatusOK
	if mode == config.RegistrationClosed {
		status = fiber.StatusForbidden
	}
	return s.render(c, status, "signup", "signup_title", f)
}
