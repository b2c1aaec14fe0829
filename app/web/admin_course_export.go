package web

import (
	"io/fs"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/coursepkg"
)

// exportCourse downloads a served course as a package: the stored package when it comes
// from the database, else its folder (shipped or on disk) packed the same way. Importing
// the file again gives the same course.
func (s *Server) exportCourse(c *fiber.Ctx) error {
	co := s.catalog().Course(c.Params("course"))
	if co == nil {
		return fiber.ErrNotFound
	}
	if id, ok := s.packagedCourses()[co.ID]; ok {
		p, err := s.store.CoursePackage(c.UserContext(), id)
		if err != nil {
			return err
		}
		return sendPackage(c, p.CourseID, p.Version, p.Package)
	}
	sub, err := fs.Sub(s.coursesFS, co.ID)
	if err != nil {
		return err
	}
	b, err := coursepkg.FromFS(sub, co.ID)
	if err != nil {
		return err
	}
	return sendPackage(c, co.ID, co.Version, b)
}

// downloadCoursePackage downloads one stored package, whatever its status.
func (s *Server) downloadCoursePackage(c *fiber.Ctx) error {
	id, err := c.ParamsInt("id")
	if err != nil || id <= 0 {
		return fiber.ErrNotFound
	}
	p, err := s.store.CoursePackage(c.UserContext(), int64(id))
	if err != nil {
		return err
	}
	return sendPackage(c, p.CourseID, p.Version, p.Package)
}

func sendPackage(c *fiber.Ctx, id, version string, b []byte) error {
	c.Set(fiber.HeaderContentType, "application/zip")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+safeFileName(id+"-"+version)+`.zip"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set("X-Package-Checksum", "sha256:"+coursepkg.Checksum(b))
	return c.Send(b)
}

// safeFileName keeps a version string (free text in course.yaml) from breaking the header.
func safeFileName(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '.' || r == '-' || r == '_' || (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') {
			return r
		}
		return '_'
	}, s)
}
