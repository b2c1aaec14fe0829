package web

import "github.com/gofiber/fiber/v2"

type loginForm struct {
	Username string
	Next     string
	Remember bool
	Error    string
}

func (s *Server) showLogin(c *fiber.Ctx) error {
	next := safeNext(c.Query("next"))
	if state(c).user != nil {
		return redirect(c, next)
	}
	return s.render(c, fiber.StatusOK, "login", "login_title", loginForm{Next: next})
}
