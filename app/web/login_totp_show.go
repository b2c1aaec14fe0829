package web

import "github.com/gofiber/fiber/v2"

type totpForm struct {
	Next     string
	Remember bool
	Error    string
}

func (s *Server) showLoginTOTP(c *fiber.Ctx) error {
	st := state(c)
	if st.session == nil || !st.session.MFAPending {
		return redirect(c, "/login")
	}
	f := totpForm{Next: safeNext(c.Query("next")), Remember: c.Query("remember") != ""}
	return s.render(c, fiber.StatusOK, "login_totp", "login_totp_title", f)
}
