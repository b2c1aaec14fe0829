package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/locale"
)

// showLiveLesson returns the lesson a session is on as an HTML fragment, for the console's
// script to show without leaving the page: as pages/live.html shows it, in the language it
// is written in (lang, dir), whatever the page's.
func (s *Server) showLiveLesson(c *fiber.Ctx) error {
	m, err := s.liveMember(c)
	if err != nil {
		return err
	}
	crs := s.catalog().Course(m.Cohort.CourseID)
	if crs == nil {
		return fiber.ErrNotFound
	}
	l := crs.Lesson(c.Query("lesson"))
	if l == nil {
		return fiber.ErrNotFound
	}
	v, _ := l.Version(m.Cohort.Lang)
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.SendString(`<div class="prose" lang="` + templateEscape(v.Lang) + `" dir="` + locale.Dir(v.Lang) + `"><h2>` +
		templateEscape(v.Title) + "</h2>" + string(v.HTML) + "</div>")
}
