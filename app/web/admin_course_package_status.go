package web

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/store"
)

// publishCoursePackage serves a package's version of its course (replacing the version
// served until now); unpublishCoursePackage and archiveCoursePackage take it down.
func (s *Server) publishCoursePackage(c *fiber.Ctx) error {
	return s.changeCoursePackage(c, s.store.PublishPackage, store.AuditCoursePublish, "flash_course_published")
}

func (s *Server) unpublishCoursePackage(c *fiber.Ctx) error {
	return s.changeCoursePackage(c, s.store.UnpublishPackage, store.AuditCourseUnpublish, "flash_course_unpublished")
}

func (s *Server) archiveCoursePackage(c *fiber.Ctx) error {
	return s.changeCoursePackage(c, s.store.ArchivePackage, store.AuditCourseArchive, "flash_course_archived")
}

func (s *Server) changeCoursePackage(c *fiber.Ctx, change func(context.Context, int64) error, action, flash string) error {
	id, err := c.ParamsInt("id")
	if err != nil || id <= 0 {
		return fiber.ErrNotFound
	}
	p, err := s.store.CoursePackage(c.UserContext(), int64(id))
	if err != nil {
		return err // store.ErrNotFound is a 404
	}
	if err := change(c.UserContext(), p.ID); err != nil {
		return err
	}
	s.audit(c, action, store.PackageTarget(p), "")
	s.reloadPackages()
	s.log.Info("course package changed", "package_id", id, "to", flash, "by_user_id", state(c).user.ID)
	s.flash(c, flash)
	return redirect(c, "/admin/courses")
}
