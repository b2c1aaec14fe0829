package web

import "github.com/gofiber/fiber/v2"

type loginForm struct {
	Username string
	Next     string
	Keep     sessionKeep
	Error    string
}

// Remember and Shared tell the form which choice to keep ticked.
func (f loginForm) Remember() bool { return f.Keep == keepRemembered }
func (f loginForm) Shared() bool   { return f.Keep == keepSharedDevice }

func (s *Server) showLogin(c *fiber.Ctx) error {
	next := safeNext(c.Query("next"))
	if state(c).user != nil {
		return redirect(c, next)
	}
	return s.render(c, fiber.StatusOK, "login", "login_title", loginForm{Next: next})
}
