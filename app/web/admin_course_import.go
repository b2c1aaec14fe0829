package web

import (
	"errors"
	"io"
	"path/filepath"
	"sort"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/cairn-lms/cairn/app/coursepkg"
	"github.com/cairn-lms/cairn/app/model"
	"github.com/cairn-lms/cairn/app/store"
)

// importCoursePackage takes an uploaded package: the archive is checked, then its course as
// `cairn courses check` checks one, then its signature when a .minisig was sent with it (as
// `cairn courses import` does), and only then is it stored, as a draft (or published at once
// when asked). A refusal shows the reason, or the checker's file:line report, and stores
// nothing.
func (s *Server) importCoursePackage(c *fiber.Ctx) error {
	d, err := s.adminCoursesData(c)
	if err != nil {
		return err
	}
	refuse := func(msg string) error {
		d.Error = msg
		return s.render(c, fiber.StatusUnprocessableEntity, "admin_courses", "admin_courses_title", d)
	}
	loc := state(c).loc
	fh, err := c.FormFile("package")
	if err != nil || fh.Size == 0 {
		return refuse(loc.T("admin_courses_no_file"))
	}
	d.File = strings.Clone(filepath.Base(fh.Filename))
	f, err := fh.Open()
	if err != nil {
		return err
	}
	data, err := io.ReadAll(f)
	_ = f.Close()
	if err != nil {
		return err
	}
	sig, err := uploadedSignature(c)
	if err != nil {
		return refuse(loc.T("admin_courses_signature_bad"))
	}
	checked, problems, err := coursepkg.Check(data, coursepkg.DefaultLimits, s.courseOptions())
	var pe *coursepkg.Error
	if errors.As(err, &pe) {
		// File names are Latin text inside a sentence that may be Arabic: isolate them.
		ltr := func(s string) string { return "\u2066" + s + "\u2069" }
		return refuse(loc.T("coursepkg_"+pe.Code, "Name", ltr(pe.Name), "Other", ltr(pe.Other), "Limit", pe.Limit, "MiB", pe.Limit>>20))
	}
	if err != nil {
		return err
	}
	if checked == nil {
		sort.SliceStable(problems, func(i, j int) bool {
			if problems[i].File != problems[j].File {
				return problems[i].File < problems[j].File
			}
			return problems[i].Line < problems[j].Line
		})
		d.Report = problems
		for _, p := range problems {
			if !p.Warning {
				d.Errors++
			}
		}
		return refuse(loc.T("admin_courses_has_errors"))
	}
	// The signature is checked against the bytes uploaded, the ones signed; the course it must
	// name is the one the checks just read from them.
	var signer string
	if sig != nil {
		refusal, key, err := s.packageSignatureRefusal(c, data, sig, checked.Course)
		if err != nil {
			return err
		}
		if refusal != "" {
			return refuse(refusal)
		}
		signer = key.ID()
	}
	p := &model.CoursePackage{CourseID: checked.Course.ID, Version: checked.Course.Version, Checksum: checked.Checksum, Package: checked.Canonical}
	err = s.store.ImportPackage(c.UserContext(), p)
	if errors.Is(err, store.ErrPackageVersionExists) {
		return refuse(loc.T("admin_courses_version_exists", "Course", p.CourseID, "Version", p.Version))
	}
	if err != nil {
		return err
	}
	detail := ""
	flash := "flash_course_imported"
	if signer != "" {
		detail, flash = store.AuditDetail("signed_by", signer), "flash_course_imported_signed"
	}
	s.audit(c, store.AuditCourseImport, store.PackageTarget(p), detail)
	if c.FormValue("publish") == "1" {
		if err := s.store.PublishPackage(c.UserContext(), p.ID); err != nil {
			return err
		}
		s.audit(c, store.AuditCoursePublish, store.PackageTarget(p), "")
		flash = "flash_course_published"
		if signer != "" {
			flash = "flash_course_published_signed"
		}
	}
	s.reloadPackages() // this instance at once; the others on the notification
	s.log.Info("course package imported", "course", p.CourseID, "version", p.Version, "package_id", p.ID, "by_user_id", state(c).user.ID)
	s.flash(c, flash)
	return redirect(c, "/admin/courses")
}
