package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/course"
	"github.com/cairn-lms/cairn/app/model"
)

// servedCourse is a course of the catalogue and where it is served from.
type servedCourse struct {
	ID, Title, Version string
	Source             string // "package", "shipped" or "folder"
}

type adminCoursesData struct {
	Served   []servedCourse
	Packages []model.CoursePackage // not archived, by course then newest first
	Archived []model.CoursePackage
	// After a refused upload: the file's name, why (Error), or the checker's report.
	File      string
	Error     string
	Report    []course.Problem
	Errors    int
	UploadMiB int
}

func (s *Server) adminCoursesData(c *fiber.Ctx) (*adminCoursesData, error) {
	pkgs, err := s.store.CoursePackages(c.UserContext())
	if err != nil {
		return nil, err
	}
	d := &adminCoursesData{UploadMiB: s.cfg.UploadLimitBytes >> 20}
	for _, p := range pkgs {
		if p.Status == model.PackageArchived {
			d.Archived = append(d.Archived, p)
		} else {
			d.Packages = append(d.Packages, p)
		}
	}
	packaged := s.packagedCourses()
	for _, co := range s.catalog().All() {
		src := "folder"
		if _, ok := packaged[co.ID]; ok {
			src = "package"
		} else if s.coursesShipped {
			src = "shipped"
		}
		d.Served = append(d.Served, servedCourse{ID: co.ID, Title: co.In(co.Title, lang(c)), Version: co.Version, Source: src})
	}
	return d, nil
}

// listAdminCourses shows the courses served, the imported packages and the upload form.
func (s *Server) listAdminCourses(c *fiber.Ctx) error {
	d, err := s.adminCoursesData(c)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "admin_courses", "admin_courses_title", d)
}
