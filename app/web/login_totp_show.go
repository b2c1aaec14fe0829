package web

import "github.com/gofiber/fiber/v2"

type totpForm struct {
	Next  string
	Keep  sessionKeep
	Error string
}

// Remember and Shared carry the sign-in form's choice through the code step.
func (f totpForm) Remember() bool { return f.Keep == keepRemembered }
func (f totpForm) Shared() bool   { return f.Keep == keepSharedDevice }

func (s *Server) showLoginTOTP(c *fiber.Ctx) error {
	st := state(c)
	if st.session == nil || !st.session.MFAPending {
		return redirect(c, "/login")
	}
	f := totpForm{Next: safeNext(c.Query("next")), Keep: keepFromForm(c.Query("remember"), c.Query("shared"))}
	return s.render(c, fiber.StatusOK, "login_totp", "login_totp_title", f)
}
