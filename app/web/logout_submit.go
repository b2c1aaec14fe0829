package web

import "github.com/gofiber/fiber/v2"

func (s *Server) submitLogout(c *fiber.Ctx) error {
	if err := s.endSession(c); err != nil {
		return err
	}
	s.flash(c, "flash_signed_out")
	return redirect(c, "/")
}
