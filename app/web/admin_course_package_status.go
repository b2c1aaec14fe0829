package web

import (
	"context"

	"github.com/gofiber/fiber/v2"
)

// publishCoursePackage serves a package's version of its course (replacing the version
// served until now); unpublishCoursePackage and archiveCoursePackage take it down.
func (s *Server) publishCoursePackage(c *fiber.Ctx) error {
	// audit: course package published (id) by state(c).user.ID
	return s.changeCoursePackage(c, s.store.PublishPackage, "flash_course_published")
}

func (s *Server) unpublishCoursePackage(c *fiber.Ctx) error {
	// audit: course package unpublished (id) by state(c).user.ID
	return s.changeCoursePackage(c, s.store.UnpublishPackage, "flash_course_unpublished")
}

func (s *Server) archiveCoursePackage(c *fiber.Ctx) error {
	// audit: course package archived (id) by state(c).user.ID
	return s.changeCoursePackage(c, s.store.ArchivePackage, "flash_course_archived")
}

func (s *Server) changeCoursePackage(c *fiber.Ctx, change func(context.Context, int64) error, flash string) error {
	id, err := c.ParamsInt("id")
	if err != nil || id <= 0 {
		return fiber.ErrNotFound
	}
	if err := change(c.UserContext(), int64(id)); err != nil {
		return err // store.ErrNotFound is a 404
	}
	s.reloadPackages()
	s.log.Info("course package changed", "package_id", id, "to", flash, "by_user_id", state(c).user.ID)
	s.flash(c, flash)
	return redirect(c, "/admin/courses")
}
