package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/course"
	"github.com/cairn-lms/cairn/app/coursepkg"
	"github.com/cairn-lms/cairn/app/model"
)

// adminPackageData is one stored package's page: what it is, and the GIFT upload that
// makes a new version of it with a module quiz.
type adminPackageData struct {
	Package *model.CoursePackage
	Title   string
	Modules []moduleChoice
	// The form as sent, and why it was refused: a message, then the GIFT file's problems by
	// line and the course checker's report.
	Module, Version string
	Replace         bool
	Error           string
	Detail          string
	GIFTReport      []string
	CourseReport    []course.Problem
}

type moduleChoice struct{ ID, Title string }

func (s *Server) adminPackageData(c *fiber.Ctx) (*adminPackageData, *coursepkg.Package, error) {
	id, err := c.ParamsInt("id")
	if err != nil || id <= 0 {
		return nil, nil, fiber.ErrNotFound
	}
	p, err := s.store.CoursePackage(c.UserContext(), int64(id))
	if err != nil {
		return nil, nil, err
	}
	pkg, err := coursepkg.Read(p.Package, coursepkg.DefaultLimits)
	if err != nil {
		return nil, nil, err // stored packages passed this check
	}
	co, _ := course.LoadOne(pkg.FS(), pkg.Root, pkg.Root, s.courseOptions())
	d := &adminPackageData{Package: p, Title: p.CourseID}
	if co != nil {
		d.Title = co.In(co.Title, lang(c))
		for _, m := range co.Modules {
			d.Modules = append(d.Modules, moduleChoice{ID: m.ID, Title: co.In(m.Title, lang(c))})
		}
	}
	p.Package = nil // the page needs no bytes
	return d, pkg, nil
}

// showCoursePackage shows one stored package and the GIFT upload form.
func (s *Server) showCoursePackage(c *fiber.Ctx) error {
	d, _, err := s.adminPackageData(c)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "admin_course_package", "admin_package_title", d)
}
