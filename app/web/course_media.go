package web

import (
	"mime"
	"path"

	"github.com/gofiber/fiber/v2"
)

// showCourseMedia serves an image that a lesson shows, from memory.
func (s *Server) showCourseMedia(c *fiber.Ctx) error {
	co, err := s.courseFromPath(c)
	if err != nil {
		return err
	}
	name := c.Params("*")
	b, ok := co.Media[name]
	if !ok {
		return fiber.ErrNotFound
	}
	c.Set(fiber.HeaderContentType, mime.TypeByExtension(path.Ext(name)))
	c.Set(fiber.HeaderCacheControl, "public, max-age=86400")
	return c.Send(b)
}
