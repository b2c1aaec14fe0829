package web

import (
	"errors"
	"io"
	"path/filepath"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/course"
	"github.com/cairn-lms/cairn/app/coursepkg"
	"github.com/cairn-lms/cairn/app/gift"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
)

// importPackageGIFT turns an uploaded Moodle GIFT file into a module's quiz in a course kept
// as a package: the course with the quiz in it becomes a new draft version (the version the
// admin gives), checked like any import; the package it came from is unchanged. A refusal
// shows the GIFT file's problems by line and the course checker's report; nothing is stored.
func (s *Server) importPackageGIFT(c *fiber.Ctx) error {
	d, pkg, err := s.adminPackageData(c)
	if err != nil {
		return err
	}
	loc := state(c).loc
	d.Module, d.Version, d.Replace = strings.Clone(c.FormValue("module")), strings.TrimSpace(c.FormValue("version")), c.FormValue("replace") == "1"
	refuse := func(msg string) error {
		d.Error = msg
		return s.render(c, fiber.StatusUnprocessableEntity, "admin_course_package", "admin_package_title", d)
	}
	fh, err := c.FormFile("gift")
	if err != nil || fh.Size == 0 {
		return refuse(loc.T("admin_gift_no_file"))
	}
	if fh.Size > gift.MaxFileBytes {
		return refuse(loc.T("admin_gift_too_big", "KiB", gift.MaxFileBytes>>10))
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	src, err := io.ReadAll(f)
	_ = f.Close()
	if err != nil {
		return err
	}
	courseYAML, err := course.SetVersion(pkg.Files["course.yaml"], d.Version)
	if err != nil || d.Version == d.Package.Version {
		return refuse(loc.T("admin_gift_bad_version", "Version", d.Package.Version))
	}
	name := strings.Clone(filepath.Base(fh.Filename))
	res, importErr := course.ImportGIFT(course.GIFTImport{
		CourseDir: pkg.Root, Label: pkg.Root, Module: d.Module, Name: name, Source: src,
		Replace: d.Replace, FS: pkg.FS(), Convert: gift.Options{PassMark: gift.DefaultPassMark},
		Check: s.courseOptions(),
	})
	for _, p := range res.GIFT {
		d.GIFTReport = append(d.GIFTReport, p.String())
	}
	d.CourseReport = res.Check
	if importErr != nil {
		d.Detail = importErr.Error()
		return refuse(loc.T("admin_gift_refused"))
	}
	files := map[string][]byte{}
	for k, v := range pkg.Files {
		files[k] = v
	}
	for k, v := range res.Contents {
		files[k] = v
	}
	edited, err := course.SetVersion(files["course.yaml"], d.Version) // quiz: true may have changed it
	if err != nil {
		edited = courseYAML
	}
	files["course.yaml"] = edited
	data, err := coursepkg.Write(pkg.Root, files)
	if err != nil {
		return err
	}
	checked, problems, err := coursepkg.Check(data, coursepkg.DefaultLimits, s.courseOptions())
	if err != nil || checked == nil {
		d.CourseReport = problems
		return refuse(loc.T("admin_gift_refused"))
	}
	p := &model.CoursePackage{CourseID: checked.Course.ID, Version: checked.Course.Version, Checksum: checked.Checksum, Package: checked.Canonical}
	err = s.store.ImportPackage(c.UserContext(), p)
	if errors.Is(err, store.ErrPackageVersionExists) {
		return refuse(loc.T("admin_courses_version_exists", "Course", p.CourseID, "Version", p.Version))
	}
	if err != nil {
		return err
	}
	s.audit(c, store.AuditCourseGIFT, store.PackageTarget(p), store.AuditDetail("module", d.Module))
	s.reloadPackages()
	s.log.Info("GIFT quiz imported", "course", p.CourseID, "version", p.Version, "module", d.Module, "package_id", p.ID, "by_user_id", state(c).user.ID)
	s.flash(c, "flash_gift_imported")
	return redirect(c, "/admin/courses")
}
